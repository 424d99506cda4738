"""Evidence: stored in the file, deduplicated by SHA-256, refused whole when a path fails."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from auditkit.errors import AuditkitError
from auditkit.rules.attachments import add_evidence, remove_evidence
from auditkit.store.audit_file import Store
from auditkit.store.evidence import evidence, evidence_by_answer, file_size, read_blob, stored_files
from auditkit.team.merge import merge
from auditkit.team.verify import verify_file
from tests.team.conftest import copy, edit, run


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "kit.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    return path


def test_one_file_on_two_answers_is_stored_once(lead: Path, photo: Path, tmp_path: Path) -> None:
    scan = tmp_path / "policy.pdf"
    scan.write_bytes(b"%PDF-1.4 policy")
    with edit(lead, "pat") as audit:
        add_evidence(audit, "8.O1", [photo, scan], subject="Shop", caption="first aid kit")
        add_evidence(audit, "1.D1", [photo])
        again = add_evidence(audit, "1.D1", [photo])  # already attached there
        store = audit.store
        blobs = store.conn.execute("SELECT sha256, size FROM evidence_blobs").fetchall()
        grouped = evidence_by_answer(store)
        shop = audit.find_subject("Shop").id
        data = read_blob(store, hashlib.sha256(photo.read_bytes()).hexdigest())
    assert again == []
    assert sorted(size for _, size in blobs) == sorted([photo.stat().st_size, 15])
    assert [(e.filename, e.caption, e.mime) for e in grouped[("8.O1", shop)]] == [
        ("kit.jpg", "first aid kit", "image/jpeg"),
        ("policy.pdf", "first aid kit", "application/pdf"),
    ]
    assert [e.filename for e in grouped[("1.D1", "")]] == ["kit.jpg"]
    assert data == photo.read_bytes()
    assert verify_file(lead).ok


@pytest.mark.parametrize("bad", ["missing.jpg", "."])
def test_a_bad_path_stores_nothing(
    lead: Path, photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    before = dump(lead)
    path = tmp_path / bad
    code, out, err = run(capsys, "evidence", "add", lead, "8.O1", photo, path, "--subject", "Shop")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and str(path).rstrip(".") in err and "nothing" in err
    assert dump(lead) == before


def test_an_unknown_question_or_subject_stores_nothing(lead: Path, photo: Path) -> None:
    before = dump(lead)
    with edit(lead, "pat") as audit:
        with pytest.raises(AuditkitError, match="unknown question '9.9'"):
            add_evidence(audit, "9.9", [photo])
        with pytest.raises(AuditkitError, match="unknown subject 'Dock'"):
            add_evidence(audit, "8.O1", [photo], subject="Dock")
    assert dump(lead) == before


def test_removing_keeps_a_file_another_answer_uses(lead: Path, photo: Path) -> None:
    with edit(lead, "pat") as audit:
        [first] = add_evidence(audit, "1.D1", [photo])
        add_evidence(audit, "5.D1", [photo])
        remove_evidence(audit, first.id)
        assert [e.question_id for e in evidence(audit.store)] == ["5.D1"]
        assert read_blob(audit.store, first.sha256) == photo.read_bytes()
    assert verify_file(lead).ok


def test_cli_add_and_list(lead: Path, photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "evidence", "add", lead, "8.O1", photo, "--subject", "Shop", "--caption", "kit"
    )
    assert (code, err) == (0, "")
    assert out.startswith("attached kit.jpg (10.0 KB, sha256 ")
    code, out, _ = run(capsys, "evidence", "list", lead)
    assert code == 0 and "8.O1 site 'Shop'  kit.jpg  10.0 KB" in out and out.endswith("kit\n")


def test_merge_carries_evidence_and_its_files(lead: Path, photo: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        add_evidence(audit, "1.D1", [photo])
    with edit(bob, "bob") as audit:
        add_evidence(audit, "1.D1", [photo])  # the same photo, on the same answer
        add_evidence(audit, "5.D1", [photo])
    out = tmp_path / "team.audit"
    merge(out, [alice, bob])
    with Store.open(out) as store:
        assert sorted(e.question_id for e in evidence(store)) == ["1.D1", "5.D1"]
        assert store.conn.execute("SELECT count(*) FROM evidence_blobs").fetchone()[0] == 1
    assert verify_file(out).ok


def test_stored_files_lists_each_file_once_with_every_answer(
    lead: Path, photo: Path, tmp_path: Path
) -> None:
    scan = tmp_path / "policy.pdf"
    scan.write_bytes(b"%PDF-1.4 policy")
    with edit(lead, "pat") as audit:
        add_evidence(audit, "8.O1", [photo], subject="Shop", caption="kit")
        add_evidence(audit, "1.D1", [scan, photo])
        shop = audit.find_subject("Shop").id
        files = stored_files(audit.store)
        data = [read_blob(audit.store, item.sha256) for item in files]
    assert [(f.filename, f.size, f.mime) for f in files] == [
        ("kit.jpg", photo.stat().st_size, "image/jpeg"),
        ("policy.pdf", 15, "application/pdf"),
    ]
    assert [(link.question_id, link.subject_id, link.caption) for link in files[0].links] == [
        ("8.O1", shop, "kit"),
        ("1.D1", "", ""),
    ]  # first attached first
    assert data == [photo.read_bytes(), scan.read_bytes()]
    assert (file_size(15), file_size(10_240), file_size(3 * 1024 * 1024)) == (
        "15 B",
        "10.0 KB",
        "3.0 MB",
    )
