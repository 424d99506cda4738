"""The runner's counts mean the same whatever subject is chosen: every answer its checklist
asks for (each site, interviewee and incident record), then the chosen subject's own count.
Choosing another interviewee used to shrink the total (244 → 226 in the demo)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from auditkit.audit import Audit
from auditkit.rules.progress import subjects_for
from auditkit.tui.app import AuditkitApp
from auditkit.tui.scope import Scope
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(app: AuditkitApp) -> str:
    """The title row after the runner's name (and the subject answers go to)."""
    shown = str(app.screen.query_one("#runner-title", Static).render())
    return shown.split("   ", 1)[1] if "   " in shown else shown[shown.index(":") :]


def every_answer(path: Path) -> int:
    with Audit.open(path) as audit:
        subjects = audit.subjects()
        return sum(
            len(subjects_for(q, subjects)) if q.per_subject else 1 for q in audit.protocol.questions
        )


async def test_choosing_an_interviewee_keeps_the_total(mini_path: Path) -> None:
    total = every_answer(mini_path)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(start="1.I1"))
        await settle(pilot)
        assert status(app) == f"0/{total} answered in all"  # no interviewee chosen yet
        await pilot.press("s", "down", "enter")  # WK-01: asked 1.I1 only
        await settle(pilot)
        assert status(app) == f": 0/1 answered · 0/{total} in all"
        shown = str(app.screen.query_one("#runner-title", Static).render())
        assert shown == f"Every question · for interviewee WK-01: 0/1 answered · 0/{total} in all"
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("k")  # back on 1.I1, still for WK-01
        assert status(app) == f": 1/1 answered · 1/{total} in all"
        await pilot.press("s", "enter")  # SV-01, the first not answered: asked 1.I1 and 5.I1
        await settle(pilot)
        assert status(app) == f": 0/2 answered · 1/{total} in all"


async def test_a_site_question_counts_the_site(mini_path: Path) -> None:
    total = every_answer(mini_path)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(start="8.O1"))  # Yard, the only site
        await settle(pilot)
        assert status(app) == f": 0/2 answered · 0/{total} in all"
        await pilot.press("a")  # the last question: on to the first unanswered
        await settle(pilot)
        assert status(app) == f"1/{total} answered in all"  # 1.D1: answered once
        app.screen.query_one(QuestionList).go_to("8.O1")
        await pilot.pause()
        assert status(app) == f": 1/2 answered · 1/{total} in all"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert status(app) == f": 0/2 answered · 0/{total} in all"


async def test_a_runner_for_one_interviewee_counts_theirs(mini_path: Path) -> None:
    with Audit.open(mini_path) as audit:
        supervisor = audit.find_subject("SV-01").id
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(component="interviews", subject_id=supervisor))
        await settle(pilot)
        assert status(app) == "0/2 answered"
        await pilot.press("y")
        await settle(pilot)
        assert status(app) == "1/2 answered"


async def test_at_60_columns_the_counts_stay_whole(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.add_subject("site", "Fabrication shop and paint booth, Calgary")
    total = every_answer(mini_path)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(60, 20)) as pilot:
        app.open_screen("runner", scope=Scope(start="8.O1"))
        await settle(pilot)
        await pilot.press("s", "down", "enter")  # the second site: the long name
        await settle(pilot)
        shown = str(app.screen.query_one("#runner-title", Static).render())
        assert len(shown) <= 58  # 60 columns less the row's padding
        assert shown.startswith("For site Fabrication shop")
        assert shown.endswith(f"…: 0/2 answered · 0/{total} in all")


async def test_at_60_columns_an_interview_keeps_its_count(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        site = audit.add_subject("site", "Fabrication shop and paint booth, Calgary")
        person = audit.add_subject("interviewee", "SV-02", role="supervisor", site=site.id)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(60, 20)) as pilot:
        app.open_screen("runner", scope=Scope(component="interviews", subject_id=person.id))
        await settle(pilot)
        shown = str(app.screen.query_one("#runner-title", Static).render())
        assert len(shown) <= 58
        assert shown.startswith("Staff interviews · SV-02 · ")
        assert shown.endswith("…   0/2 answered")
