"""The auditkit Textual app: holds the open audit and routes committed writes to the screens.

Screens do the work; the app only owns the session, the writer and the global keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.signal import Signal

from auditkit.audit import Audit
from auditkit.text import printable
from auditkit.tui.auditor import known_author, remember_author
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


def finalize_audit(audit: Audit) -> Any:
    """The engine's finalize (imported when used: opening an audit does not need it)."""
    from auditkit.rules.finalize import finalize

    return finalize(audit)


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
        if self._remember:
            remember(audit.path, str(audit.profile["company"]))
        self.push_screen(DashboardScreen())
        named = known_author(audit)
        if named is not None:
            audit.author = named  # set before any write: the writer has nothing queued yet
        self.show_identity()
        if named is None:
            self.ask_author()

    def show_identity(self) -> None:
        """The header's sub-title: who is writing, FINALIZED once locked, and the company
        (last, as the part a narrow screen cuts: the dashboard shows it in full)."""
        session = self.session
        if session is None:
            return
        finalized = session.finalized_at
        self.sub_title = " · ".join(
            part
            for part in (
                f"auditor: {session.audit.author}",
                f"FINALIZED {finalized[:10]}" if finalized else "",
                str(session.profile["company"]),
            )
            if part
        )
        self.sub_title = printable(self.sub_title)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text: messages quote labels, notes, file names and
        errors, which must never be read as markup (``markup`` is ignored)."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def ask_author(self) -> None:
        """Ask who is auditing on this computer; the name goes with every later change."""
        from auditkit.tui.dialogs.choose_auditor import AuthorDialog

        assert self.session is not None
        audit = self.session.audit

        def chosen(name: str | None) -> None:
            if name:
                self.save(
                    Job("meta", "who is auditing", lambda audit: remember_author(audit, name))
                )

        self.push_screen(AuthorDialog(audit.auditors, audit.author), chosen)

    def ask_finalize(self) -> None:
        """Show the score and whether every question is answered; finalize once confirmed."""
        from auditkit.tui.dialogs.finalize import FinalizeDialog

        session = self.session
        if session is None:
            self.notify("Open an audit first.", severity="warning")
            return
        if session.finalized_at:
            self.notify(
                f"Finalized on {session.finalized_at[:10]}; amendments are listed "
                "under 'a' on the dashboard."
            )
            return

        def confirmed(finalize: bool | None) -> None:
            if finalize:
                self.save(Job("finalize", "finalizing the audit", finalize_audit))

        self.push_screen(
            FinalizeDialog(
                str(session.profile["company"]), session.scores(), self.open_next_unanswered
            ),
            confirmed,
        )

    def open_next_unanswered(self) -> None:
        """The runner at the first answer still missing, for its subject."""
        from auditkit.rules.progress import first_unanswered
        from auditkit.tui.scope import Scope
        from auditkit.tui.widgets.mechanics import cascaded_ids

        session = self.session
        assert session is not None
        found = first_unanswered(
            session.protocol, session.subjects, session.answered(), skip=cascaded_ids(session)
        )
        if found is None:
            self.notify("Every question is answered.")
            return
        question, subject = found
        self.open_screen(
            "runner", scope=Scope(start=question.id, start_subject=subject.id if subject else None)
        )

    def save(self, job: Job) -> None:
        """Hand a write to the writer; the answer it concerns shows as pending until it lands.

        A change to a finalized audit first asks why; cancelled, it is not made.
        """
        assert self.session is not None and self.writer is not None
        if self.session.needs_reason(job):
            self._ask_reason(job)
        else:
            self._submit(job, None)

    def _submit(self, job: Job, reason: str | None) -> None:
        assert self.session is not None and self.writer is not None
        if job.key is not None:
            self.session.pending.add(job.key)
        self.writer.submit(job, reason)

    def _ask_reason(self, job: Job) -> None:
        from auditkit.tui.dialogs.reason import ReasonDialog

        session = self.session
        assert session is not None and session.finalized_at is not None

        def answered(reason: str | None) -> None:
            if reason:
                session.last_reason = reason
                self._submit(job, reason)
                return
            self.notify(
                f"A change to a finalized audit needs a reason; {job.describe} was not saved.",
                title="Not saved",
                severity="warning",
                timeout=8,
            )
            self.changed.publish(Change(job, saved=False))

        self.push_screen(
            ReasonDialog(job.describe, session.finalized_at[:10], session.last_reason), answered
        )

    def on_write_done(self, message: WriteDone) -> None:
        if self.session is not None:
            self.session.apply(message.job, message.result)
            if message.job.action in ("finalize", "meta"):
                self.show_identity()
            if message.job.action == "finalize":
                self.notify(
                    f"Finalized: {message.result.answered} of {message.result.total} "
                    "questions answered. A later change asks for a reason.",
                    title="Audit finalized",
                    timeout=8,
                )
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
