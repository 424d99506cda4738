"""Finding 7 of issue 16: an export never replaces the audit, its SQLite sidecars, or
anything that is not a regular file, even with --force (a pipe stands for a device: the
test must not risk a real device node)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditkit.cli import main
from auditkit.store.audit_file import Store


def test_export_refuses_the_audit_its_sidecars_and_non_regular_files(
    audit_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link-to-wal"
    link.symlink_to(f"{audit_path}-wal")
    with Store.open(audit_path, write=True) as holder:  # the TUI, say: the log exists
        holder.set_meta("last_question", "1.D1")
        before = holder.dump()
        wal = Path(f"{audit_path}-wal")
        assert wal.exists()
        wal_bytes = wal.read_bytes()
        for target in (
            audit_path,
            Path(f"{audit_path}-wal"),
            Path(f"{audit_path}-shm"),
            Path(f"{audit_path}-journal"),
            link,
            fifo,
        ):
            code = main(["export", str(audit_path), "--format", "md", "-o", str(target), "--force"])
            err = capsys.readouterr().err
            assert code == 1, target
            assert err.startswith(f"error: {target}: ") and err.count("\n") == 1, err
        assert wal.read_bytes() == wal_bytes
        assert fifo.exists() and not fifo.is_file()
        assert holder.dump() == before
