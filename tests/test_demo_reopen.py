"""`auditkit demo` without FILE reuses an existing demo.audit; an explicit FILE never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.cli import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Paths the TUI was asked to open (the TUI itself is not started)."""
    calls: list[Path] = []
    monkeypatch.setattr("auditkit.tui.run_audit", calls.append)
    return calls


def test_demo_again_opens_the_existing_demo(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: list[Path],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-open"]) == 0
    made = (tmp_path / "demo.audit").stat().st_mtime_ns
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "demo.audit already exists; opening it (give a FILE for a fresh demo)" in out
    assert opened == [Path("demo.audit")]
    assert (tmp_path / "demo.audit").stat().st_mtime_ns == made


def test_demo_no_open_again_says_it_exists(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: list[Path],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-open"]) == 0
    capsys.readouterr()
    assert main(["demo", "--no-open"]) == 0
    assert (
        capsys.readouterr().out
        == "demo.audit already exists; not created again (give a FILE for a fresh demo)\n"
    )
    assert opened == []


def test_an_explicit_existing_file_is_still_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: list[Path],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-open"]) == 0
    capsys.readouterr()
    assert main(["demo", "demo.audit"]) == 1
    assert (
        capsys.readouterr().err == "error: demo.audit: already exists; choose another file name\n"
    )
    assert opened == []
