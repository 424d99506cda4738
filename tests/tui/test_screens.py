"""Home, the new-audit form, the command palette, merge conflicts, incident edits, the runner's
title, and every main screen's footer at 80x24: what the auditor sees and what the file holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets._footer import FooterKey

from auditkit.audit import Audit
from auditkit.rules.progress import subjects_for
from auditkit.team.conflicts import conflicts
from auditkit.team.merge import merge
from auditkit.tui.app import AuditkitApp
from auditkit.tui.recent import remember
from auditkit.tui.screens.conflicts import ConflictsScreen
from auditkit.tui.screens.dashboard import DashboardScreen
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown(app: AuditkitApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def fill(app: AuditkitApp, **values: str) -> None:
    for field_id, value in values.items():
        app.screen.query_one(f"#{field_id}").value = value  # type: ignore[attr-defined]


async def test_new_audit_form_shows_the_certificate_and_creates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "chinook.audit"
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        fill(
            app,
            file=str(target),
            company="Chinook Ridge Ltd.",
            wcb_account="1234567",
            industry_code="42100",
            address="12 Main St, Calgary",
            contact="Pat, 403-555-0100",
            start_date="2026-11-16",
            end_date="2026-11-18",
            auditors="Dana, Lee",
            staff="senior_manager=1, manager=1, supervisor=2, worker=8",
            head_office="Head office, Calgary",
        )
        # One site per line: a comma belongs to the site's name.
        app.screen.query_one("#sites", TextArea).text = "Shop, north bay\nYard"
        await pilot.click("#headcounts")
        await pilot.press(*"8 9 12 11")
        await pilot.pause()
        assert shown(app, "#certificate").startswith("COR:")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    with Audit.open(target) as audit:
        profile = audit.profile
        assert (profile["company"], profile["certificate"], profile["workers"]) == (
            "Chinook Ridge Ltd.",
            "COR",
            12,
        )
        assert (profile["wcb_account"], profile["industry_code"], profile["start_date"]) == (
            "1234567",
            "42100",
            "2026-11-16",
        )
        assert audit.auditors == ["Dana", "Lee"]
        assert [s.label for s in audit.subjects("site")] == [
            "Shop, north bay",
            "Yard",
            "Head office, Calgary",
        ]
        head = audit.subjects("site")[2]
        assert profile["head_office"] == head.id
        assert json.loads(profile["staff"]) == {
            "senior_manager": 1,
            "manager": 1,
            "supervisor": 2,
            "worker": 8,
        }


async def test_new_audit_form_names_an_unknown_staff_level(tmp_path: Path) -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        fill(app, file=str(tmp_path / "x.audit"), company="X", staff="foreman=2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)
        assert "unknown level 'foreman'" in " | ".join(n.message for n in app._notifications)
    assert not (tmp_path / "x.audit").exists()


async def test_new_audit_form_names_a_bad_headcount_and_creates_nothing(tmp_path: Path) -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        fill(app, file=str(tmp_path / "x.audit"), company="X", headcounts="8 nine")
        await pilot.pause()
        assert "nine" in shown(app, "#certificate")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)
    assert not (tmp_path / "x.audit").exists()


async def test_home_opens_a_recent_audit(mini_path: Path) -> None:
    remember(mini_path, "Mini Co")
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        assert "Mini Co" in str(app.screen.query_one("#recent").get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.session is not None
        assert Path(app.session.audit.path).resolve() == mini_path.resolve()


async def test_home_opens_a_typed_path_and_refuses_a_missing_one(mini_path: Path) -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", *str(mini_path.parent / "missing.audit"), "enter")
        await settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)
        assert any("no such audit file" in n.message for n in app._notifications)
        fill(app, **{"open-path": str(mini_path)})
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.session is not None and app.session.profile["company"] == "Mini Co"


async def test_command_palette_jumps_to_a_question(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"5.O1")
        await settle(pilot)
        await pilot.pause(0.3)  # the palette searches as it is typed into
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        question = app.screen.query_one(QuestionList).question
        assert question is not None and question.id == "5.O1"


async def test_runner_title_counts_every_subject_when_none_is_chosen(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "7")
        # The only site and the only incident are chosen for the auditor; of the two
        # interviewees neither is, so interview questions count each one they are asked of.
        subjects = audit.subjects()
        expected = sum(
            len(subjects_for(q, subjects)) if q.per_subject else 1 for q in audit.protocol.questions
        )
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner")  # every question, at 1.D1 (asked once for the audit)
        await pilot.pause()
        title = shown(app, "#runner-title")
        assert f"1/{expected} answered in all" in title
        assert "0 of 0" not in title


async def test_editing_an_incident_can_blank_a_text(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.update_subject(
            audit.find_subject("INC-1").id,
            fields={"description": "cut hand", "root_cause": "no gloves"},
        )
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "e")
        fill(app, description="")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        fields = audit.find_subject("INC-1").fields
    assert "description" not in fields and fields["root_cause"] == "no gloves"


@pytest.fixture
def merged(mini_path: Path, tmp_path: Path) -> Path:
    """Two copies of the mini audit that answered 1.D1 differently, merged: one conflict."""
    copies = []
    for author, value in (("alice", "8"), ("bob", "4")):
        copy = tmp_path / f"{author}.audit"
        shutil.copy(mini_path, copy)
        with Audit.open(copy, write=True) as audit:
            audit.author = author
            audit.answer("1.D1", value, note=f"{author}'s reading")
        copies.append(copy)
    out = tmp_path / "team.audit"
    merge(out, copies)
    return out


async def test_conflicts_screen_keeps_the_other_side(merged: Path) -> None:
    app = AuditkitApp(Audit.open(merged, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1 merge conflict to review" in shown(app, "#left")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        listed = str(app.screen.query_one("#conflicts").get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert "1.D1" in listed and "kept" in listed and "alice" in listed
        await pilot.press("1")  # alice's side, the one not kept
        await settle(pilot)
        assert "none: nothing to review" in shown(app, "#conflicts-title")
        assert app.session is not None and app.session.value(("1.D1", "")) == "8"
        await pilot.press("escape")
        await settle(pilot)
        assert "merge conflicts" not in shown(app, "#left")
    with Audit.open(merged) as audit:
        assert conflicts(audit) == []
        [answer] = [a for a in audit.answers() if a.question_id == "1.D1"]
        assert (answer.value, answer.note) == ("8", "alice's reading")


@pytest.mark.parametrize(
    "keys",
    [[], ["r"], ["i"], ["c"], ["t"], ["x"]],
    ids=["dashboard", "runner", "interviews", "incidents", "training", "export"],
)
async def test_every_footer_key_fits_80_columns(demo_path: Path, keys: list[str]) -> None:
    app = AuditkitApp(Audit.open(demo_path, write=True), remember_recent=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await settle(pilot)
        footer_keys = list(app.screen.query(FooterKey))
        assert {k.key for k in footer_keys} >= {"f1", "ctrl+q"}
        assert all(
            k.region.x >= 0 and k.region.right <= 80 and k.region.width > 0 for k in footer_keys
        )


async def test_added_interviewee_is_highlighted_and_interviewed_next(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", "plus")
        code = app.screen.query_one("#code", Input)
        assert code.value == "WK-02"  # the first free worker code, not a count of everyone
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert "WK-02" in shown(app, "#runner-title")


async def test_new_interviewee_form_records_date_position_and_shift(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", "plus")
        await pilot.pause()
        form = app.screen
        for field, text in [
            ("#date", "2026-11-30"),
            ("#position", "Landscape labourer"),
            ("#shift", "night"),
        ]:
            box = form.query_one(field, Input)
            box.focus()
            await pilot.press("ctrl+a", "ctrl+k", *text)  # the date comes filled with today
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        with Audit.open(mini_path) as audit:
            person = audit.find_subject("WK-02", "interviewee")
        options = app.screen.query_one("#subjects", OptionList)
        line = str(options.get_option(person.id).prompt)
        assert "WK-02" in line and "night" in line and "Landscape labourer" in line
        # One line per interviewee at 80 columns: the record is cut, not wrapped.
        assert options.virtual_size.height == options.option_count
    assert person.fields == {
        "date": "2026-11-30",
        "position": "Landscape labourer",
        "shift": "night",
    }


async def test_e_edits_the_interview_record_and_nothing_else(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.add_subject(
            "interviewee", "WK-07", role="worker", questionnaire=True, fields={"shift": "dya"}
        )
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        options = app.screen.query_one("#subjects", OptionList)
        with Audit.open(mini_path) as audit:
            person = audit.find_subject("WK-07", "interviewee")
        options.highlighted = options.get_option_index(person.id)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#code", Input).disabled  # the code and role stay as they are
        shift = form.query_one("#shift", Input)
        assert shift.value == "dya"
        shift.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"day", "ctrl+s")
        await settle(pilot)
        assert "day" in str(options.get_option(person.id).prompt)
    with Audit.open(mini_path) as audit:
        edited = audit.find_subject("WK-07", "interviewee")
    assert (edited.role, edited.fields) == ("worker", {"shift": "day", "questionnaire": True})
