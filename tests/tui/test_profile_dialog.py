"""The company profile edited in the TUI: details, CP, auditor number, review period, courses."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, SelectionList

from auditkit.audit import Audit
from auditkit.rules import training
from auditkit.tui.app import AuditkitApp
from auditkit.tui.screens.dashboard import DashboardScreen

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_app(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


def messages(app: AuditkitApp) -> str:
    return " | ".join(n.message for n in app._notifications)


async def test_the_profile_is_edited_from_the_dashboard(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await pilot.pause()
        assert app.screen.query_one("#address", Input).has_focus  # typing lands in a field
        screen = app.screen
        screen.query_one("#address", Input).value = "4410 52 Ave SE, Calgary AB"
        screen.query_one("#partner", Input).value = "ACSA"
        screen.query_one("#auditor-number", Input).value = "ACSA-4471"
        screen.query_one("#review-start", Input).value = "2025-11-01"
        screen.query_one("#review-end", Input).value = "2026-10-31"
        screen.query_one("#courses", SelectionList).select("lse")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    with Audit.open(mini_path) as audit:
        assert audit.profile["address"] == "4410 52 Ave SE, Calgary AB"
        assert audit.profile["partner"] == "ACSA"
        assert audit.profile["auditor_number"] == "ACSA-4471"
        assert (audit.profile["review_start"], audit.profile["review_end"]) == (
            "2025-11-01",
            "2026-10-31",
        )
        assert training.completed_courses(audit) == ["lse"]


async def test_a_bad_date_is_refused_and_nothing_saved(mini_path: Path) -> None:
    with Audit.open(mini_path) as audit:
        before = audit.store.dump()
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await pilot.pause()
        app.screen.query_one("#review-end", Input).value = "31/10/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)  # the dialog stays, input kept
        assert "'31/10/2026' is not a date" in messages(app)
        await pilot.press("escape")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        assert audit.store.dump() == before


async def test_the_profile_is_in_the_command_palette(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"company profile")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query("#profile-dialog")


async def test_a_finalized_audit_asks_why_the_profile_changes(mini_path: Path) -> None:
    from auditkit.rules.finalize import finalize
    from auditkit.tui.dialogs.reason import ReasonDialog
    from tests.tui.test_finalize import answer_everything

    with Audit.open(mini_path, write=True) as audit:
        audit.set_staff({"senior_manager": 1, "supervisor": 1, "worker": 1})
        audit.add_subject("interviewee", "SM-01", role="senior_manager", site="Yard")
    answer_everything(mini_path)
    with Audit.open(mini_path, write=True) as audit:
        finalize(audit)
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await pilot.pause()
        app.screen.query_one("#partner", Input).value = "ACSA"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"CP name was missing", "enter")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        assert audit.profile["partner"] == "ACSA"
        assert audit.store.journal()[-1].reason == "CP name was missing"


async def test_a_site_with_a_comma_is_added_from_the_dashboard(mini_path: Path) -> None:
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Head office, Calgary")  # the field has the focus
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        components = app.screen.query_one("#components", OptionList)
        assert any("2 sites" in str(o.prompt) for o in components.options)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Yard", "enter")  # a name already taken: refused, named
        await settle(pilot)
        assert "Yard" in messages(app)
    with Audit.open(mini_path) as audit:
        assert [s.label for s in audit.subjects("site")] == ["Yard", "Head office, Calgary"]
