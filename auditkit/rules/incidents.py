"""Incident records of the review period: their fields, validation and summary figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from auditkit.errors import AnswerRefused
from auditkit.rules.record_fields import record_date, refuse_unknown

INCIDENT_TYPES = {
    "near_miss": "Near miss",
    "first_aid": "First aid",
    "medical_aid": "Medical aid",
    "lost_time": "Lost time",
    "serious": "Serious and reportable",
}
# How a type reads before "incident" in a sentence ("not a lost-time incident").
TYPE_ADJECTIVES = {
    "near_miss": "near-miss",
    "first_aid": "first-aid",
    "medical_aid": "medical-aid",
    "lost_time": "lost-time",
    "serious": "serious",
}
FLAGS = ("reportable", "reported_to_ohs", "investigated", "actions_closed")
TEXTS = ("description", "root_cause")
FIELDS = ("date", "type", *TEXTS, *FLAGS)


def clean_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an incident record's fields; refuses unknown keys and bad values by name.

    A serious incident is always reportable (OHS Act s.33(2)).
    """
    refuse_unknown("incident", raw, FIELDS)
    fields: dict[str, Any] = {}
    when = record_date("incident", raw)
    if when:
        fields["date"] = when
    kind = str(raw.get("type") or "").strip().lower().replace(" ", "_").replace("-", "_")
    if kind:
        if kind not in INCIDENT_TYPES:
            raise AnswerRefused(
                f"unknown incident type {raw.get('type')!r} "
                f"(expected one of: {', '.join(INCIDENT_TYPES)})"
            )
        fields["type"] = kind
    for key in TEXTS:
        if raw.get(key):
            fields[key] = str(raw[key]).strip()
    for key in FLAGS:
        if key in raw and raw[key] is not None:
            fields[key] = parse_flag(key, raw[key])
    if fields.get("type") == "serious":
        fields["reportable"] = True
    return fields


def not_applicable_reason(applies_to: tuple[str, ...], fields: Mapping[str, Any]) -> str:
    """Why a question asked only of ``applies_to`` incident types cannot apply to this record
    ("not a serious incident"), or "" when it may apply (no list, no type recorded, or a
    listed type). The auditor confirms it: nothing is answered from this alone."""
    kind = str(fields.get("type") or "")
    if not applies_to or not kind or kind in applies_to:
        return ""
    names = [TYPE_ADJECTIVES.get(t, t) for t in applies_to]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"not a {listed} incident"


def parse_flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise AnswerRefused(f"incident {name} must be yes or no, not {value!r}")


@dataclass(frozen=True)
class IncidentSummary:
    total: int
    by_type: dict[str, int]
    investigated: int
    reportable: int
    reportable_reported: int
    actions_closed: int
    first_date: str
    last_date: str

    @property
    def period(self) -> str:
        if not self.first_date:
            return "no dated records"
        return f"{self.first_date} to {self.last_date}"


def summarise(records: Iterable[Mapping[str, Any]]) -> IncidentSummary:
    """Counts by type, investigated, reportable ones reported, actions closed, the period."""
    records = list(records)
    dates = sorted(str(r["date"]) for r in records if r.get("date"))
    types = Counter(str(r.get("type") or "unknown") for r in records)
    return IncidentSummary(
        total=len(records),
        by_type={
            kind: types.get(kind, 0)
            for kind in (*INCIDENT_TYPES, "unknown")
            if kind in INCIDENT_TYPES or types.get(kind)
        },
        investigated=sum(1 for r in records if r.get("investigated")),
        reportable=sum(1 for r in records if r.get("reportable")),
        reportable_reported=sum(
            1 for r in records if r.get("reportable") and r.get("reported_to_ohs")
        ),
        actions_closed=sum(1 for r in records if r.get("actions_closed")),
        first_date=dates[0] if dates else "",
        last_date=dates[-1] if dates else "",
    )
