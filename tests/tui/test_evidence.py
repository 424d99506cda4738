"""Evidence from the runner: attached through the engine, listed in the pane, removable; a
missing path or a read-only file stores nothing."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.store.evidence import evidence
from auditkit.tui.app import AuditkitApp
from auditkit.tui.dialogs.evidence import AttachDialog, DetachDialog
from auditkit.tui.widgets.question_view import QuestionView

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def attached(path: Path) -> list[tuple[str, str, str, str, int]]:
    """(question, subject label, file name, caption, size) of every link, from a fresh open."""
    with Audit.open(path) as audit:
        labels = {s.id: s.label for s in audit.subjects()} | {"": ""}
        return [
            (e.question_id, labels[e.subject_id], e.filename, e.caption, e.size)
            for e in evidence(audit.store)
        ]


def pane(app: AuditkitApp) -> str:
    return app.screen.query_one(QuestionView).plain_text()


def notes(app: AuditkitApp) -> str:
    return " | ".join(n.message for n in app._notifications)


async def attach(pilot: Pilot[None], *paths: Path, caption: str = "") -> None:
    """In the open attach dialog: each path then Enter, the caption, ctrl+s."""
    app = pilot.app
    assert isinstance(app.screen, AttachDialog)
    for path in paths:
        app.screen.query_one("#path").value = str(path)  # type: ignore[attr-defined]
        await pilot.press("enter")
    app.screen.query_one("#caption").value = caption  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_files_attached_from_the_runner_are_in_the_store_and_the_pane(
    mini_path: Path, tmp_path: Path
) -> None:
    photo, scan = tmp_path / "guard.jpg", tmp_path / "policy.pdf"
    photo.write_bytes(b"j" * 2048)
    scan.write_bytes(b"%PDF" * 10)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # 1.D1, answered once for the audit
        assert "none (f to attach)" in pane(app)
        await pilot.press("f")
        await attach(pilot, photo, scan, caption="Guard missing on the press brake")
        shown = pane(app)
        assert "guard.jpg  2.0 KB  Guard missing on the press brake" in shown
        assert "policy.pdf  40 B" in shown
        await pilot.press("j", "f")  # 1.I1 is asked of two interviewees: which one first
        await pilot.press("down", "enter")
        await attach(pilot, photo)
        assert "guard.jpg  2.0 KB" in pane(app)
    assert attached(mini_path) == [
        ("1.D1", "", "guard.jpg", "Guard missing on the press brake", 2048),
        ("1.D1", "", "policy.pdf", "Guard missing on the press brake", 40),
        ("1.I1", "WK-01", "guard.jpg", "", 2048),
    ]


async def test_a_missing_path_is_refused_and_nothing_is_stored(
    mini_path: Path, tmp_path: Path
) -> None:
    photo = tmp_path / "guard.jpg"
    photo.write_bytes(b"j" * 10)
    missing = tmp_path / "nowhere" / "scan.pdf"
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "f")
        await attach(pilot, photo, missing)
        assert f"{missing}: no such file; nothing was attached" in notes(app)
        assert "none (f to attach)" in pane(app)
        assert app.session is not None and app.session.evidence == {}
    assert attached(mini_path) == []


async def test_a_read_only_audit_refuses_the_file(mini_path: Path, tmp_path: Path) -> None:
    photo = tmp_path / "guard.jpg"
    photo.write_bytes(b"j" * 10)
    app = AuditkitApp(Audit.open(mini_path, write=False), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "f")
        await attach(pilot, photo)
        assert "read-only" in notes(app)
        assert "none (f to attach)" in pane(app)
    assert attached(mini_path) == []


async def test_a_file_is_removed_from_its_answer(mini_path: Path, tmp_path: Path) -> None:
    photo, scan = tmp_path / "guard.jpg", tmp_path / "policy.pdf"
    photo.write_bytes(b"j" * 10)
    scan.write_bytes(b"p" * 10)
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "F")
        assert "No file is attached to 1.D1." in notes(app)
        await pilot.press("f")
        await attach(pilot, photo, scan)
        await pilot.press("F")
        assert isinstance(app.screen, DetachDialog)
        await pilot.press("down", "enter")  # the second: policy.pdf
        await settle(pilot)
        assert "policy.pdf" not in pane(app) and "guard.jpg" in pane(app)
    assert attached(mini_path) == [("1.D1", "", "guard.jpg", "", 10)]


async def test_typing_a_path_suggests_the_rest(mini_path: Path, tmp_path: Path) -> None:
    (tmp_path / "site-photos").mkdir()
    (tmp_path / "site-photos" / "guard.jpg").write_bytes(b"j")
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "f")
        path_input = app.screen.query_one("#path")
        path_input.focus()
        await pilot.press(*f"{tmp_path}/site-p")
        await pilot.pause()
        await pilot.press("right")  # accepts the suggestion: the folder
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("right")
        assert path_input.value == f"{tmp_path}/site-photos/guard.jpg"  # type: ignore[attr-defined]
