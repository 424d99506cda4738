"""When the next audit is due in the three-year COR cycle.

A certificate is valid three years from the last on-site day of the certification (or
recertification) audit, with maintenance audits within 12 and 24 months. So, for each audit,
the cycle's anchor is the employer's latest certification or recertification audit on or before
it, and the next audit is due one year after the anchor for each maintenance audit done since,
plus one, at most three (the recertification before the certificate expires). Without an anchor
(only maintenance audits are known), one year after the audit. The employer is its WCB account,
else its company name. The ``portfolio`` view computes the same in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

CERTIFYING = ("certification", "recertification")


def years_after(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February, as PostgreSQL does."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def on_site(row: Mapping[str, Any]) -> date | None:
    """The audit's last on-site day: its end date, else its start date."""
    for key in ("end_date", "start_date"):
        try:
            if row.get(key):
                return date.fromisoformat(str(row[key])[:10])
        except ValueError:
            continue
    return None


def employer(row: Mapping[str, Any]) -> str:
    return str(row.get("wcb_account") or "").strip() or str(row.get("company") or "").lower()


def next_audits_due(rows: Iterable[Mapping[str, Any]]) -> dict[str, date | None]:
    """audit_id -> the next audit due in its employer's cycle (None without a date)."""
    by_employer: dict[str, list[tuple[str, date | None]]] = {}
    listed = []
    for row in rows:
        who, when = employer(row), on_site(row)
        listed.append((row["audit_id"], who, when))
        by_employer.setdefault(who, []).append((str(row.get("purpose") or ""), when))
    due: dict[str, date | None] = {}
    for audit_id, who, when in listed:
        if when is None:
            due[audit_id] = None
            continue
        audits = [(p, w) for p, w in by_employer[who] if w is not None]
        anchors = [w for p, w in audits if p in CERTIFYING and w <= when]
        if not anchors:
            due[audit_id] = years_after(when, 1)
            continue
        anchor = max(anchors)
        maintenance = sum(1 for p, w in audits if p == "maintenance" and anchor < w <= when)
        due[audit_id] = years_after(anchor, min(3, 1 + maintenance))
    return due
