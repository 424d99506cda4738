"""One portfolio row per audit: who, when, the score against the pass rule, and its actions.

Both targets build a row with :func:`summarise`; the folder target then counts actions and the
cycle with :func:`finish`, the PostgreSQL ``portfolio`` view does the same in SQL.

The action plan belongs to auditkits that keep one (an ``actions`` table in the audit file, or
``actions`` in the journal's replay): where there is none, an audit has 0 open and 0 overdue
actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditkit.portfolio.cycle import next_audits_due
from auditkit.protocol.model import protocol_from_texts
from auditkit.rules.scoring import Given, score
from auditkit.store.audit_file import Store
from auditkit.store.exchange import read_rows

# What ``portfolio --json`` prints for each audit, in this order.
COLUMNS = (
    "audit_id",
    "company",
    "protocol",
    "purpose",
    "start_date",
    "end_date",
    "auditor",
    "finalized",
    "percent",
    "passed",
    "answered",
    "questions",
    "open_actions",
    "overdue_actions",
    "next_audit_due",
)
DONE = "done"


def action(row: Mapping[str, Any]) -> dict[str, Any]:
    """An action-plan row in the portfolio's columns, whatever its source names them."""
    return {
        "id": str(row.get("id")),
        "item": row.get("item") or row.get("question_id"),
        "element": row.get("element"),
        "priority": row.get("priority"),
        "text": row.get("text"),
        "owner": row.get("owner"),
        "due": row.get("due") or None,
        "status": row.get("status") or "open",
    }


def file_actions(store: Store) -> list[dict[str, Any]]:
    """The file's action plan ([] when its auditkit keeps none)."""
    return [action(row) for row in read_rows(store, "actions")]


def summarise(
    profile: Mapping[str, Any],
    protocol_files: Mapping[str, str],
    values: Iterable[tuple[str, str, str | None]],
    origin: str,
) -> dict[str, Any]:
    """The audit's row: profile fields and its score from (question, subject, value) answers."""
    protocol = protocol_from_texts(protocol_files, origin=origin)
    known = protocol.has_question
    given = [Given(q, s, v) for q, s, v in values if v is not None and known(q)]
    scores = score(protocol, given, str(profile.get("purpose")))
    auditors = json.loads(profile.get("auditors") or "[]")
    return {
        "audit_id": profile["id"],
        "company": profile.get("company") or "",
        "protocol": profile.get("protocol_id"),
        "purpose": profile.get("purpose"),
        "start_date": profile.get("start_date") or None,
        "end_date": profile.get("end_date") or None,
        "auditor": auditors[0] if auditors else "",
        "auditors": auditors,
        "finalized": bool(profile.get("finalized_at")),
        "percent": float(scores.percent) if scores.percent is not None else None,
        "passed": scores.passed,
        "answered": scores.answered,
        "questions": scores.total,
        "wcb_account": profile.get("wcb_account") or "",
    }


def finish(
    rows: list[dict[str, Any]], actions: Mapping[str, list[dict[str, Any]]], today: date
) -> list[dict[str, Any]]:
    """The rows in :data:`COLUMNS`, with action counts and the next audit due."""
    due = next_audits_due(rows)
    finished = []
    for row in rows:
        open_items = [a for a in actions.get(row["audit_id"], []) if a.get("status") != DONE]
        overdue = [a for a in open_items if (d := _day(a.get("due"))) is not None and d < today]
        next_due = due.get(row["audit_id"])
        finished.append(
            {
                **{column: row.get(column) for column in COLUMNS},
                "open_actions": len(open_items),
                "overdue_actions": len(overdue),
                "next_audit_due": next_due.isoformat() if next_due else None,
            }
        )
    return sorted(
        finished, key=lambda r: (r["company"].lower(), r["start_date"] or "", r["audit_id"])
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
