"""The QA panel on the dashboard and in the finalize dialog: the verdict never reads PASS for an
audit that cannot be submitted, and each problem jumps to what fixes it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList

from auditkit.audit import Audit, Profile
from auditkit.rules.finalize import recorded_deviation
from auditkit.rules.progress import expected_keys
from auditkit.rules.sampling import sample_progress
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.finalize import FinalizeDialog
from auditkit.tui.dialogs.sample_profile import SampleProfileDialog
from auditkit.tui.jobs import Write
from auditkit.tui.screens.dashboard import DashboardScreen
from auditkit.tui.screens.interviews import InterviewsScreen
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.element_bars import ElementBars
from auditkit.tui.widgets.qa_panel import ProblemOption
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_app(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


def verdict(app: AuditkitApp) -> str:
    rendered = str(app.screen.query_one(ElementBars).render())
    return rendered.splitlines()[1]


def problems(app: AuditkitApp, selector: str = "#qa-problems") -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [
        f"{o.problem.code} {o.problem.question or o.problem.subject or ''}".strip()
        for o in options.options
        if isinstance(o, ProblemOption)
    ]


def messages(app: AuditkitApp) -> str:
    options = app.screen.query_one("#qa-problems", OptionList).options
    return " | ".join(o.problem.message for o in options if isinstance(o, ProblemOption))


def answer_everything(path: Path) -> None:
    with Audit.open(path, write=True) as audit:
        for question, subject in expected_keys(audit.protocol, audit.subjects()):
            value = str(question.points) if question.accepts_points else "yes"
            audit.answer(question.id, value, subject=subject.id if subject else None)


async def test_no_verdict_before_anything_is_answered(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert verdict(app).startswith("No answer yet")
        assert "PASS" not in verdict(app) and "FAIL" not in verdict(app)


async def test_a_full_score_with_a_short_sample_is_not_submittable(mini_path: Path) -> None:
    answer_everything(mini_path)  # 12 workers: 9 interviews, two done
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert verdict(app).startswith("would pass on score — not submittable: 2 problems")
        assert "PASS" not in verdict(app)
        assert problems(app) == [
            "sample.interviews senior_manager",
            "sample.interviews",  # 2 of the 9 interviews of a headcount of 12
            "sample.sites",  # a warning: no head office marked
        ]
        await pilot.press("q", "enter")  # the first problem: the interviews screen
        await settle(pilot)
        assert isinstance(app.screen, InterviewsScreen)


async def test_an_answer_refreshes_the_panel_and_a_problem_jumps_to_its_question(
    mini_path: Path,
) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "unanswered 1.D1" in problems(app)
        # An answer saved the way every screen saves one: through the app's writer.
        app.save(Write("the answer to 1.D1", lambda a: a.answer("1.D1", "7"), key=("1.D1", "")))
        await settle(pilot)
        assert "unanswered 1.D1" not in problems(app)
        assert verdict(app).startswith("FAIL so far")
        first = problems(app)[0]
        assert first == "unanswered 5.D1"
        await pilot.press("q", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        question = app.screen.query_one(QuestionList).question
        assert question is not None and question.id == "5.D1"


async def test_the_finalize_dialog_takes_a_deviation_for_a_sampling_shortfall(
    mini_path: Path,
) -> None:
    answer_everything(mini_path)
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, FinalizeDialog)
        assert problems(app, "#finalize-qa #qa-problems") == [
            "sample.interviews senior_manager",
            "sample.interviews",
            "sample.sites",
        ]
        await pilot.press("ctrl+s")  # no deviation given yet: nothing happens
        assert isinstance(app.screen, FinalizeDialog)
        app.screen.query_one("#deviation", Input).value = "The owner was in hospital."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    with Audit.open(mini_path) as audit:
        assert audit.profile["finalized_at"]
        found = recorded_deviation(audit.profile)
        assert found is not None and found[0] == "The owner was in hospital."


async def test_the_staff_and_head_office_are_set_from_the_dashboard(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "no site is marked as the head office" in messages(app)
        await pilot.press("S")
        assert isinstance(app.screen, SampleProfileDialog)
        app.screen.query_one("#staff", Input).value = "foreman=2"
        await pilot.press("ctrl+s")  # refused, named; the dialog stays
        assert isinstance(app.screen, SampleProfileDialog)
        assert "unknown level 'foreman'" in " | ".join(n.message for n in app._notifications)
        app.screen.query_one("#staff", Input).value = "senior_manager=1, supervisor=2, worker=9"
        app.screen.query_one("#head-office", Input).value = "Head office, Red Deer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "12 workers" in str(app.screen.query_one("#profile").render())
        assert "sample.interviews senior_manager" in problems(app)
        assert "no site is marked as the head office" not in messages(app)
        assert "the head office is not among the visited sites" in messages(app)
        assert app.session is not None
        assert "Head office, Red Deer" in [s.label for s in app.session.subjects_of("site")]
    with Audit.open(mini_path) as audit:
        roles = [r.required for r in sample_progress(audit).roles]
        assert roles == [1, 0, 1, 7]  # 12: 9 interviews, in proportion to the staff


async def test_a_worker_interviewed_by_written_questionnaire(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "plus")
        app.screen.query_one("#code", Input).value = "WQ-01"
        app.screen.query_one("#questionnaire", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InterviewsScreen)
    with Audit.open(mini_path) as audit:
        added = audit.find_subject("WQ-01", "interviewee")
        # The form dates the interview today unless the auditor changes it.
        today = date.today().isoformat()
        assert (added.role, added.fields) == ("worker", {"questionnaire": True, "date": today})


async def test_a_question_nobody_can_answer_is_not_all_answered(tmp_path: Path) -> None:
    from tests.conftest import MINI

    path = tmp_path / "crew.audit"
    profile = Profile(company="Crew Ltd", protocol=str(MINI), headcounts=(3,), sites=("Yard",))
    with Audit.create(path, profile) as audit:
        audit.add_subject("interviewee", "WK-01", role="worker")
        audit.add_subject("incident", "INC-1", fields={"type": "first_aid"})
    answer_everything(path)  # everything the subjects can answer; 5.I1 asks supervisors only
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        left = str(app.screen.query_one("#left").render())
        assert left.startswith("Left  1 question nobody added can answer (QA check)")
        assert "All answered" not in left
        assert "asked only of supervisor: nobody of that role interviewed" in messages(app)


async def test_a_question_nobody_can_answer_jumps_to_adding_them(tmp_path: Path) -> None:
    from tests.conftest import MINI

    path = tmp_path / "crew.audit"
    profile = Profile(company="Crew Ltd", protocol=str(MINI), headcounts=(3,), sites=("Yard",))
    Audit.create(path, profile).close()
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#qa-problems", OptionList)
        index = next(
            i
            for i, o in enumerate(options.options)
            if isinstance(o, ProblemOption) and o.problem.question == "5.I1"
        )
        await pilot.press("q")
        options.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewsScreen)  # add a supervisor first
