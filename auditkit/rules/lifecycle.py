"""Audit dates the certifying partner's QA checks: the data-gathering and report windows.

Data gathering lasts at most 45 days from the audit start; the report is due within 21 days
after the last on-site day (AMHSA, via the AuditSoft help pages; qa-rules.md "Lifecycle").
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from auditkit.errors import AnswerRefused

if TYPE_CHECKING:
    from auditkit.audit import Audit

GATHERING_DAYS = 45
REPORT_DAYS = 21


def parse_day(text: str, what: str) -> str:
    """A YYYY-MM-DD date, or a one-line refusal naming the option or field."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise AnswerRefused(f"{what} {text!r} is not a date (expected YYYY-MM-DD)") from None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def date_warnings(audit: Audit, today: date | None = None) -> list[dict[str, Any]]:
    """``check`` problems (code ``dates``, severity ``warning``) for the audit's windows.

    ``today`` stands for the report date while the audit is not finalized; a finalized audit
    is measured at its finalization.
    """
    p = audit.profile
    start, end = _day(p.get("start_date")), _day(p.get("end_date"))
    finalized = _day(str(p.get("finalized_at") or "")[:10])
    reported = finalized or today or date.today()
    problems = []
    if start and end and (end - start).days > GATHERING_DAYS:
        problems.append(
            _warning(
                f"data gathering ran {(end - start).days} days ({start} to {end}); the limit "
                f"is {GATHERING_DAYS} days from the audit start"
            )
        )
    last_on_site = end or start
    if last_on_site and (reported - last_on_site).days > REPORT_DAYS:
        problems.append(
            _warning(
                f"the report is {(reported - last_on_site).days} days after the last on-site "
                f"day ({last_on_site}); it is due within {REPORT_DAYS} days"
            )
        )
    review_start, review_end = _day(p.get("review_start")), _day(p.get("review_end"))
    if review_start and review_end and review_end < review_start:
        problems.append(_warning(f"records review period ends ({review_end}) before it starts"))
    return problems


def _warning(message: str) -> dict[str, Any]:
    return {
        "code": "dates",
        "severity": "warning",
        "question": None,
        "subject": None,
        "message": message,
    }
