"""The Textual field UI. Only this package imports Textual."""

from __future__ import annotations

from pathlib import Path

from auditkit.tui.collector import held


def run_home() -> None:
    """``auditkit`` alone: the Home screen (recent audits, open, new)."""
    with held():
        from auditkit.tui.app import AuditkitApp

        AuditkitApp().run()


def run_audit(path: str | Path) -> None:
    """``auditkit open FILE``: the audit's dashboard. A file that is not an audit, or cannot be
    written, is refused before the screen is taken over, as one line like any command."""
    with held():
        from auditkit.audit import Audit
        from auditkit.rules.values import check_values

        audit = Audit.open(path, write=True)
        try:
            check_values(audit.protocol, audit.given())  # what the dashboard would fail to score
        except Exception:
            audit.close()
            raise
        from auditkit.tui.app import AuditkitApp

        try:
            AuditkitApp(audit).run()
        finally:
            audit.close()
