"""The auditkit Textual app: holds the open audit and delivers job results to the screens.

Screens do the work; the app only owns the session, the engine thread and the global keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.notifications import SeverityLevel
from textual.signal import Signal

from auditkit.audit import Audit
from auditkit.text import printable
from auditkit.tui.auditor import remember_author
from auditkit.tui.collector import Collector
from auditkit.tui.commands import AuditCommands
from auditkit.tui.jobs import (
    AuditFinalized,
    AuthorChosen,
    EngineThread,
    Job,
    JobFailed,
    Read,
    Write,
    WriteOutcome,
)
from auditkit.tui.key_order import KeysInOrder
from auditkit.tui.keys import bindings
from auditkit.tui.live import POLL_SECONDS, FileWatch, Reloaded
from auditkit.tui.recent import remember
from auditkit.tui.session import Session
from auditkit.tui.undo import UndoHistory, Undone, undo_job, undoable

LIGHT, DARK = "textual-light", "textual-dark"
R = TypeVar("R")


def finalize_audit(audit: Audit, deviation: str | None = None) -> AuditFinalized:
    """The engine's finalize (imported when used: opening an audit does not need it)."""
    from auditkit.rules.finalize import finalize

    scores = finalize(audit, deviation)
    return AuditFinalized(scores, audit.seal() or "")


def finalized_message(result: AuditFinalized) -> str:
    """What finalizing says: the score, the verdict and the seal, as the CLI prints them."""
    from auditkit.rules.scoring import display_percent

    scores = result.scores
    verdict = "PASS" if scores.passed else "FAIL"
    seal = (
        f" Seal: {result.seal} (a copy is checked with: auditkit verify FILE --seal SEAL)."
        if result.seal
        else ""
    )
    return (
        f"Finalized: {scores.answered} of {scores.total} questions answered, overall "
        f"{display_percent(scores.percent)} {verdict}.{seal} A later change asks for a reason."
    )


def choose_author(name: str) -> Write[AuthorChosen]:
    """The write that makes ``name`` the author of every later change, on this computer."""
    return Write(
        "who is auditing",
        lambda audit: AuthorChosen(remember_author(audit, name)),
        locked=False,
    )


