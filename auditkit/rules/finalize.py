"""Finalizing an audit: lock it once complete; afterwards every change carries a reason.

The lock itself is enforced by the store (``Store._journal``), so no write path can skip it;
this module decides when an audit may be finalized and lists the amendments made since.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from auditkit.audit import Audit
from auditkit.errors import AnswerRefused, AuditkitError, UsageError
from auditkit.rules.qa_check import SAMPLE_CODES, check_audit
from auditkit.rules.scoring import Scores
from auditkit.store.audit_file import UNLOCKED_ACTIONS
from auditkit.store.changes import Finalize
from auditkit.store.file_tables import subject_aliases
from auditkit.store.journal import STAMP
from auditkit.team.history import describe, subject_labels


@dataclass(frozen=True)
class Amendment:
    """One change made to a finalized audit."""

    at: str
    author: str
    reason: str
    change: str  # what changed, in words
    entry_id: str


def finalized_at(audit: Audit) -> str | None:
    """When the audit was finalized, or None."""
    return audit.store.audit().get("finalized_at") or None


def finalize(audit: Audit, deviation: str | None = None, dated: datetime | None = None) -> Scores:
    """Lock a complete audit that passes the QA check; refuses otherwise, naming why.

    ``deviation`` (why the sample falls short) accepts the ``sample.*`` errors of the check,
    and only those; it is recorded with the shortfalls it accepts and printed in the report.
    ``dated`` records when the report was finalized where that is not now (an audit entered
    after its report was signed): not in the future, not before the last on-site day. The QA
    check's report-date rule then measures that date; the journal entry keeps the real time
    of the write beside it.
    """
    when = finalized_at(audit)
    if when:
        raise AuditkitError(f"{audit.path}: already finalized on {when[:10]}")
    text = deviation.strip() if deviation is not None else None
    if text == "":
        raise UsageError("--deviation needs a text saying why the sample falls short")
    stated = _stated_date(audit, dated) if dated is not None else None
    scores = audit.score()
    if not scores.complete:
        missing = [q.question.id for q in scores.questions.values() if q.status == "unanswered"]
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        raise AuditkitError(
            f"{audit.path}: cannot finalize: {scores.unanswered} of "
            f"{scores.total} scored items unanswered ({shown})"
        )
    errors = check_audit(audit).errors
    shortfalls = [p for p in errors if p.code in SAMPLE_CODES]
    if text is not None and not shortfalls:
        raise AnswerRefused("--deviation: the sample has no shortfall to accept; leave it out")
    blocking = [p for p in errors if p.code not in SAMPLE_CODES or text is None]
    if blocking:
        shown = "; ".join(f"{p.code}: {p.message}" for p in blocking[:3])
        more = f"; and {len(blocking) - 3} more" if len(blocking) > 3 else ""
        hint = " (--deviation TEXT accepts a sample shortfall)" if text is None else ""
        raise AuditkitError(
            f"{audit.path}: cannot finalize: {len(blocking)} QA problem(s): {shown}{more}; "
            f"see 'auditkit check'{hint}"
        )
    recorded = None
    if text is not None:
        recorded = json.dumps(
            {"text": text, "shortfalls": [p.message for p in shortfalls]}, ensure_ascii=False
        )
    store = audit.store
    store.apply(Finalize(deviation=recorded, dated=stated))
    audit.profile = store.audit()
    return scores


def _stated_date(audit: Audit, dated: datetime) -> str:
    """``dated`` in the journal's time format (UTC; a naive time is taken as UTC), refused
    when it is in the future or before the audit's last on-site day."""
    moment = dated.replace(tzinfo=UTC) if dated.tzinfo is None else dated.astimezone(UTC)
    if moment > datetime.now(UTC):
        raise AnswerRefused(
            f"{audit.path}: finalize date {moment:%Y-%m-%d %H:%M} UTC is in the future"
        )
    last = str(audit.profile.get("end_date") or audit.profile.get("start_date") or "")
    try:
        last_day = date.fromisoformat(last) if last else None
    except ValueError:
        last_day = None
    if last_day is not None and moment.date() < last_day:
        raise AnswerRefused(
            f"{audit.path}: finalize date {moment.date()} is before the last on-site day "
            f"({last_day}); a report follows the field work"
        )
    return moment.strftime(STAMP)


def recorded_deviation(profile: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """The sampling deviation accepted at finalize: its text and the shortfalls, or None."""
    raw = profile.get("deviation")
    if not raw:
        return None
    data = json.loads(raw)
    return str(data.get("text", "")), [str(s) for s in data.get("shortfalls", [])]


def amendments(audit: Audit, names: Mapping[str, str] | None = None) -> list[Amendment]:
    """Every change recorded after the audit was finalized, oldest first.

    With ``names`` (subject id -> the name a report shows, interviewees by code) subjects are
    told by those names and an interviewee's typed label never appears.
    """
    store = audit.store
    entries = store.journal()
    start = next(
        (i for i in range(len(entries) - 1, -1, -1) if entries[i].action == "audit.finalize"), None
    )
    if start is None:
        return []
    labels = subject_labels(audit, names)
    private: set[str] = set()
    if names is not None:
        private = {s.id for s in store.subjects() if s.kind == "interviewee"}
        private |= {alias for alias, kept in subject_aliases(store).items() if kept in private}
    return [
        Amendment(
            e.at, e.author, e.reason or "(no reason recorded)", describe(e, labels, private), e.id
        )
        for e in entries[start + 1 :]
        if e.action not in UNLOCKED_ACTIONS
    ]
