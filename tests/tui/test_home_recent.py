"""Home: recent audits with date, status and progress; the Open box completes paths."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp

SIZE = (120, 40)


def rows(app: AuditkitApp) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one("#recent", OptionList).options]


async def test_recent_audits_show_date_status_and_progress(mini_path: Path, tmp_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "2", subject=None)
    gone = tmp_path / "gone.audit"
    gone.write_bytes(mini_path.read_bytes())
    for path in (gone, mini_path):
        app = AuditkitApp(Audit.open(path, write=True))
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
    gone.unlink()
    home = AuditkitApp()
    async with home.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = rows(home)
        assert len(shown) == 1  # the deleted file's row is dropped
        assert "Mini Co" in shown[0]
        assert "2026-11-16" in shown[0]
        assert "draft" in shown[0]
        assert "1/" in shown[0] and "answered" in shown[0]


async def test_the_open_box_completes_paths(tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / "yard-visit.audit").write_bytes(b"")
    home = AuditkitApp()
    async with home.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.press(*f"{tmp_path}/yard")
        await pilot.pause(0.2)
        await pilot.press("right")
        assert home.screen.query_one("#open-path", Input).value == f"{tmp_path}/yard-visit.audit"


async def test_home_rereads_an_audit_changed_since_it_was_closed(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    home = AuditkitApp()
    async with home.run_test(size=SIZE) as pilot:
        await home.workers.wait_for_complete()
        await pilot.pause()
        assert "0/9 answered (0%)" in rows(home)[0]
    with Audit.open(mini_path, write=True) as audit:  # a colleague's CLI, after closing
        audit.answer("1.D1", "7")
        audit.answer("5.D1", "yes")
    home = AuditkitApp()
    async with home.run_test(size=SIZE) as pilot:
        await home.workers.wait_for_complete()
        await pilot.pause()
        assert "2/9 answered (22%)" in rows(home)[0]
