"""An interview's record: when it took place, the interviewee's position and shift.

A CP's QA reviewer checks that interviews are spread across levels, sites and shifts
(qa-rules.md, "Sampling"); the record says so without naming anyone: a position is a job title
("Landscape labourer"), never a person. The written-questionnaire flag lives beside these
fields (:data:`QUESTIONNAIRE`) but is set on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from auditkit.errors import AnswerRefused
from auditkit.rules.record_fields import record_date, refuse_unknown

RECORD_FIELDS = ("date", "position", "shift")
QUESTIONNAIRE = "questionnaire"  # the field that marks a written questionnaire
TEXT_LIMIT = 60  # characters: a job title or a shift's name, not a note


def clean_record(raw: Mapping[str, Any]) -> dict[str, str]:
    """Validate an interview's record; refuses an unknown key or a bad value by name."""
    refuse_unknown("interview", raw, RECORD_FIELDS)
    record: dict[str, str] = {}
    when = record_date("interview", raw)
    if when:
        record["date"] = when
    for key in ("position", "shift"):
        text = " ".join(str(raw.get(key) or "").split())  # one line, single spaces
        if len(text) > TEXT_LIMIT:
            raise AnswerRefused(
                f"interview {key} {text[:20]!r}… is {len(text)} characters (at most "
                f"{TEXT_LIMIT}: a {'job title' if key == 'position' else 'shift name'})"
            )
        if text:
            record[key] = text
    return record


def by_shift(records: Iterable[Mapping[str, Any]]) -> str:
    """How the interviews spread across shifts, e.g. "day 6, night 2, not recorded 1"; empty
    when no interview has a shift recorded."""
    shifts = Counter(str(r.get("shift") or "").strip().lower() for r in records)
    unrecorded = shifts.pop("", 0)
    if not shifts:
        return ""
    parts = [f"{name} {count}" for name, count in sorted(shifts.items())]
    if unrecorded:
        parts.append(f"not recorded {unrecorded}")
    return ", ".join(parts)
