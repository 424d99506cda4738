"""Finding 12 of issue 16, the smaller ones: the bundle of ``manifest.audit``; verify of blob
size and type, meta and merge provenance; temporary copies a killed run left; entries dated in
the future in a merge. (Import without "scores" and raw ESC/NUL in exports are tested with
findings 10-11 and 4.)"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.rules.attachments import add_evidence
from auditkit.store import audit_file
from auditkit.team.verify import verify_file


def sql(path: Path, statement: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(statement)
        conn.commit()


def test_a_bundle_of_manifest_audit_has_one_manifest(audit_path: Path, tmp_path: Path) -> None:
    named = tmp_path / "manifest.audit"
    shutil.copy(audit_path, named)
    target = tmp_path / "out.zip"
    assert main(["export", str(named), "--format", "bundle", "-o", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names.count("manifest.json") == 1
        import json

        listed = [f["name"] for f in json.loads(archive.read("manifest.json"))["files"]]
    assert sorted(listed) == sorted(n for n in names if n != "manifest.json")


@pytest.fixture
def with_evidence(audit_path: Path, tmp_path: Path) -> Path:
    photo = tmp_path / "kit.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 first aid kit")
    with Audit.open(audit_path, write=True) as audit:
        add_evidence(audit, "1.D1", [photo])
        audit.store.set_meta("last_question", '{"question": "1.D1"}')
    assert verify_file(audit_path).ok
    return audit_path


@pytest.mark.parametrize(
    ("edit", "found"),
    [
        ("UPDATE evidence_blobs SET size = 3", "size 3 recorded"),
        ("UPDATE evidence_blobs SET mime = 'text/html'", "type 'text/html'"),
        ("UPDATE meta SET value = 'x' WHERE key = 'last_question'", "meta 'last_question'"),
        ("INSERT INTO meta (key, value) VALUES ('planted', 'x')", "meta 'planted'"),
    ],
    ids=["blob size", "blob mime", "meta changed", "meta inserted"],
)
def test_verify_checks_blob_size_and_type_and_meta(
    with_evidence: Path, edit: str, found: str
) -> None:
    sql(with_evidence, edit)
    report = verify_file(with_evidence)
    assert not report.ok
    assert any(found in problem for problem in report.problems), report.problems


def test_verify_checks_merge_provenance(audit_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.audit"
    shutil.copy(audit_path, copy)
    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "yes")
    with Audit.open(copy, write=True) as audit:
        audit.answer("5.D1", "no")
    merged = tmp_path / "merged.audit"
    assert main(["merge", str(merged), str(audit_path), str(copy)]) == 0
    assert verify_file(merged).ok
    sql(
        merged,
        "UPDATE journal SET origin_prev = '" + "f" * 64 + "' WHERE seq = "
        "(SELECT min(seq) FROM journal WHERE origin_prev IS NOT NULL)",
    )
    report = verify_file(merged)
    assert any("origin_prev changed outside auditkit" in p for p in report.problems)


def test_temporary_copies_left_by_a_killed_run_are_removed_by_the_next(
    audit_path: Path, tmp_path: Path
) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(gone.stdout)
    target = tmp_path / "report.md"
    left = tmp_path / f".report.md.{dead_pid}-0123abcd.tmp"
    left.write_text("half a report")
    Path(f"{left}-wal").write_bytes(b"log")
    unowned = tmp_path / ".report.md.89abcdef.tmp"  # the old naming, from a day ago
    unowned.write_text("older half")
    old = time.time() - 86_400
    os.utime(unowned, (old, old))
    mine = tmp_path / f".report.md.{os.getpid()}-fedcba98.tmp"  # a live run's: kept
    mine.write_text("in progress")
    assert main(["export", str(audit_path), "--format", "md", "-o", str(target)]) == 0
    assert not left.exists() and not Path(f"{left}-wal").exists() and not unowned.exists()
    assert mine.exists()
    assert sorted(p.name for p in tmp_path.glob(".report.md.*")) == [mine.name]


def test_merge_refuses_entries_dated_in_the_future(
    audit_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "copy.audit"
    shutil.copy(audit_path, copy)
    with monkeypatch.context() as patched:
        patched.setattr(audit_file, "now", lambda: "2099-01-01T00:00:00.000000Z")
        with Audit.open(copy, write=True) as audit:
            audit.answer("1.D1", "yes", note="written on a laptop whose clock says 2099")
    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "no", note="the real answer, today")
    merged = tmp_path / "merged.audit"
    code = main(["merge", str(merged), str(audit_path), str(copy)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: {copy}: journal entry #") and "2099-01-01, in the future" in err
    assert not merged.exists()
