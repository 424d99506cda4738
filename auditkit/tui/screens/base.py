"""What every audit screen shares: typed access to the app and the open audit's session."""

from __future__ import annotations

from textual.screen import Screen

from auditkit.tui.app import AuditkitApp
from auditkit.tui.session import Session


class AuditkitScreen(Screen[None]):
    """A full screen of the auditkit app."""

    @property
    def auditkit(self) -> AuditkitApp:
        app = self.app
        assert isinstance(app, AuditkitApp)
        return app

    @property
    def session(self) -> Session:
        """The open audit's session (screens other than Home and New need one)."""
        session = self.auditkit.session
        assert session is not None
        return session
