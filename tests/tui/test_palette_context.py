"""A palette jump (ctrl+p, a question) keeps the interview: interviewing SV-01 and jumping to
another of their questions, the answer still goes to SV-01 and the title still names them."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.scope import Scope
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def jump(pilot: Pilot[None], question_id: str) -> None:
    """ctrl+p, the question's id, Enter on the first hit."""
    await pilot.press("ctrl+p", *question_id)
    await settle(pilot)
    await pilot.pause(0.3)  # the palette searches as it is typed into
    await pilot.press("enter")
    await settle(pilot)


def title(app: AuditkitApp) -> str:
    return str(app.screen.query_one("#runner-title", Static).render())


def current(app: AuditkitApp) -> str:
    question = app.screen.query_one(QuestionList).question
    return question.id if question else ""


def subject_id(path: Path, label: str) -> str:
    with Audit.open(path) as audit:
        return audit.find_subject(label).id


def stored(path: Path) -> set[tuple[str, str, str | None]]:
    with Audit.open(path) as audit:
        labels = {s.id: s.label for s in audit.subjects()} | {"": ""}
        return {(a.question_id, labels[a.subject_id], a.value) for a in audit.answers()}


async def test_a_jump_inside_an_interview_answers_for_the_same_person(mini_path: Path) -> None:
    supervisor = subject_id(mini_path, "SV-01")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(component="interviews", subject_id=supervisor))
        await settle(pilot)
        interview = app.screen
        assert current(app) == "1.I1" and "SV-01" in title(app)
        await jump(pilot, "5.I1")
        assert app.screen is interview  # the same interview, not "Every question"
        assert current(app) == "5.I1" and "SV-01" in title(app)
        await pilot.press("y")
        await settle(pilot)
    assert stored(mini_path) == {("5.I1", "SV-01", "yes")}


async def test_a_jump_keeps_the_interviewee_chosen_in_every_question(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(start="1.I1"))
        await settle(pilot)
        await pilot.press("s", "down", "enter")  # WK-01 (the list is by label: SV-01, WK-01)
        await settle(pilot)
        assert "for interviewee WK-01" in title(app)
        await jump(pilot, "8.D1")
        await jump(pilot, "1.I1")
        assert isinstance(app.screen, RunnerScreen) and len(app.screen_stack) == 3
        assert current(app) == "1.I1" and "for interviewee WK-01" in title(app)
        await pilot.press("n")
        await settle(pilot)
    assert stored(mini_path) == {("1.I1", "WK-01", "no")}


async def test_a_jump_out_of_the_interview_opens_a_runner_over_it(mini_path: Path) -> None:
    worker = subject_id(mini_path, "WK-01")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(component="interviews", subject_id=worker))
        await settle(pilot)
        interview = app.screen
        await jump(pilot, "5.I1")  # asked of supervisors only: not of WK-01
        assert app.screen is not interview and current(app) == "5.I1"
        said = " | ".join(n.message for n in app._notifications)
        assert "5.I1 is not asked of WK-01: choose the interviewee (s)." in said
        await pilot.press("escape")
        assert app.screen is interview and "WK-01" in title(app)
