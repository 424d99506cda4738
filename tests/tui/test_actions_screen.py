"""The action plan screen: the SFIs' actions, edited and moved on from the keyboard."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from auditkit.audit import Audit
from auditkit.rules.actions import action_plan
from auditkit.rules.findings import set_finding
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.action import ActionDialog
from tests.tui.test_runner import SIZE, settle


async def test_action_plan_screen_edits_owner_due_and_status(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        set_finding(audit, "1.D1", sfi="Post the signed policy at the shop.", priority="high")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")  # the action plan, from the dashboard
        await settle(pilot)
        options = app.screen.query_one("#actions", OptionList)
        assert options.option_count == 1
        assert "Post the signed policy at the shop." in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        await pilot.press(*"Office manager")
        dialog.query_one("#action-due", Input).value = "2027-01-31"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("space")  # open -> in progress
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        (action,) = action_plan(audit)
    assert (action.owner, action.due, action.status) == (
        "Office manager",
        "2027-01-31",
        "in-progress",
    )


async def test_a_bad_due_date_is_refused_and_shown(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        set_finding(audit, "1.D1", sfi="Post the signed policy at the shop.")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")  # the action plan, from the dashboard
        await settle(pilot)
        await pilot.press("enter")
        app.screen.query_one("#action-due", Input).value = "end of March"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("end of March" in str(n.message) for n in app._notifications)
    with Audit.open(mini_path) as audit:
        (action,) = action_plan(audit)
    assert action.due == ""
