"""Finalize from the TUI, and changes to a finalized audit: each asks why, the journal keeps the
reason, cancelling changes nothing, and the amendments are listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from auditkit.audit import Audit
from auditkit.rules.finalize import finalize
from auditkit.rules.progress import expected_keys
from auditkit.store.audit_file import Store
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.evidence import AttachDialog
from auditkit.tui.dialogs.finalize import FinalizeDialog
from auditkit.tui.dialogs.reason import ReasonDialog
from auditkit.tui.screens.amendments import AmendmentsScreen
from auditkit.tui.screens.dashboard import DashboardScreen
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: AuditkitApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notes(app: AuditkitApp) -> str:
    return " | ".join(n.message for n in app._notifications)


def answer_everything(path: Path) -> None:
    """Every expected answer of the mini audit, through the engine (points for range)."""
    with Audit.open(path, write=True) as audit:
        for question, subject in expected_keys(audit.protocol, audit.subjects()):
            value = str(question.points) if question.accepts_points else "yes"
            audit.answer(question.id, value, subject=subject.id if subject else None)


@pytest.fixture
def complete_path(mini_path: Path) -> Path:
    """Every answer, and the interview sample of a staff of three (so QA lets it finalize)."""
    with Audit.open(mini_path, write=True) as audit:
        audit.set_staff({"senior_manager": 1, "supervisor": 1, "worker": 1})
        audit.add_subject("interviewee", "SM-01", role="senior_manager", site="Yard")
    answer_everything(mini_path)
    return mini_path


@pytest.fixture
def finalized_path(complete_path: Path) -> Path:
    with Audit.open(complete_path, write=True) as audit:
        finalize(audit)
    return complete_path


def open_app(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


async def test_an_incomplete_audit_is_refused_with_a_jump_to_what_is_left(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "7")
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, FinalizeDialog)
        assert text_of(app, "#completion") == (
            "Cannot finalize: 7 of 8 scored items unanswered (5.D1, 8.D1, 8.O1, 5.O1, 1.I1, …)."
        )
        assert not app.screen.query("#confirm")
        await pilot.press("ctrl+s")  # no way to confirm an incomplete audit
        assert isinstance(app.screen, FinalizeDialog)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        question = app.screen.query_one(QuestionList).question
        assert question is not None and question.id == "5.D1"  # the first in protocol order
    with Audit.open(mini_path) as audit:
        assert audit.profile["finalized_at"] is None


async def test_a_complete_audit_is_finalized_and_says_so(complete_path: Path) -> None:
    app = open_app(complete_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, FinalizeDialog)
        assert text_of(app, "#completion") == "All 8 scored items answered."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        with Audit.open(complete_path) as audit:
            stamp = audit.profile["finalized_at"]
        assert stamp
        assert app.sub_title == f"auditor: Test Auditor · FINALIZED {stamp[:10]} · Mini Co"
        assert f"FINALIZED  {stamp[:10]} · h amendments" in text_of(app, "#left")
        await pilot.press("ctrl+f")  # a second time: only says when
        assert not isinstance(app.screen, FinalizeDialog)
        assert f"Finalized on {stamp[:10]}" in notes(app)


async def test_a_change_after_finalizing_asks_why_and_the_journal_keeps_it(
    finalized_path: Path,
) -> None:
    app = open_app(finalized_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner")  # every question (r resumes the last checklist)
        await pilot.pause()
        app.screen.query_one(QuestionList).go_to("1.D1")
        await pilot.press("2")  # 1.D1 had all 10 points
        assert isinstance(app.screen, ReasonDialog)
        reason = app.screen.query_one(Input)
        assert reason.value == ""
        await pilot.press(*"Policy unsigned, found after the closing meeting", "enter")
        await settle(pilot)
        await pilot.press("k", "5")  # back to 1.D1: the last reason is offered again
        assert isinstance(app.screen, ReasonDialog)
        assert (
            app.screen.query_one(Input).value == "Policy unsigned, found after the closing meeting"
        )
        await pilot.press("enter")
        await settle(pilot)
    with Store.open(finalized_path) as store:
        changes = [e for e in store.journal() if e.entity == "answers"][-2:]
    assert [(e.key, e.after_data()["value"], e.reason, e.author) for e in changes] == [
        ("1.D1|", "2", "Policy unsigned, found after the closing meeting", "Test Auditor"),
        ("1.D1|", "5", "Policy unsigned, found after the closing meeting", "Test Auditor"),
    ]


async def test_cancelling_the_reason_leaves_the_file_unchanged(
    finalized_path: Path, tmp_path: Path
) -> None:
    photo = tmp_path / "guard.jpg"
    photo.write_bytes(b"j")
    with Store.open(finalized_path) as store:
        before = store.dump()
    app = open_app(finalized_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner")  # every question (r resumes the last checklist)
        await pilot.pause()
        app.screen.query_one(QuestionList).go_to("1.D1")
        await pilot.press("2")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert "needs a reason; the answer to 1.D1 was not saved" in notes(app)
        assert app.session is not None and app.session.pending == set()
        await pilot.press("k", "f")  # evidence too is a change
        assert isinstance(app.screen, AttachDialog)
        app.screen.query_one("#path").value = str(photo)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.click("#cancel")
        await settle(pilot)
        await pilot.press("escape")  # the dashboard: a read-only meta write on leaving
        await settle(pilot)
    with Store.open(finalized_path) as store:
        after = store.dump()
    assert {t: rows for t, rows in after.items() if t not in ("meta", "journal")} == {
        t: rows for t, rows in before.items() if t not in ("meta", "journal")
    }
    with Store.open(finalized_path) as store:
        added = [e.action for e in store.journal()][len(before["journal"]) :]
    assert added in ([], ["meta.set"])  # only the runner's position, which needs no reason


async def test_the_dashboard_lists_the_amendments(finalized_path: Path) -> None:
    with (
        Audit.open(finalized_path, write=True) as audit,
        audit.amending("Yard kit restocked on the second day"),
    ):
        audit.answer("8.O1", "partial", subject="Yard")
    app = open_app(finalized_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, AmendmentsScreen)
        assert "1 change since, each with its reason" in text_of(app, "#amendments-title")
        option = app.screen.query_one(OptionList).get_option_at_index(0)
        line = str(option.prompt)
        assert "Test Auditor  answer 8.O1 for site 'Yard': yes -> partial" in line
        assert "why: Yard kit restocked on the second day" in line


async def test_finalizing_shows_the_seal_as_the_cli_prints_it(complete_path: Path) -> None:
    app = open_app(complete_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with Audit.open(complete_path) as audit:
            seal = audit.seal()
        assert seal is not None and len(seal) == 64
        said = notes(app)
        assert "Finalized: 8 of 8 questions answered, overall 100.0 % PASS." in said
        assert f"Seal: {seal} (a copy is checked with: auditkit verify FILE --seal SEAL)" in said
        await pilot.press("ctrl+f")  # again: when, and the seal
        await settle(pilot)
        assert "Finalized on " in notes(app) and f"seal {seal}." in notes(app)
        assert "h (amendments)" in notes(app)
