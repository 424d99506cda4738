"""One key from the runner opens the item's finding; what is saved is what the auditor typed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, TextArea

from auditkit.audit import Audit
from auditkit.rules.findings import findings
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.finding import FindingDialog
from tests.tui.test_runner import SIZE, current_question, settle


async def test_finding_dialog_saves_note_sfi_and_key(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert current_question(app) == "1.D1"
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, FindingDialog)
        title = str(dialog.query(Label).first().render())
        assert "1.D1" in title and "health and safety policy" in title
        await pilot.press(*"Policy signed 2021, not posted at the yard")
        await pilot.press("ctrl+r")  # the proposed draft fills the SFI box, to be rewritten
        sfi = dialog.query_one("#finding-sfi", TextArea)
        assert sfi.text.startswith("Put in place")
        sfi.text = "Post the signed policy at the yard and review it yearly."
        dialog.query_one("#finding-key").toggle()  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FindingDialog)
    with Audit.open(mini_path) as audit:
        saved = findings(audit)["1.D1"]
    assert saved.note == "Policy signed 2021, not posted at the yard"
    assert saved.sfi == "Post the signed policy at the yard and review it yearly."
    assert saved.key is True


async def test_cancelled_finding_writes_nothing(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "w", *"half a note", "escape")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        assert findings(audit) == {}


async def test_runner_shows_the_sfi_and_last_years_action(mini_path: Path, tmp_path: Path) -> None:
    from auditkit.rules.actions import set_action
    from auditkit.rules.cycle import new_from
    from auditkit.rules.findings import set_finding
    from auditkit.tui.widgets.question_view import QuestionView

    with Audit.open(mini_path, write=True) as audit:
        set_finding(audit, "1.D1", sfi="Post the signed policy at the shop.")
        set_action(audit, "1.D1", owner="Office manager", status="in-progress")
    new_from(tmp_path / "next.audit", mini_path, None).close()
    app = AuditkitApp(Audit.open(tmp_path / "next.audit", write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(pilot)
        assert current_question(app) == "1.D1"
        text = app.screen.query_one(QuestionView).plain_text(120)
        assert "Last audit" in text and "Post the signed policy at the shop." in text
        assert "in progress, Office manager" in text
