"""Finding 9 of issue 16: merge compares the inputs' protocols and refuses copies on
different ones, naming the files, instead of merging and silently rescoring."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from auditkit.cli import main
from auditkit.protocol.model import files_sha256
from auditkit.store.audit_file import Store
from auditkit.team.verify import verify_file


def swap_protocol(path: Path) -> None:
    """Give the copy a protocol where 1.D1 is worth 100 points, through auditkit's own store,
    so the copy still verifies on its own."""
    with Store.open(path, write=True) as store:
        files = store.protocol_files()
        text = files["documents.yaml"]
        assert "    points: 10\n" in text
        files["documents.yaml"] = text.replace("    points: 10\n", "    points: 100\n", 1)
        with store.write(journaled=False):  # as another program would
            store.conn.execute(
                "UPDATE protocol_files SET text = ?, sha256 = ? WHERE name = 'documents.yaml'",
                [
                    files["documents.yaml"],
                    hashlib.sha256(files["documents.yaml"].encode()).hexdigest(),
                ],
            )
        store.update_audit({"protocol_sha256": files_sha256(files)})


def test_merge_refuses_a_copy_with_a_swapped_protocol(
    audit_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.audit"
    shutil.copy(audit_path, copy)
    swap_protocol(copy)
    assert verify_file(copy).ok  # on its own, the swapped copy looks sound
    out = tmp_path / "merged.audit"
    code = main(["merge", str(out), str(audit_path), str(copy)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: {copy}: protocol ") and f"differs from {audit_path}" in err
    assert err.count("\n") == 1
    assert not out.exists()