class AuditkitApp(KeysInOrder):
    """Home when started without an audit; the audit's dashboard when given one."""

    CSS_PATH = "app.tcss"
    TITLE = "auditkit"
    COMMANDS = App.COMMANDS | {AuditCommands}
    BINDINGS = [*bindings("help", "theme", "undo", "home"), *bindings("quit")]
    # Screens below 100 columns get the -narrow class: tighter columns, shorter bars.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, audit: Audit | None = None, remember_recent: bool = True) -> None:
        super().__init__()
        self.theme = DARK
        self.session: Session | None = None
        self.engine: EngineThread | None = None
        self.changed: Signal[WriteOutcome] = Signal(self, "session-changed")
        self._remember = remember_recent
        self.undo_history = UndoHistory()
        self.file_watch = FileWatch()
        self._probing = False
        self.collector = Collector()
        # Read before the UI runs: nothing reads SQLite on the UI thread.
        self._initial = Session.load(audit) if audit is not None else None

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll, name="live file")
        if self._initial is not None:
            self.open_audit(self._initial)
        else:
            from auditkit.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())

    def open_audit(self, session: Session) -> None:
        """Make the audit of ``session`` (loaded off the UI thread) the open one; show its
        dashboard."""
        from auditkit.tui.screens.dashboard import DashboardScreen

        if self.engine is not None:
            self.engine.stop(close=True)  # after what is queued for the audit open before
        audit = session.audit
        named = session.known_author
        if named is not None:
            audit.author = named  # set before the engine thread runs anything
        self.session = session
        self.undo_history = UndoHistory()  # steps of another audit cannot be undone here
        self.engine = EngineThread(audit)
        self.file_watch = FileWatch()
        # Takes note of the file's version as opened, and puts the audit first in Home's
        # list, after the first frame (not before it).
        self.call_after_refresh(self.check_file)
        self.call_after_refresh(self.remember_recent)
        self.push_screen(DashboardScreen())
        self.show_identity()
        if named is None:
            self.ask_author()

    def on_unmount(self) -> None:
        self.remember_recent()  # Home shows the progress as the auditor left it
        if self.engine is not None:
            # The audit's owner (run_audit, a test) closes it once this returns: what is
            # queued (a write the auditor saw as saving) finishes first, and nothing is left
            # running on the connection when it is closed.
            self.engine.stop(wait=True)
        from auditkit.tui.viewer import remove_private_folder

        remove_private_folder()  # the attached files copied out for the viewer
        self.collector.release()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.input_seen = True  # not a moment for a full collection
        await super().on_event(event)

    def _poll(self) -> None:
        """Every half second: what another process wrote, and garbage if the auditor paused."""
        self.collector.tick()
        self.check_file()

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
                self.save(choose_author(name))

        self.push_screen(AuthorDialog(audit.auditors, audit.author), chosen)

    def remember_recent(self) -> None:
        """Put the open audit first in Home's recent list, with its date, status and progress
        as they are now (on opening, going Home and quitting)."""
        session = self.session
        if not self._remember or session is None:
            return
        profile = session.profile
        remember(
            session.audit.path,
            str(profile["company"]),
            str(profile.get("start_date") or ""),
            "finalized" if session.finalized_at else "draft",
            *session.progress(),
        )

    def ask_profile(self) -> None:
        """The company profile and completed courses; saved on the writer once confirmed."""
        from auditkit.rules.catalogue import load_catalogue
        from auditkit.tui.dialogs.profile import ProfileChanges, ProfileDialog

        if self.session is None:
            return

        def chosen(changes: ProfileChanges | None) -> None:
            if changes is not None and changes.changes:
                self.save(Write("the company profile", changes.apply), self._profile_saved)

        self.push_screen(ProfileDialog(dict(self.session.profile), load_catalogue()), chosen)

    def _profile_saved(self, result: None) -> None:
        self.show_identity()  # the company name may show in the header
        self.notify("Company profile saved.")

    def ask_site(self) -> None:
        """Add one site (its whole name, commas and all) through the engine."""
        from auditkit.tui.dialogs.subject_forms import SiteForm

        if self.session is None:
            return

        def chosen(label: str | None) -> None:
            if label:
                self.save(
                    Write(f"the site {label!r}", lambda audit: audit.add_subject("site", label)),
                    lambda site: self.notify(f"Site added: {printable(site.label)}"),
                )

        self.push_screen(SiteForm(), chosen)

    def ask_finalize(self) -> None:
        """Show the score and whether every question is answered; finalize once confirmed."""
        from auditkit.tui.dialogs.finalize import FinalizeDialog

        session = self.session
        if session is None:
            self.notify("Open an audit first.", severity="warning")
            return
        if session.finalized_at:
            when = session.finalized_at[:10]

            def sealed(seal: str | None) -> None:
                self.notify(
                    f"Finalized on {when}, seal {seal or 'not recorded'}. Changes since "
                    "then: h (amendments) on the dashboard.",
                    timeout=15,
                )

            self.read(Read("the seal", lambda audit: audit.seal()), sealed)
            return

        from auditkit.tui.widgets.qa_panel import open_fix, session_check

        def confirmed(finalize: bool | str | None) -> None:
            if finalize:
                deviation = finalize if isinstance(finalize, str) else None
                self.save(
                    Write(
                        "finalizing the audit",
                        lambda audit: finalize_audit(audit, deviation),
                        locked=False,
                    )
                )

        def fix(event: Any) -> None:
            open_fix(self, event.problem)

        self.push_screen(
            FinalizeDialog(
                str(session.profile["company"]),
                session.scores(),
                self.open_next_unanswered,
                session_check(session),
                fix,
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

    def read(
        self,
        job: Read[R],
        then: Callable[[R], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``job`` on the engine thread; its result goes to ``then`` (on the UI thread),
        and to nobody else. A failure is shown, and passed to ``failed``."""
        assert self.engine is not None
        self._deliver(job, self.engine.submit(job), then, failed)

    def save(
        self,
        job: Write[R],
        then: Callable[[R], None] | None = None,
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Hand a write to the engine thread; the answer it concerns shows as pending until it
        lands, then the session mirror and every screen follow, and ``then`` gets the result.

        A change to a finalized audit first asks why; cancelled, it is not made.
        """
        assert self.session is not None
        if self.session.needs_reason(job):
            self._ask_reason(job, then, failed)
        else:
            self._submit(job, None, then, failed)

    def check_file(self) -> None:
        """Ask the engine whether another process wrote to the file; if so, every screen shows
        what it wrote (run every half second; one probe at a time)."""
        if self.engine is None or self._probing:
            return
        self._probing = True

        def done(found: Reloaded | None) -> None:
            self._probing = False
            if found is not None and self.session is not None:
                self._reloaded(found)

        def failed(error: str) -> None:
            self._probing = False

        self.read(self.file_watch.job(), done, failed)

    def _reloaded(self, found: Reloaded) -> None:
        assert self.session is not None
        self.session.reload(found.answers, found.subjects, found.evidence)
        self.show_identity()
        job: Write[None] = Write("a change made by another program", lambda audit: None)
        self.changed.publish(WriteOutcome(job, saved=True, result=found))

    def save_undoable(self, job: Write[R]) -> None:
        """Save a change to one answer (value, note or clear) that ``ctrl+z`` can undo."""
        self.save(undoable(job, self.undo_history))

    def action_undo(self) -> None:
        """Put back the answer the last undoable change changed (a journaled write)."""
        if self.session is None:
            self.notify("Nothing to undo.")
            return

        def undone(result: Undone) -> None:
            if result.step is None:
                self.notify("Nothing to undo.")
            else:
                self.notify(f"Undone: {result.step.describe}.", title="Undo")

        self.save(undo_job(self.undo_history), undone)

    def _submit(
        self,
        job: Write[R],
        reason: str | None,
        then: Callable[[R], None] | None,
        failed: Callable[[str], None] | None,
    ) -> None:
        assert self.session is not None and self.engine is not None
        if job.key is not None:
            self.session.pending.add(job.key)
        self._deliver(job, self.engine.submit(job, reason), then, failed)

    def _deliver(
        self,
        job: Job[R],
        future: Future[R],
        then: Callable[[R], None] | None,
        failed: Callable[[str], None] | None,
    ) -> None:
        """Await the job on the UI loop (a worker, so tests and quitting can wait for it)."""

        async def deliver() -> None:
            try:
                result = await asyncio.wrap_future(future)
            except JobFailed as exc:
                self._failed(job, str(exc), failed)
                return
            if isinstance(job, Write):
                self._committed(job, result)
            if then is not None:
                then(result)

        self.run_worker(deliver(), group="jobs", name=job.describe, exit_on_error=False)

    def _committed(self, job: Write[Any], result: object) -> None:
        if self.session is None:
            return
        if isinstance(result, Undone):  # the mirror and the screens follow the answer put back
            result = result.result
        self.session.apply(job, result)
        if isinstance(result, AuthorChosen | AuditFinalized):
            self.show_identity()
        if isinstance(result, AuditFinalized):
            self.notify(finalized_message(result), title="Audit finalized", timeout=30)
        self.changed.publish(WriteOutcome(job, saved=True, result=result))

    def _failed(self, job: Job[Any], error: str, failed: Callable[[str], None] | None) -> None:
        self.notify(error, title="Not saved", severity="error", timeout=10)
        if isinstance(job, Write) and self.session is not None:
            self.session.forget(job)
            self.changed.publish(WriteOutcome(job, saved=False))
        if failed is not None:
            failed(error)

    def _ask_reason(
        self,
        job: Write[R],
        then: Callable[[R], None] | None,
        failed: Callable[[str], None] | None,
    ) -> None:
        from auditkit.tui.dialogs.reason import ReasonDialog

        session = self.session
        assert session is not None and session.finalized_at is not None

        def answered(reason: str | None) -> None:
            if reason:
                session.last_reason = reason
                self._submit(job, reason, then, failed)
                return
            message = f"A change to a finalized audit needs a reason; {job.describe} was not saved."
            self.notify(message, title="Not saved", severity="warning", timeout=8)
            self.changed.publish(WriteOutcome(job, saved=False))
            if failed is not None:
                failed(message)

        self.push_screen(
            ReasonDialog(job.describe, session.finalized_at[:10], session.last_reason), answered
        )

    def action_help(self) -> None:
        from auditkit.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_home(self) -> None:
        """Back to Home (recent audits, a new audit); the open audit stays open until
        another is opened."""
        from auditkit.tui.screens.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            return
        for screen in self.screen_stack:
            save_position = getattr(screen, "save_position", None)
            if save_position is not None:
                save_position()
        self.remember_recent()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(HomeScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    async def action_quit(self) -> None:
        """Ask first when a note or a form is half typed; then record where the auditor was
        and wait for every write already asked for."""
        from auditkit.tui.dialogs.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return  # answer the question first
        lost = [
            text
            for screen in self.screen_stack
            if (text := getattr(screen, "unsaved", lambda: "")())
        ]
        if lost:

            async def answered(yes: bool | None) -> None:
                if yes:
                    await self._quit()

            self.push_screen(
                ConfirmDialog(f"Quit and discard {' and '.join(lost)}?", "Quit", "Keep"),
                answered,
            )
            return
        await self._quit()

    async def _quit(self) -> None:
        for screen in self.screen_stack:
            save_position = getattr(screen, "save_position", None)
            if save_position is not None:
                save_position()
        await self.workers.wait_for_complete()
        self.exit()

    def jump_to(self, question_id: str) -> None:
        """The palette's jump to a question: the runner on screen goes there itself, keeping
        the subject its answers go to; from another screen a runner opens at it."""
        from auditkit.tui.scope import Scope

        jump = getattr(self.screen, "jump_to", None)
        if jump is not None:
            jump(question_id)
        else:
            self.open_screen("runner", scope=Scope(start=question_id))

    def open_screen(self, name: str, **options: Any) -> None:
        """Show one of the audit's screens by name (used by keys and the command palette)."""
        from auditkit.tui.screens import screen_class

        if self.session is None:
            self.notify("Open an audit first.", severity="warning")
            return
        self.push_screen(screen_class(name)(**options))
