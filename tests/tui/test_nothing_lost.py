"""Nothing typed is lost: forms focus their first field, a half-typed note or a filled form is
not dropped by Escape or ctrl+q without asking, Delete asks, and ctrl+z undoes through the
journal."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.dialogs.subject_forms import IncidentForm
from auditkit.tui.screens.new_audit import NewAuditScreen
from auditkit.tui.screens.runner import RunnerScreen

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def answer(path: Path, question_id: str) -> tuple[str | None, str] | None:
    with Audit.open(path) as audit:
        row = audit.answer_row(question_id)
    return (row.value, row.note) if row else None


async def test_new_audit_form_takes_the_first_text_typed() -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"acme.audit", "tab", *"Acme")
        assert app.screen.query_one("#file", Input).value == "acme.audit"
        assert app.screen.query_one("#company", Input).value == "Acme"


async def test_new_incident_dialog_takes_the_first_text_typed(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "plus")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        await pilot.press("tab", *"2026-04-08")
        assert app.screen.query_one("#date", Input).value == "2026-04-08"


async def test_escape_on_a_filled_form_asks_first() -> None:
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"acme.audit")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep typing
        await pilot.pause()
        assert isinstance(app.screen, NewAuditScreen)
        assert app.screen.query_one("#file", Input).value == "acme.audit"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, NewAuditScreen)


async def test_escape_with_a_half_typed_note_asks_first(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.press(*"Binder checked")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == "Binder checked"


async def test_ctrl_q_with_a_half_typed_note_asks_first(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.press(*"Binder checked")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert app.is_running


async def test_delete_asks_before_clearing_and_ctrl_z_undoes(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "7")
        await settle(pilot)
        await pilot.press("k", "e", *"Two of three", "ctrl+s")
        await settle(pilot)
        assert answer(mini_path, "1.D1") == ("7", "Two of three")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert answer(mini_path, "1.D1") == ("7", "Two of three")
        await pilot.press("delete", "y")
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        assert answer(mini_path, "1.D1") is None
        await pilot.press("ctrl+z")  # the clear undone: value and note back
        await settle(pilot)
        assert answer(mini_path, "1.D1") == ("7", "Two of three")
        assert app.session is not None and app.session.value(("1.D1", "")) == "7"
        await pilot.press("ctrl+z")  # the note undone
        await settle(pilot)
        assert answer(mini_path, "1.D1") == ("7", "")
        await pilot.press("ctrl+z")  # the answer undone: no answer, as before
        await settle(pilot)
        assert answer(mini_path, "1.D1") is None
        await pilot.press("ctrl+z")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        actions = [e.action for e in audit.store.journal("answers")]
    # Undo adds entries; the ones undone stay in the journal.
    assert actions == [
        "answer.set",
        "answer.set",
        "answer.clear",
        "answer.undo",
        "answer.undo",
        "answer.undo",
    ]


async def test_new_audit_sites_box_shows_the_sites_typed() -> None:
    """The sites box has room for a few lines at 80x24 (it had none: each site typed went
    into a box of no height, out of sight)."""
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus")
        await pilot.pause()
        sites = app.screen.query_one("#sites", TextArea)
        sites.focus()
        await pilot.press(*"Yard, Calgary", "enter", *"Crew site")
        await pilot.pause()
        assert sites.content_region.height >= 3
        shown = {
            line.text.strip() for line in sites.render_lines(sites.content_region.reset_offset)
        }
        assert sites.text == "Yard, Calgary\nCrew site"
        assert any("Crew site" in text for text in shown)
