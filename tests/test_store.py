"""The audit file: what opens, what is refused untouched, and what every write leaves behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.errors import AuditkitError, NotAnAudit
from auditkit.store.audit_file import Store
from tests.conftest import MINI


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_new_audit_is_wal_with_profile_sites_and_protocol_copy(audit_path: Path) -> None:
    with Audit.open(audit_path) as audit:
        assert audit.profile["company"] == "Acme Ltd"
        assert audit.profile["certificate"] == "COR"
        assert [s.label for s in audit.subjects("site")] == ["Yard", "Shop"]
        assert set(audit.store.protocol_files()) == {
            "protocol.yaml",
            "documents.yaml",
            "infrastructure.yaml",
            "interviews.yaml",
            "incidents.yaml",
        }
        assert audit.profile["protocol_sha256"] == audit.protocol.sha256
    conn = sqlite3.connect(audit_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_answer_is_on_disk_with_a_journal_entry(audit: Audit, audit_path: Path) -> None:
    audit.answer("1.D1", "7", note="Signed 2025-01-10 by the president")
    audit.answer("1.D1", "9")
    other = sqlite3.connect(audit_path)  # a second connection sees the committed rows
    rows = other.execute("SELECT question_id, subject_id, value, note FROM answers").fetchall()
    assert rows == [("1.D1", None, "9", "Signed 2025-01-10 by the president")]
    journal = other.execute(
        "SELECT action, key, before, after FROM journal WHERE entity = 'answers' ORDER BY seq"
    ).fetchall()
    assert journal == [
        ("answer.set", "1.D1|", None, '{"note":"Signed 2025-01-10 by the president","value":"7"}'),
        (
            "answer.set",
            "1.D1|",
            '{"note":"Signed 2025-01-10 by the president","value":"7"}',
            '{"note":"Signed 2025-01-10 by the president","value":"9"}',
        ),
    ]


def test_journal_is_chained(audit: Audit) -> None:
    audit.answer("1.D1", "yes")
    audit.answer("5.D1", "no")
    entries = audit.store.journal()
    assert entries[0].prev == "0" * 64
    for earlier, later in zip(entries, entries[1:], strict=False):
        assert later.prev == earlier.hash


def test_changed_protocol_on_disk_never_rescores(tmp_path: Path, mini_dir: Path) -> None:
    path = tmp_path / "a.audit"
    with Audit.create(path, Profile(company="X", protocol=str(mini_dir))) as audit:
        audit.answer("1.D1", "5")
        before = audit.score().awarded
    documents = mini_dir / "documents.yaml"
    documents.write_text(documents.read_text().replace("points: 10", "points: 40", 1))
    with Audit.open(path) as audit:
        assert audit.protocol.question("1.D1").points == 10
        assert audit.score().awarded == before == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file, not an auditkit audit"),
        (bytes(range(256)) * 8, "not an auditkit audit (not an SQLite database)"),
        (b"SQLite format 3\x00" + b"\x00" * 20, "not an auditkit audit (not an SQLite database)"),
    ],
)
def test_not_an_audit_is_refused_unwritten(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.audit"
    path.write_bytes(content)
    before = fingerprint(path)
    with pytest.raises(
        NotAnAudit, match="^" + str(path) + ": " + message.replace("(", r"\(").replace(")", r"\)")
    ):
        Store.open(path, write=True)
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.audit"]


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    with pytest.raises(NotAnAudit, match="an SQLite database, but not an auditkit audit"):
        Store.open(path, write=True)
    assert fingerprint(path) == before


def test_newer_schema_is_refused(audit_path: Path) -> None:
    conn = sqlite3.connect(audit_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('auditkit', 'm999_future', 'later')"
    )
    conn.commit()
    conn.close()
    before = fingerprint(audit_path)
    with pytest.raises(NotAnAudit, match="written by a newer auditkit"):
        Store.open(audit_path, write=True)
    assert fingerprint(audit_path) == before


def test_directory_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NotAnAudit, match="is a directory"):
        Store.open(tmp_path)
    with pytest.raises(NotAnAudit, match="no such audit file"):
        Store.open(tmp_path / "nope.audit")
    assert list(tmp_path.iterdir()) == []


def test_truncated_audit_is_refused(audit_path: Path) -> None:
    data = audit_path.read_bytes()
    audit_path.write_bytes(data[: len(data) // 2])
    before = fingerprint(audit_path)
    with pytest.raises(NotAnAudit):
        Audit.open(audit_path, write=True)
    assert fingerprint(audit_path) == before


def test_create_refuses_existing_file_and_leaves_no_temp(audit_path: Path) -> None:
    before = fingerprint(audit_path)
    with pytest.raises(AuditkitError, match="already exists"):
        Audit.create(audit_path, Profile(company="Y", protocol=str(MINI)))
    assert fingerprint(audit_path) == before
    assert [p.name for p in audit_path.parent.iterdir()] == [audit_path.name]


def test_read_only_open_cannot_write(audit_path: Path) -> None:
    with Audit.open(audit_path) as audit, pytest.raises(AuditkitError, match="read-only"):
        audit.answer("1.D1", "yes")


def test_browsable_with_sqlite_utils(audit: Audit) -> None:
    audit.answer("1.D1", "yes")
    tables = set(audit.store.db.table_names())
    assert {"audit", "subjects", "answers", "journal", "protocol_files", "meta"} <= tables
    assert audit.store.db["answers"].count == 1
