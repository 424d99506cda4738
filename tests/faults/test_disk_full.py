"""Answers written until the disk is full: each refused with a clear one-line error, nothing
reported as saved is lost, and the file is still a sound audit once space is freed.

The disk is a size-limited tmpfs mounted for the test; where the machine forbids mounting
(not root, or a container without the right), the test is skipped and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from tests.faults.conftest import assert_intact, make_field_audit

TMPFS_SIZE = "448k"  # room for the mini audit and a few hundred KB of answers and journal
NOTE = "x" * 3000  # big notes fill the disk in a few dozen answers


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root and mount(8); this run has neither")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"this machine forbids mounting a tmpfs: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill_until_refused(path: Path) -> tuple[list[tuple[int, tuple[str, str], str]], list[str]]:
    """Answer through the engine until the disk refuses; returns (saved, refusal messages)."""
    saved, refusals = [], []
    with Audit.open(path, write=True) as audit:
        for number in range(2000):
            try:
                audit.answer("1.D1", str(number % 11), note=f"n{number} {NOTE}")
            except Exception as exc:  # whatever escapes is checked below, message and type
                refusals.append(f"{type(exc).__name__}: {exc}")
                if len(refusals) >= 5:
                    break
                continue
            saved.append((number, ("1.D1", ""), str(number % 11)))
    return saved, refusals


def test_answers_on_a_full_disk_are_refused_clearly_and_nothing_is_lost(
    tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_field_audit(tiny_disk / "field.audit")
    saved, refusals = _fill_until_refused(path)
    assert saved, "the disk was full before the first answer; make TMPFS_SIZE larger"
    assert len(refusals) == 5, "the disk never filled up; make TMPFS_SIZE smaller"
    assert all(
        r == f"AuditkitError: {path}: disk is full; the change was not saved" for r in refusals
    ), refusals

    # The command line says the same in one line, and exits 1.
    capsys.readouterr()
    code = main(["answer", str(path), "5.D1", "yes", "--note", NOTE])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == f"error: {path}: disk is full; the change was not saved\n"

    # Reading still works on the full disk; the file is sound and holds every saved answer.
    assert main(["score", str(path)]) == 0
    assert_intact(path, saved)
