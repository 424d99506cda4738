"""The training screen: y and d move on to the next row, a new recommendation is shown, and
the own-recommendation dialog says what to write."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label, OptionList, TextArea

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.screens.training import TrainingScreen

SIZE = (80, 24)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_training(pilot: Pilot[None]) -> OptionList:
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TrainingScreen)
    return pilot.app.screen.query_one("#recommendations", OptionList)


async def test_accept_and_drop_move_to_the_next_row(demo_path: Path) -> None:
    app = AuditkitApp(Audit.open(demo_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        options = await open_training(pilot)
        assert options.option_count >= 3
        options.highlighted = 0
        await pilot.press("y")
        await settle(pilot)
        assert options.highlighted == 1
        await pilot.press("d")
        await settle(pilot)
        assert options.highlighted == 2


async def test_own_recommendation_dialog_and_new_row_in_view(demo_path: Path) -> None:
    app = AuditkitApp(Audit.open(demo_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        options = await open_training(pilot)
        options.highlighted = 0
        await pilot.press("plus")
        assert isinstance(app.screen, NoteDialog)
        hints = [str(label.render()) for label in app.screen.query(".dialog-hint").results(Label)]
        assert len(hints) == 1
        assert "What you checked" not in hints[0]  # the note dialog's hint
        assert "course or action" in hints[0]
        app.screen.query_one(TextArea).text = "Refresher on lockout for the night-shift crew"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TrainingScreen)
        added = options.highlighted_option
        assert added is not None
        assert "Refresher on lockout" in str(added.prompt)
        # Scrolled into view: the new row is on the screen, not below the list's window.
        assert "Refresher" in app.export_screenshot()
