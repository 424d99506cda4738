"""Saved comments can be reworded (e) and deleted (Delete, asks first) from the list ctrl+o
opens in the note dialog; the list on this computer follows, the note is untouched."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.dialogs.note import CommentDialog, NoteDialog
from auditkit.tui.dialogs.snippets import SnippetPicker
from auditkit.tui.snippets import keep, snippets

SIZE = (100, 30)
MUSTER = "Workers interviewed could name the muster point and the first aid attendant."
FAK = "First aid kit at the shop door stocked to Schedule 2; inspection tag current."


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_comments(pilot: Pilot[None]) -> SnippetPicker:
    await pilot.press("r", "e", "ctrl+o")  # the note on 1.D1, then its saved comments
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SnippetPicker)
    return screen


def listed(picker: SnippetPicker) -> list[str]:
    options = picker.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_a_saved_comment_is_deleted_after_asking(mini_path: Path) -> None:
    keep(MUSTER)
    keep(FAK)  # newest first: FAK, MUSTER
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_comments(pilot)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep it
        assert snippets() == [FAK, MUSTER]
        await pilot.press("delete", "y")
        await settle(pilot)
        assert snippets() == [MUSTER]
        assert app.screen is picker and listed(picker) == [MUSTER]
        await pilot.press("delete", "y")  # the last one: the list closes
        await settle(pilot)
        assert snippets() == []
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == ""


async def test_a_saved_comment_is_reworded_in_its_place(mini_path: Path) -> None:
    keep(MUSTER)
    keep(FAK)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_comments(pilot)
        await pilot.press("down", "e")  # MUSTER
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        area = app.screen.query_one(TextArea)
        assert area.text == MUSTER
        area.text = MUSTER.replace("Workers interviewed", "All 6 workers interviewed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        reworded = (
            "All 6 workers interviewed could name the muster point and the first aid attendant."
        )
        assert snippets() == [FAK, reworded]
        assert app.screen is picker and listed(picker) == [FAK, reworded]
        await pilot.press("enter")  # the reworded one, still highlighted, goes in the note
        await settle(pilot)
        assert app.screen.query_one(TextArea).text == reworded
