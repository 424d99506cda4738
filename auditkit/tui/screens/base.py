"""What every audit screen shares: typed access to the app and the open audit's session."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual._context import active_app
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from auditkit.tui.app import AuditkitApp
from auditkit.tui.jobs import WriteOutcome
from auditkit.tui.session import Session

NARROWEST_WITH_PALETTE = 70  # columns


class AuditkitScreen(Screen[None]):
    """A full screen of the auditkit app."""

    def __init__(self, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name, id)
        # Born with the breakpoint class (-narrow, -wide) of the terminal's width, as Textual
        # sets it on the first resize: that resize then changes no class, so it does not
        # restyle every widget of a screen just styled (about 5 ms of the dashboard's first
        # frame, and again each time the runner opens).
        try:
            app = active_app.get()
        except LookupError:  # made outside a running app: the first resize sets it
            return
        width = app.size.width
        for least, breakpoint in sorted(app.HORIZONTAL_BREAKPOINTS or (), reverse=True):
            if width >= least:
                self.add_class(breakpoint)
                break

    def follow_changes(self, callback: Callable[[WriteOutcome], None]) -> None:
        """Pass each committed (or failed) write to ``callback`` while this screen is the one
        shown; a screen under another refreshes when it is shown again.

        The signal calls at once and only the shown screen gets a message: a message to a
        screen under another woke it, and Textual then redrew it whole, and the whole screen
        above it, on every saved answer (half the work of 'saved' in the runner).
        """

        def changed(change: WriteOutcome) -> None:
            if self.app.screen is self:
                self.call_next(callback, change)

        self.auditkit.changed.subscribe(self, changed, immediate=True)

    @property
    def auditkit(self) -> AuditkitApp:
        app = self.app
        assert isinstance(app, AuditkitApp)
        return app

    def on_resize(self, event: events.Resize) -> None:
        # Below 70 columns the footer's "^p palette" sits over the screen's own keys (read
        # "palettet" at 60): leave it out there; ctrl+p still opens the palette.
        for footer in self.query(Footer):
            footer.show_command_palette = event.size.width >= NARROWEST_WITH_PALETTE

    def action_move(self, step: int) -> None:
        """j/k: the next or previous row of the list that has the focus."""
        focused = self.focused
        if isinstance(focused, OptionList):
            if step > 0:
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    @property
    def session(self) -> Session:
        """The open audit's session (screens other than Home and New need one)."""
        session = self.auditkit.session
        assert session is not None
        return session
