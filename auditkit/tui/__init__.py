"""The Textual field UI. Only this package imports Textual."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditkit.audit import Audit


def run_home() -> None:
    """``auditkit`` alone: the Home screen (recent audits, open, new)."""
    from auditkit.tui.app import AuditkitApp

    AuditkitApp().run()


def open_for_tui(path: str | Path) -> Audit:
    """The audit at ``path`` opened for writing, or its refusal as an error naming the file:
    not an audit, cannot be written, or holding values the dashboard would fail to score."""
    from auditkit.audit import Audit
    from auditkit.rules.values import check_values

    audit = Audit.open(path, write=True)
    try:
        check_values(audit.protocol, audit.given())  # what the dashboard would fail to score
    except Exception:
        audit.close()
        raise
    return audit


def run_audit(path: str | Path) -> None:
    """``auditkit open FILE``: the audit's dashboard. A file that is not an audit, or cannot be
    written, is refused before the screen is taken over, as one line like any command."""
    audit = open_for_tui(path)
    from auditkit.tui.app import AuditkitApp

    try:
        AuditkitApp(audit).run()
    finally:
        audit.close()
