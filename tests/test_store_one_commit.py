"""A file built under a temporary name (the demo) commits its writes once, at close; each
change still succeeds or fails whole, with its journal entry."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditkit.errors import AuditkitError
from auditkit.store.audit_file import Store
from auditkit.store.changes import Change
from auditkit.team.verify import verify_file
from tests.team.conftest import edit, new_audit


@dataclass(frozen=True)
class HalfWritten(Change[None]):
    """A change that fails after writing a row."""

    def write(self, store: Store) -> None:
        store.conn.execute("UPDATE audit SET contact = 'half-written'")
        raise AuditkitError("refused half-way")


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What another program reading the file sees now."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def test_writes_reach_the_file_at_close_and_a_failed_change_undoes_only_itself(
    tmp_path: Path,
) -> None:
    path = new_audit(tmp_path / "built.audit", contact="Pat, 403-555-0100")
    journal_before = rows(path, "SELECT count(*) FROM journal")[0][0]
    audit = edit(path, "pat")
    audit.store.skip_fsync()
    audit.store.commit_on_close()
    audit.answer("1.D1", "8", note="Policy signed and dated.")
    with pytest.raises(AuditkitError, match="refused half-way"):
        audit.store.apply(HalfWritten())
    audit.answer("5.D1", "yes")
    assert rows(path, "SELECT count(*) FROM answers") == [(0,)]  # nothing committed yet
    audit.close()
    assert sorted(rows(path, "SELECT question_id, value FROM answers")) == [
        ("1.D1", "8"),
        ("5.D1", "yes"),
    ]
    assert rows(path, "SELECT contact FROM audit") == [("Pat, 403-555-0100",)]
    assert rows(path, "SELECT count(*) FROM journal")[0][0] == journal_before + 2
    assert verify_file(path).ok
