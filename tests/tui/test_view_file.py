"""O opens a file attached to the answer in the system's viewer: the stored bytes are copied to
a private temporary file (its extension kept) and the opener is started; with several files
the auditor picks one; without a display nothing starts and the notification says how to get
the file out with the CLI."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui import viewer
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.evidence import AttachDialog, ViewDialog

SIZE = (120, 40)
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8  # the bytes must come back unchanged
PDF = b"%PDF-1.4\n" + b"scanned inspection form\n" * 20


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notes(app: AuditkitApp) -> str:
    return " | ".join(n.message for n in app._notifications)


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path, bytes, int]]:
    """Stands in for the viewer: (command, path, the file's bytes, its mode) per launch."""
    seen: list[tuple[str, Path, bytes, int]] = []

    def launch(command: str, path: Path) -> None:
        seen.append((command, path, path.read_bytes(), stat.S_IMODE(path.stat().st_mode)))

    monkeypatch.setattr(viewer, "launch", launch)
    monkeypatch.setattr(viewer.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(viewer.sys, "platform", "linux")
    return seen


async def attach(pilot: Pilot[None], *paths: Path) -> None:
    app = pilot.app
    await pilot.press("f")
    assert isinstance(app.screen, AttachDialog)
    for path in paths:
        app.screen.query_one("#path").value = str(path)  # type: ignore[attr-defined]
        await pilot.press("enter")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_one_file_opens_at_once_with_its_bytes(
    mini_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    launched: list[tuple[str, Path, bytes, int]],
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    photo = tmp_path / "press brake guard.jpg"
    photo.write_bytes(JPEG)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await attach(pilot, photo)
        photo.unlink()  # what opens is the copy kept in the audit file
        await pilot.press("O")
        await settle(pilot)
        assert len(launched) == 1
        command, path, data, mode = launched[0]
        assert command == "/usr/bin/xdg-open"
        assert data == JPEG
        assert path.suffix == ".jpg" and path.name == "press brake guard.jpg"
        assert path.parent != tmp_path and mode == 0o600
        assert "Opening press brake guard.jpg in the viewer." in notes(app)
    assert not path.exists()  # the copies go when the TUI ends


async def test_several_files_the_auditor_picks_one(
    mini_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    launched: list[tuple[str, Path, bytes, int]],
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    photo, scan = tmp_path / "guard.jpg", tmp_path / "form.pdf"
    photo.write_bytes(JPEG)
    scan.write_bytes(PDF)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await attach(pilot, photo, scan)
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, ViewDialog)
        assert launched == []
        await pilot.press("down", "enter")
        await settle(pilot)
        assert [(p.name, data) for _, p, data, _ in launched] == [("form.pdf", PDF)]


async def test_without_a_display_nothing_starts_and_the_cli_is_named(
    mini_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    launched: list[tuple[str, Path, bytes, int]],
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    photo = tmp_path / "guard.jpg"
    photo.write_bytes(JPEG)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "O")
        assert "No file is attached to 1.D1." in notes(app)
        await attach(pilot, photo)
        await pilot.press("O")
        await settle(pilot)
        assert launched == []
        said = notes(app)
        assert "Cannot show guard.jpg here: DISPLAY and WAYLAND_DISPLAY are not set." in said
        assert f"auditkit export {mini_path} --format bundle" in said


async def test_no_opener_installed_is_said(
    mini_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    launched: list[tuple[str, Path, bytes, int]],
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(viewer.shutil, "which", lambda name: None)
    photo = tmp_path / "guard.jpg"
    photo.write_bytes(JPEG)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await attach(pilot, photo)
        await pilot.press("O")
        await settle(pilot)
        assert launched == []
        assert "Cannot show guard.jpg here: xdg-open is not installed." in notes(app)


async def test_the_review_screen_opens_the_file_of_a_finding(
    mini_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    launched: list[tuple[str, Path, bytes, int]],
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    photo = tmp_path / "policy-unsigned.jpg"
    photo.write_bytes(JPEG)
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "4", note="Policy posted but not signed by the senior manager.")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await attach(pilot, photo)
        await pilot.press("escape", "v")  # review before finalizing: 1.D1 is short of full
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        assert [(p.name, data) for _, p, data, _ in launched] == [("policy-unsigned.jpg", JPEG)]
