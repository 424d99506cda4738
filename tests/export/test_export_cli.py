"""``auditkit export`` and ``auditkit import`` as a user runs them."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.store.audit_file import Store

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_writes_beside_the_audit_and_says_draft(half_path: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "export", half_path, "--format", "docx")
    assert (code, err) == (0, "")
    assert (
        out == f"wrote {half_path.with_suffix('.docx')} (DRAFT: 4 of 8 scored items unanswered)\n"
    )
    assert half_path.with_suffix(".docx").read_bytes()[:2] == b"PK"


def test_no_overwrite_without_force(half_path: Path, tmp_path: Path, capsys: Capture) -> None:
    target = tmp_path / "report.html"
    target.write_text("the auditor's edited copy")
    code, out, err = run(capsys, "export", half_path, "--format", "html", "-o", target)
    assert (code, out) == (1, "")
    assert err == f"error: {target}: already exists; use --force to overwrite it\n"
    assert target.read_text() == "the auditor's edited copy"
    code, _, _ = run(capsys, "export", half_path, "--format", "html", "-o", target, "--force")
    assert code == 0 and target.read_text().startswith("<!DOCTYPE html>")


def test_the_audit_file_itself_is_never_overwritten(half_path: Path, capsys: Capture) -> None:
    before = Store.open(half_path).dump()
    code, _, err = run(capsys, "export", half_path, "--format", "json", "-o", half_path, "--force")
    assert code == 1 and "is the audit file itself" in err
    assert Store.open(half_path).dump() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--format", "pdf"), 2, "'pdf' is not one of"),
        (("--format", "md", "-o", "nowhere/x.md"), 1, "nowhere: no such folder"),
    ],
)
def test_refused_exports_write_nothing(
    half_path: Path, capsys: Capture, args: tuple[str, ...], code: int, message: str
) -> None:
    before = sorted(p.name for p in half_path.parent.iterdir())
    result, out, err = run(capsys, "export", half_path, *args)
    assert (result, out) == (code, "") and message in err and err.count("\n") == 1
    assert sorted(p.name for p in half_path.parent.iterdir()) == before


def test_export_of_a_file_that_is_no_audit(tmp_path: Path, capsys: Capture) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    code, _, err = run(capsys, "export", bogus, "--format", "md")
    assert code == 1 and err.startswith(f"error: {bogus}: ") and err.count("\n") == 1
    assert not bogus.with_suffix(".md").exists()


def test_import_round_trip_by_command(half_path: Path, tmp_path: Path, capsys: Capture) -> None:
    exported = tmp_path / "audit.json"
    assert run(capsys, "export", half_path, "--format", "json", "-o", exported)[0] == 0
    code, out, err = run(capsys, "import", exported, tmp_path / "copy.audit")
    assert (code, err) == (0, "")
    assert out == f"created {tmp_path / 'copy.audit'}: Acme Ltd, 5 subjects, 5 answers\n"
    assert (
        run(capsys, "score", tmp_path / "copy.audit", "--json")[1]
        == run(capsys, "score", half_path, "--json")[1]
    )
    code, _, err = run(capsys, "import", exported, tmp_path / "copy.audit")
    assert code == 1 and "already exists; use --force" in err


def test_import_of_garbage_is_one_line(tmp_path: Path, capsys: Capture) -> None:
    source = tmp_path / "x.json"
    source.write_text("{not json")
    code, out, err = run(capsys, "import", source, tmp_path / "new.audit")
    assert (code, out) == (1, "") and err.startswith(f"error: {source}: not JSON")
    assert not (tmp_path / "new.audit").exists()


def attach(path: Path, question: str, subject: str, data: bytes, filename: str) -> str:
    """Evidence rows as the evidence feature stores them (tables of migration m002)."""
    sha = hashlib.sha256(data).hexdigest()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO evidence_blobs VALUES (?, ?, ?, ?)",
            (sha, len(data), "image/jpeg", data),
        )
        conn.execute(
            "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f"ev-{filename}", question, subject, sha, filename, "kit", "Pat", "t"),
        )
    return sha


def test_bundle_holds_every_format_evidence_and_a_true_manifest(
    half_path: Path, capsys: Capture
) -> None:
    with Audit.open(half_path, write=True) as audit:  # applies every migration
        yard = audit.find_subject("Yard").id
    photo = bytes(range(256)) * 10
    sha = attach(half_path, "8.O1", yard, photo, "../../kit photo.jpg")
    assert run(capsys, "export", half_path, "--format", "bundle")[0] == 0
    with zipfile.ZipFile(half_path.with_suffix(".zip")) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        names = [f["name"] for f in manifest["files"]]
        assert names[:6] == [
            "acme.docx", "acme.html", "acme.md", "acme.csv", "acme.xlsx", "acme.json"
        ]  # fmt: skip
        for entry in manifest["files"]:
            assert hashlib.sha256(bundle.read(entry["name"])).hexdigest() == entry["sha256"]
        evidence = next(f for f in manifest["files"] if f["kind"] == "evidence")
        assert evidence["name"] == f"evidence/{sha[:12]}-kit_photo.jpg"
        assert bundle.read(evidence["name"]) == photo
        assert evidence["supports"] == [{"question": "8.O1", "subject": yard, "caption": "kit"}]
        assert sorted(bundle.namelist()) == sorted([*names, "manifest.json"])
        assert json.loads(bundle.read("acme.json"))["format"] == "auditkit-audit"
        assert io.BytesIO(bundle.read("acme.docx")).read(2) == b"PK"
