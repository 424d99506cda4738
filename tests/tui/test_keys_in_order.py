"""Keys typed in one burst (a paste, tmux send-keys, a fast typist) after a key that opens a
form land in the form: "+" then "abc" at once used to lose "abc" to the screen underneath."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.screens.new_audit import NewAuditScreen

SIZE = (80, 24)
NAMES = {" ": "space", "+": "plus", "-": "minus", ".": "full_stop", "\t": "tab"}


def burst(app: AuditkitApp, text: str) -> None:
    """Every key of ``text`` queued at once, as the terminal delivers one read."""
    for char in text:
        app.post_message(events.Key(NAMES.get(char, char), char))


async def test_the_new_audit_form_gets_the_keys_typed_with_plus() -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, "+acme.audit")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NewAuditScreen)
        assert app.screen.query_one("#file", Input).value == "acme.audit"


async def test_a_whole_form_typed_in_one_burst_lands_field_by_field() -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, "+acme.audit\tAcme Steel Erectors Ltd.\t123456")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NewAuditScreen)
        fields = [field.value for field in app.screen.query(Input)][:3]
        assert fields == ["acme.audit", "Acme Steel Erectors Ltd.", "123456"]


async def test_the_note_dialog_gets_the_keys_typed_with_e(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        burst(app, "eGuard missing on press 4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == "Guard missing on press 4"
