"""Which questions a checklist runner walks; kept apart so opening a runner needs no import
of the runner's module until it is shown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """A component (or all), maybe for one fixed subject, and where to start."""

    component: str | None = None
    subject_id: str | None = None
    start: str | None = None  # question id to open at
    start_subject: str | None = None
