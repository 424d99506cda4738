"""An audit file's SQLite sidecars (``-wal``, ``-shm``, ``-journal``) when a new file takes
its name.

SQLite finds a database's write-ahead log and rollback journal by name. Left beside a new file
(a writer killed, then its audit deleted), they are replayed into it on the first open: the new
audit is damaged although it was reported created. And a file replaced while another program
has it open keeps receiving that program's log: the answers it writes land in a log that no
longer matches, and are lost. :func:`taking_name` guards the rename of every audit built under
a temporary name (new, demo, merge, import).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from auditkit.errors import AuditkitError, StoreBusy

SIDECARS = ("-wal", "-shm", "-journal")


def sidecars(path: Path) -> list[Path]:
    """The sidecar paths of ``path`` (existing or not)."""
    return [Path(f"{path}{suffix}") for suffix in SIDECARS]


@contextmanager
def taking_name(target: Path) -> Iterator[None]:
    """The block renames a new audit onto ``target``: make the name safe to take.

    A ``target`` that does not exist leaves any sidecars of its name orphaned: they are
    removed. An existing ``target`` (``import --force``) is refused while another program has
    it open; otherwise its log is checkpointed into it and removed, and it stays locked
    until the block has replaced it, so nobody opens it in between.
    """
    if not target.exists():
        for stale in sidecars(target):
            stale.unlink(missing_ok=True)
        yield
        return
    with _locked_for_replacement(target):
        yield


@contextmanager
def _locked_for_replacement(target: Path) -> Iterator[None]:
    try:
        conn = sqlite3.connect(target, timeout=0, isolation_level=None)
    except sqlite3.Error as exc:
        raise AuditkitError(f"{target}: cannot open it to replace it ({exc})") from None
    with closing(conn):
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            # Leaving WAL mode needs every other connection closed: it fails while the TUI
            # (or any program) has the file open, and otherwise copies the log into the file
            # and deletes it, so nothing of the old audit is left in a sidecar.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise _in_use(target)
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.DatabaseError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise _in_use(target) from None
            if "not a database" not in text:
                raise AuditkitError(f"{target}: cannot replace it ({text})") from None
            # Not an SQLite file at all: nothing can be waiting in a log for it.
        for stale in sidecars(target):
            stale.unlink(missing_ok=True)
        yield
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _in_use(target: Path) -> StoreBusy:
    return StoreBusy(
        f"{target}: in use by another program (the TUI?); close it and try again; "
        f"nothing was changed"
    )
