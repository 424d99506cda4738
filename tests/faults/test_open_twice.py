"""A long-lived writer (the TUI) keeps its audit open while the same process opens the file
again (a report, a verify) and other processes write to it: nothing may be lost.

On POSIX, closing *any* descriptor of a file drops every lock the process holds on it,
SQLite's included; a reopen that peeked at the file with ``open()`` once let another process
believe it was the last connection, checkpoint and delete the WAL under the open writer.
"""

from __future__ import annotations

from pathlib import Path

from auditkit.audit import Audit
from auditkit.store.audit_file import Store
from tests.faults.conftest import assert_intact, recorder, reported


def test_reopening_in_the_same_process_keeps_the_open_writer_safe(field_audit: Path) -> None:
    saved = []
    with Audit.open(field_audit, write=True) as long_lived:
        for first in (0, 1000, 2000):
            child = recorder(field_audit, first, 40)
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            saved += reported(out)
            for _ in range(3):  # e.g. the TUI exporting or verifying the audit it has open
                Store.open(field_audit).close()
        long_lived.answer("1.D1", "yes", note="n5000")
        saved.append((5000, ("1.D1", ""), "yes"))
    assert_intact(field_audit, saved)
