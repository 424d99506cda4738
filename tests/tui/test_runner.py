"""A small audit run end to end from the keyboard; the store is checked after reopening it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.question_list import QuestionList
from auditkit.tui.widgets.question_view import QuestionView

SIZE = (120, 40)


def stored(path: Path) -> dict[tuple[str, str], tuple[str | None, str]]:
    """(question, subject label) -> (value, note), read from a fresh connection."""
    with Audit.open(path) as audit:
        labels = {s.id: s.label for s in audit.subjects()} | {"": ""}
        return {(a.question_id, labels[a.subject_id]): (a.value, a.note) for a in audit.answers()}


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def current_question(app: AuditkitApp) -> str | None:
    question = app.screen.query_one(QuestionList).question
    return question.id if question else None


async def test_whole_mini_audit_from_the_keyboard(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # runner, every question, grouped by element
        assert isinstance(app.screen, RunnerScreen)
        assert current_question(app) == "1.D1"
        await pilot.press("7")  # 7 of 10 points: no second digit could follow
        await settle(pilot)
        assert current_question(app) == "1.I1"
        await pilot.press("y")  # asked of both interviewees: the picker asks which one
        await pilot.press("down", "enter")  # the second one, WK-01
        await settle(pilot)
        assert current_question(app) == "5.D1"
        await pilot.press("n")
        await pilot.press("p")  # 5.O1, per site: the only site is chosen already
        await pilot.press("y")  # 5.I1 asks supervisors only: SV-01 is the one offered
        await pilot.press("enter")
        await pilot.press("a")  # 5.R1 may not be N/A: refused, nothing moves
        await settle(pilot)
        assert current_question(app) == "5.R1"
        await pilot.press("y")
        await pilot.press("a")  # 8.D1 may be N/A
        await settle(pilot)
        await pilot.press("e")
        await pilot.press(*"Kits checked", "ctrl+s")
        await settle(pilot)
    assert stored(mini_path) == {
        ("1.D1", ""): ("7", ""),
        ("1.I1", "WK-01"): ("yes", ""),
        ("5.D1", ""): ("no", ""),
        ("5.O1", "Yard"): ("partial", ""),
        ("5.I1", "SV-01"): ("yes", ""),
        ("5.R1", "INC-1"): ("yes", ""),
        ("8.D1", ""): ("na", ""),
        ("8.O1", "Yard"): (None, "Kits checked"),
    }


async def test_saved_only_after_the_write_commits(mini_path: Path) -> None:
    """A read-only file refuses the write: the app says so and nothing shows as saved."""
    app = AuditkitApp(Audit.open(mini_path, write=False), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "y")
        await settle(pilot)
        assert app.session is not None
        assert app.session.answers == {}
        assert app.session.pending == set()
        assert any("read-only" in n.message for n in app._notifications)
        await pilot.press("k")
        pane = app.screen.query_one(QuestionView).plain_text()
        assert "1.D1" in pane and "unanswered" in pane and "saved" not in pane
    assert stored(mini_path) == {}


async def test_answer_shows_saved_once_committed(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "y")
        await settle(pilot)
        await pilot.press("k")
        assert "✔ Yes saved" in app.screen.query_one(QuestionView).plain_text()
    assert stored(mini_path) == {("1.D1", ""): ("yes", "")}


async def test_reopening_resumes_at_the_last_question(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "y", "j")  # answer 1.D1 (moves to 1.I1), then on to 5.D1
        await settle(pilot)
        assert current_question(app) == "5.D1"
        await app.action_quit()
    again = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert current_question(again) == "5.D1"


async def test_interviews_screen_adds_an_interviewee(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "plus")
        code = app.screen.query_one("#code")
        code.value = "MG-07"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        added = audit.find_subject("MG-07", "interviewee")
        assert added.role == "worker"


async def test_incident_record_added_and_reviewed(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "plus")
        app.screen.query_one("#date").value = "2026-05-02"  # type: ignore[attr-defined]
        app.screen.query_one("#investigated").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # the new record is highlighted: review its questions
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("n")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        record = audit.find_subject("INC-002", "incident")
        assert record.fields == {
            "date": "2026-05-02",
            "type": "near_miss",
            "reportable": False,
            "reported_to_ohs": False,
            "investigated": True,
            "actions_closed": False,
        }
    assert stored(mini_path) == {("5.R1", "INC-002"): ("no", "")}
