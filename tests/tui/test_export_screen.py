"""Export from the TUI: another folder, and overwriting an earlier export after asking."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.confirm import ConfirmDialog

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_asks_then_overwrites_in_another_folder(
    mini_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    earlier = out / "mini.md"
    earlier.write_text("an earlier draft")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        for fmt in ("docx", "html"):
            screen.query_one(f"#format-{fmt}", Checkbox).value = False
        screen.query_one("#format-md", Checkbox).value = True
        screen.query_one("#folder", Input).value = str(out)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "mini.md" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert earlier.read_text() == "an earlier draft"
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert "Mini Co" in earlier.read_text()
