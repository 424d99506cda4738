"""The smaller field-test findings: the note dialog names the question, the pane says whether
N/A is allowed, counts read as English, r resumes the component you were in, and the runner's
title names the subject answers go to."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label, Static

from auditkit.audit import Audit, Profile
from auditkit.tui.app import AuditkitApp
from auditkit.tui.widgets.question_list import QuestionList
from auditkit.tui.widgets.question_view import QuestionView

SIZE = (120, 40)
MINI = Path(__file__).parent.parent / "fixtures" / "mini"


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_app(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


async def test_note_dialog_names_the_question_text(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        title = str(app.screen.query_one(".dialog-title", Label).render())
        question = app.session.protocol.question("1.D1")  # type: ignore[union-attr]
        assert title.startswith("Note on 1.D1: ") and question.text[:30] in title


async def test_question_pane_says_whether_na_is_allowed(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        view = app.screen.query_one(QuestionView)
        app.screen.query_one(QuestionList).go_to("5.R1")  # may not be N/A
        await pilot.pause()
        assert "N/A not allowed" in view.plain_text()
        app.screen.query_one(QuestionList).go_to("8.D1")  # may be N/A
        await pilot.pause()
        assert "N/A allowed" in view.plain_text()


async def test_one_interviewee_is_not_plural(tmp_path: Path) -> None:
    path = tmp_path / "one.audit"
    with Audit.create(
        path, Profile(company="One Co", protocol=str(MINI), headcounts=(5,), sites=("Yard",))
    ) as audit:
        audit.add_subject("interviewee", "WK-01", role="worker", site="Yard")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "1 interviewee ·" in summary and "+: add" in summary


async def test_resume_returns_to_the_component_you_were_in(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")  # the documents checklist
        await settle(pilot)
        title = str(app.screen.query_one("#runner-title", Static).render())
        await pilot.press("j", "escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        resumed = str(app.screen.query_one("#runner-title", Static).render())
        assert "Every question" not in resumed
        assert resumed.split("   ")[0] == title.split("   ")[0]


async def test_runner_title_names_the_site_answers_go_to(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        app.screen.query_one(QuestionList).go_to("5.O1")  # per site; the only site is chosen
        await pilot.pause()
        title = str(app.screen.query_one("#runner-title", Static).render())
        assert "for site Yard" in title
