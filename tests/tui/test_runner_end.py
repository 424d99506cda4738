"""The end of the runner's list: answering the last question never wraps silently to the top."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)
LAST = "8.O1"  # the runner lists by element: 1, 5, 8; 8.O1 is per site, and Yard the only one


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def current(app: AuditkitApp) -> str | None:
    question = app.screen.query_one(QuestionList).question
    return question.id if question else None


def notes(app: AuditkitApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_last_answer_goes_to_the_first_unanswered_and_says_so(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "7")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner")  # every question (r resumes the last checklist)
        await pilot.pause()
        app.screen.query_one(QuestionList).go_to(LAST)
        await pilot.press("y")
        await settle(pilot)
        assert current(app) == "1.I1"
        assert "Last question. First unanswered: 1.I1 for SV-01." in notes(app)
        assert "SV-01" in app.screen.query_one("#question").plain_text()  # type: ignore[attr-defined]


async def test_the_last_answer_stays_put_when_everything_is_answered(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "7")
        for label in ("SV-01", "WK-01"):
            audit.answer("1.I1", "yes", subject=label)
        for question, subject in (
            ("5.D1", None),
            ("5.O1", "Yard"),
            ("5.I1", "SV-01"),
            ("5.R1", "INC-1"),
            ("8.D1", None),
        ):
            audit.answer(question, "yes", subject=subject)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner")  # every question (r resumes the last checklist)
        await pilot.pause()
        app.screen.query_one(QuestionList).go_to(LAST)
        await pilot.press("p")
        await settle(pilot)
        assert current(app) == LAST
        assert "Last question: every question here is answered." in notes(app)
        await pilot.press("j")
        assert current(app) == LAST
        assert notes(app)[-1] == "Last question."


async def test_moving_up_from_the_first_question_stays(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "k")
        assert current(app) == "1.D1"
        assert notes(app)[-1] == "First question."
