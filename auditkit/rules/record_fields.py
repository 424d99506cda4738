"""Checks every record kept with a subject shares (an incident record, an interview's record):
an unknown field and a date that is not one are refused by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from auditkit.errors import AnswerRefused


def refuse_unknown(kind: str, raw: Mapping[str, Any], known: Sequence[str]) -> None:
    """Refuse the first field of ``raw`` that a ``kind`` record does not have."""
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise AnswerRefused(f"unknown {kind} field {unknown[0]!r} (expected: {', '.join(known)})")


def record_date(kind: str, raw: Mapping[str, Any]) -> str:
    """The record's ``date`` as given (YYYY-MM-DD), "" when there is none; refused when it is
    not a date."""
    when = str(raw.get("date") or "").strip()
    if when:
        try:
            date.fromisoformat(when)
        except ValueError:
            raise AnswerRefused(f"{kind} date {when!r} is not a date (YYYY-MM-DD)") from None
    return when
