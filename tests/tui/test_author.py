"""Who is writing: the auditor's name goes with every change the TUI makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from auditkit.audit import Audit, Profile
from auditkit.store.audit_file import Store
from auditkit.tui.app import AuditkitApp
from auditkit.tui.auditor import AUTHOR_META, this_computer
from auditkit.tui.dialogs.choose_auditor import AuthorDialog
from auditkit.tui.screens.dashboard import DashboardScreen

SIZE = (120, 40)
MINI = Path(__file__).parent.parent / "fixtures" / "mini"


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def team_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An audit with two auditors, opened with no AUDITKIT_AUDITOR set."""
    path = tmp_path / "team.audit"
    Audit.create(
        path,
        Profile(
            company="Team Co",
            protocol=str(MINI),
            sites=("Yard",),
            auditors=("Dana Whitford", "Lee Tran"),
        ),
    ).close()
    monkeypatch.delenv("AUDITKIT_AUDITOR")
    return path


def answer_authors(path: Path) -> list[tuple[str, str]]:
    with Store.open(path) as store:
        return [(e.key, e.author) for e in store.journal() if e.entity == "answers"]


async def test_the_chosen_auditor_is_the_author_and_is_remembered(team_path: Path) -> None:
    app = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, AuthorDialog)
        await pilot.press("down", "enter")  # Lee Tran
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.sub_title == "auditor: Lee Tran · Team Co"
        await pilot.press("r", "y")
        await settle(pilot)
    assert answer_authors(team_path) == [("1.D1|", "Lee Tran")]
    with Store.open(team_path) as store:
        assert json.loads(store.meta(AUTHOR_META) or "") == {this_computer(): "Lee Tran"}
    again = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with again.run_test(size=SIZE) as pilot:
        assert isinstance(again.screen, DashboardScreen)  # not asked twice
        assert again.sub_title == "auditor: Lee Tran · Team Co"


async def test_someone_else_types_a_name(team_path: Path) -> None:
    app = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")  # "Someone else…"
        await pilot.press(*"Sam Okafor", "enter")
        await settle(pilot)
        await pilot.press("r", "n")
        await settle(pilot)
    assert answer_authors(team_path) == [("1.D1|", "Sam Okafor")]


async def test_not_choosing_keeps_the_computer_user_and_asks_next_time(team_path: Path) -> None:
    app = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        user = app.session.audit.author  # type: ignore[union-attr]
        await pilot.press("escape")
        assert f"Changes are recorded as {user!r}" in " ".join(
            n.message for n in app._notifications
        )
    with Store.open(team_path) as store:
        assert store.meta(AUTHOR_META) is None
    again = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with again.run_test(size=SIZE):
        assert isinstance(again.screen, AuthorDialog)


async def test_the_only_auditor_of_the_profile_is_the_author(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "solo.audit"
    Audit.create(
        path, Profile(company="Solo Co", protocol=str(MINI), auditors=("Dana Whitford",))
    ).close()
    monkeypatch.delenv("AUDITKIT_AUDITOR")
    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("r", "y")
        await settle(pilot)
    assert answer_authors(path) == [("1.D1|", "Dana Whitford")]


async def test_the_environment_names_the_auditor_first(
    team_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITKIT_AUDITOR", "Dana Whitford")
    app = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.sub_title == "auditor: Dana Whitford · Team Co"
        await pilot.press("r", "y")
        await settle(pilot)
    assert answer_authors(team_path) == [("1.D1|", "Dana Whitford")]


async def test_a_name_remembered_on_another_computer_is_not_used(team_path: Path) -> None:
    """The lead copies the file to the team: the lead's choice stays with the lead."""
    with Audit.open(team_path, write=True) as audit:
        audit.store.set_meta(AUTHOR_META, json.dumps({"lead@laptop-1": "Dana Whitford"}))
    app = AuditkitApp(Audit.open(team_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, AuthorDialog)
