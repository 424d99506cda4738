"""The auditkit Textual app: holds the open audit and routes committed writes to the screens.

Screens do the work; the app only owns the session, the writer and the global keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from auditkit.audit import Audit
from auditkit.tui.commands import AuditCommands
from auditkit.tui.messages import WriteDone, WriteFailed
from auditkit.tui.recent import remember
from auditkit.tui.session import Job, Session, Writer

LIGHT, DARK = "textual-light", "textual-dark"


@dataclass(frozen=True)
class Change:
    """What a screen hears after a write: the job, and whether it was saved."""

    job: Job
    saved: bool
    result: Any = None


class AuditkitApp(App[None]):
    """Home when started without an audit; the audit's dashboard when given one."""

    CSS_PATH = "app.tcss"
    TITLE = "auditkit"
    COMMANDS = App.COMMANDS | {AuditCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, id="toggle-theme"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]
    # Screens below 100 columns get the -narrow class: tighter columns, shorter bars.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, audit: Audit | None = None, remember_recent: bool = True) -> None:
        super().__init__()
        self.theme = DARK
        self.session: Session | None = None
        self.writer: Writer | None = None
        self.changed: Signal[Change] = Signal(self, "session-changed")
        self._remember = remember_recent
        self._initial = audit

    def on_mount(self) -> None:
        if self._initial is not None:
            self.open_audit(self._initial)
        else:
            from auditkit.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())

    def open_audit(self, audit: Audit) -> None:
        """Make ``audit`` the open audit and show its dashboard."""
        from auditkit.tui.screens.dashboard import DashboardScreen

        if self.session is not None:
            self.session.audit.close()
        self.session = Session(audit)
        self.writer = Writer(self, audit)
        self.sub_title = str(audit.profile["company"])
        if self._remember:
            remember(audit.path, str(audit.profile["company"]))
        self.push_screen(DashboardScreen())

    def save(self, job: Job) -> None:
        """Hand a write to the writer; the answer it concerns shows as pending until it lands."""
        assert self.session is not None and self.writer is not None
        if job.key is not None:
            self.session.pending.add(job.key)
        self.writer.submit(job)

    def on_write_done(self, message: WriteDone) -> None:
        if self.session is not None:
            self.session.apply(message.job, message.result)
            self.changed.publish(Change(message.job, saved=True, result=message.result))

    def on_write_failed(self, message: WriteFailed) -> None:
        self.notify(message.error, title="Not saved", severity="error", timeout=10)
        if self.session is not None:
            self.session.forget(message.job)
            self.changed.publish(Change(message.job, saved=False))

    def action_help(self) -> None:
        from auditkit.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    async def action_quit(self) -> None:
        """Record where the auditor was, then wait for every write already asked for."""
        for screen in self.screen_stack:
            save_position = getattr(screen, "save_position", None)
            if save_position is not None:
                save_position()
        await self.workers.wait_for_complete()
        self.exit()

    def open_screen(self, name: str, **options: Any) -> None:
        """Show one of the audit's screens by name (used by keys and the command palette)."""
        from auditkit.tui.screens import screen_class

        if self.session is None:
            self.notify("Open an audit first.", severity="warning")
            return
        self.push_screen(screen_class(name)(**options))
