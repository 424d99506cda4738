"""Opening an audit reads it with sqlite3 alone; sqlite-utils loads only to apply migrations
or for writes that use it, and the migration set still says what is pending."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from auditkit.store.migrations import migrations


def test_opening_and_reading_an_audit_does_not_import_sqlite_utils(audit_path: Path) -> None:
    probe = (
        "import sys\n"
        "from auditkit.audit import Audit\n"
        "audit = Audit.open(sys.argv[1], write=True)\n"
        "print(audit.profile['company'], len(audit.subjects()), len(audit.answers()))\n"
        "audit.score()\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(audit_path)], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["Acme Ltd 2 0", "False"]  # two sites, no answers


def test_pending_names_what_a_file_lacks(tmp_path: Path) -> None:
    from sqlite_utils import Database

    conn = sqlite3.connect(tmp_path / "x.db")
    names = [step.name for step in migrations._migrations]
    assert migrations.pending(conn) == names  # no migrations table yet
    migrations.apply(Database(conn))
    assert migrations.pending(conn) == []
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [names[-1]])
    assert migrations.pending(conn) == [names[-1]]
