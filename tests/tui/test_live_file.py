"""Live file: what another process writes (a colleague's CLI, a merge) shows in the open TUI,
and a note being typed meanwhile is kept."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import TextArea

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def mark_of(app: AuditkitApp, question_id: str) -> str:
    questions = app.screen_stack[-2 if isinstance(app.screen, NoteDialog) else -1].query_one(
        QuestionList
    )
    index = questions.get_option_index(question_id)
    return str(questions.get_option_at_index(index).prompt)


async def test_an_answer_written_by_another_process_shows(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e", *"Half a note")
        await settle(pilot)
        assert app.session is not None and app.session.value(("5.D1", "")) is None
        with Audit.open(mini_path, write=True) as other:  # a colleague's CLI
            other.author = "colleague"
            other.answer("5.D1", "no", note="No inspection schedule")
        app.check_file()  # what the 0.5 s poll runs
        await settle(pilot)
        assert app.session.value(("5.D1", "")) == "no"
        assert mark_of(app, "5.D1").startswith("✘")
        assert isinstance(app.screen, NoteDialog)  # the note being typed is kept
        assert app.screen.query_one(TextArea).text == "Half a note"
        assert app.session.scores().answered == 1


async def test_own_writes_do_not_reload(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "y")
        await settle(pilot)
        assert app.session is not None
        before = app.session.answers
        app.check_file()
        await settle(pilot)
        assert app.session.answers is before  # nothing reloaded: the file changed only here
        assert isinstance(app.screen, RunnerScreen)
