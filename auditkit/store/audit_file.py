"""One audit per SQLite file: opening it safely, and every durable write with its journal entry.

A file is checked before anything is written to it: it must exist, be an SQLite database, carry
auditkit's meta row and not come from a newer auditkit. Each write is one ``BEGIN IMMEDIATE`` …
``COMMIT`` transaction in WAL mode with ``synchronous=FULL``: when a write method returns, the
change and its journal entry are on disk.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from auditkit.errors import AuditkitError, Finalized, NotAnAudit, ReadOnly, StoreBusy
from auditkit.files import built_beside
from auditkit.store import DatabaseError, journal
from auditkit.store.changes import (
    AddSubject,
    Change,
    ClearAnswer,
    CreateAudit,
    RemoveRecommendation,
    SetAnswer,
    SetMeta,
    SetRecommendation,
    UpdateAudit,
    UpdateSubject,
)
from auditkit.store.findings import FindingsStore
from auditkit.store.migrations import APP_ID, migrations
from auditkit.store.questions import SUBJECT_OUT
from auditkit.store.records import AnswerRow, Subject, answer_id_for, now
from auditkit.store.sidecars import taking_name
from auditkit.vocabulary import SUBJECT_KINDS

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000
# Journal actions a finalized audit still accepts without a reason: UI state, and finalizing.
UNLOCKED_ACTIONS = ("meta.set", "audit.create", "audit.finalize")
R = TypeVar("R")

__all__ = [
    "SUBJECT_KINDS",
    "AnswerRow",
    "DatabaseError",
    "Store",
    "Subject",
    "answer_id_for",
    "now",
]


# Why a finalized audit is being changed: set for the span of ``Store.amending`` only, in the
# running thread's context, so no other write (another thread, the next command) inherits it.
_REASON: ContextVar[str | None] = ContextVar("auditkit_amendment_reason", default=None)


def reader_uri(path: Path) -> str:
    """The URI that opens ``path`` for reading without leaving anything beside it.

    A WAL reader creates ``-wal`` and ``-shm`` files next to the database, and only a
    connection that may write removes them when it closes: a ``mode=ro`` reader leaves them
    behind, even next to a file that turned out not to be an audit. So a file we may write is
    opened read-write (readers add ``PRAGMA query_only``, so nothing changes through them). In
    a read-only folder, or for a read-only file, with no ``-wal`` present nothing uncommitted is
    waiting and nobody is writing through this folder, so the file is opened as immutable.
    """
    uri = path.resolve().as_uri()
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return f"{uri}?mode=rw"
    if not Path(f"{path}-wal").exists():
        return f"{uri}?mode=ro&immutable=1"
    return f"{uri}?mode=ro"


def _check_is_audit(path: Path) -> None:
    """Refuse anything that is not an auditkit audit, reading only."""
    if not path.exists():
        raise NotAnAudit(f"{path}: no such audit file")
    if path.is_dir():
        raise NotAnAudit(f"{path}: is a directory, not an audit file")
    # Only SQLite may open the file: on POSIX, closing any descriptor of a file drops every
    # lock this process holds on it, so a peek with open() while this process has the audit
    # open elsewhere (the TUI exporting, say) lets another process checkpoint and delete the
    # WAL under that connection, and the file is damaged.
    if path.stat().st_size == 0:
        raise NotAnAudit(f"{path}: empty file, not an auditkit audit")
    if not os.access(path, os.R_OK):
        raise NotAnAudit(f"{path}: cannot read (permission denied)")
    try:
        conn = sqlite3.connect(reader_uri(path), uri=True)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise NotAnAudit(f"{path}: cannot open ({exc})") from None
    try:
        # quick_check reports damage as rows of text rather than raising; a damaged file must
        # be refused before anything reads it, and above all before anything writes to it.
        damage = conn.execute("PRAGMA quick_check(1)").fetchone()
        if damage and damage[0] != "ok":
            detail = damage[0].replace("*** in database main ***", "").strip().splitlines()
            raise NotAnAudit(f"{path}: damaged audit file ({detail[0] if detail else 'corrupt'})")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables or "_sqlite_migrations" not in tables:
            raise NotAnAudit(f"{path}: an SQLite database, but not an auditkit audit")
        app = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
        if not app or app[0] != APP_ID:
            raise NotAnAudit(f"{path}: an SQLite database, but not an auditkit audit")
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [APP_ID]
            )
        }
        known = {m.name for m in migrations._migrations}
        if applied - known:
            raise NotAnAudit(
                f"{path}: written by a newer auditkit (schema {max(applied)}); upgrade auditkit"
            )
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise NotAnAudit(f"{path}: not an auditkit audit (not an SQLite database)") from None
        raise NotAnAudit(f"{path}: damaged audit file ({exc})") from None
    finally:
        conn.close()


def translate(path: Path, exc: sqlite3.Error) -> AuditkitError:
    """A one-line, user-facing error for an SQLite failure on this file."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreBusy(f"{path}: busy, another program is writing to it; try again")
    if "readonly" in text or "read-only" in text:
        return ReadOnly(f"{path}: read-only; the change was not saved")
    if "full" in text:
        return AuditkitError(f"{path}: disk is full; the change was not saved")
    if "malformed" in text or "not a database" in text:
        return NotAnAudit(f"{path}: damaged audit file ({text})")
    return AuditkitError(f"{path}: database error ({text})")


class Store(FindingsStore):
    """An open audit file. Use :meth:`open` or :meth:`create`, and close it (or ``with``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, writable: bool) -> None:
        self.path = path
        self.conn = conn
        self.writable = writable
        self.author = ""
        self._journaled = 0  # journal entries appended through this connection
        self._one_commit = False  # see commit_on_close

    @cached_property
    def db(self) -> Database:
        """sqlite-utils on this connection, imported on first use: reads use plain SQL, so
        opening an audit does not pay for sqlite-utils (plugins, numpy)."""
        from sqlite_utils import Database

        return Database(self.conn)

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, write: bool = False) -> Store:
        """Open an existing audit; nothing is written unless ``write`` and the file is valid."""
        path = Path(path)
        _check_is_audit(path)
        if write:
            if not os.access(path, os.W_OK):
                raise ReadOnly(f"{path}: read-only file; nothing was changed")
            if not os.access(path.parent, os.W_OK):
                raise ReadOnly(f"{path.parent}: folder is read-only; nothing was changed")
        try:
            if write:
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(
                    reader_uri(path), uri=True, isolation_level=None, check_same_thread=False
                )
            store = cls(path, conn, write)
            store._configure()
            if write and migrations.pending(conn):
                migrations.apply(store.db)
        except sqlite3.Error as exc:
            raise translate(path, exc) from None
        return store

    @classmethod
    def create(
        cls, path: str | Path, audit: dict[str, Any], protocol_files: dict[str, str], author: str
    ) -> Store:
        """Create a new audit file atomically: it appears complete or not at all."""
        path = Path(path)
        if path.exists():
            raise AuditkitError(f"{path}: already exists; choose another file name")
        if not path.parent.is_dir():
            raise AuditkitError(f"{path.parent}: no such folder")
        if not os.access(path.parent, os.W_OK):
            raise ReadOnly(f"{path.parent}: folder is read-only")
        try:
            with built_beside(path, "choose another file name", guard=taking_name) as temp:
                conn = sqlite3.connect(temp, isolation_level=None)
                store = cls(temp, conn, True)
                store.author = author
                migrations.apply(store.db)
                store._configure()
                store.apply(CreateAudit(audit, protocol_files))
                store.close()
        except sqlite3.Error as exc:
            raise translate(path, exc) from None
        opened = cls.open(path, write=True)
        opened.author = author
        return opened

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.writable:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
        else:
            self.conn.execute("PRAGMA query_only = ON")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def skip_fsync(self) -> None:
        """Stop waiting for the disk after each write: only for a file being built under a
        temporary name (the demo), which an interruption leaves behind unused."""
        self.conn.execute("PRAGMA synchronous = OFF")

    def commit_on_close(self) -> None:
        """From now on commit every write at once when the store is closed: only for a file
        being built under a temporary name (the demo), like :meth:`skip_fsync`. Each change
        still runs in its own savepoint with its journal entry, so a failed one undoes only
        itself; a transaction per answer was a third of the demo's build time."""
        self._one_commit = True

    def close(self) -> None:
        if self._one_commit and self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    @staticmethod
    @contextmanager
    def amending(reason: str | None) -> Iterator[None]:
        """Every write inside the block records ``reason``: why a finalized audit is changed.

        ``None`` or blank means no reason, so a write to a finalized audit is refused.
        """
        token = _REASON.set((reason or "").strip() or None)
        try:
            yield
        finally:
            _REASON.reset(token)

    def apply(self, change: Change[R]) -> R:
        """Make ``change`` durable: one transaction, its journal entry, what it produced.

        This is the one way anything outside :mod:`auditkit.store` changes an audit file.
        """
        with self.write():
            return change.write(self)

    @contextmanager
    def write(self, journaled: bool = True) -> Iterator[None]:
        """One durable transaction; an SQLite failure rolls it back and becomes a clear error.

        Internal to the store layer (``apply`` and the ``Store`` methods written in the
        ``with self.write(): … self._journal(…)`` style). A transaction that changed rows
        without a journal entry is rolled back: nothing reaches the file unjournaled. Only a
        whole-file build (:mod:`auditkit.store.building`), which lays down a journal that
        already exists, passes ``journaled=False``.
        """
        if not self.writable:
            raise ReadOnly(f"{self.path}: opened read-only")
        begin, commit, undo = "BEGIN IMMEDIATE", "COMMIT", self._rollback
        if self._one_commit:  # one savepoint per change inside the one transaction
            if not self.conn.in_transaction:
                self.conn.execute(begin)
            begin, commit, undo = "SAVEPOINT change", "RELEASE change", self._undo_change
        try:
            self.conn.execute(begin)
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from None
        changed, entries = self.conn.total_changes, self._journaled
        try:
            yield
            if journaled and self.conn.total_changes != changed and self._journaled == entries:
                raise AssertionError(f"{self.path}: a write without a journal entry")
            self.conn.execute(commit)
        except sqlite3.Error as exc:
            undo()
            raise translate(self.path, exc) from None
        except BaseException:
            undo()
            raise

    def _undo_change(self) -> None:
        self.conn.execute("ROLLBACK TO change")
        self.conn.execute("RELEASE change")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read in the block sees one state of the file, whatever others write meanwhile
        (a read transaction: WAL keeps the pages it started from). ``verify`` and ``merge``
        compare the journal with the tables: read a statement apart, a write landing between
        the two looks like tampering."""
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from None
        try:
            yield
        finally:
            self._rollback()  # nothing was written: ending the read transaction

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _journal(
        self,
        action: str,
        entity: str,
        key: str,
        before: Any,
        after: Any,
        at: str | None = None,
        supersedes: list[str] | None = None,
    ) -> None:
        """Append the journal entry of the write in progress; a finalized audit needs a reason.

        Every write path ends here inside its transaction, so refusing here rolls it back.
        """
        reason = _REASON.get()
        if action not in UNLOCKED_ACTIONS and not reason:
            row = self.conn.execute("SELECT finalized_at FROM audit").fetchone()
            if row and row[0]:
                raise Finalized(
                    f"{self.path}: the audit was finalized on {row[0][:10]}; "
                    f"a change needs a reason (--reason)"
                )
        self._journaled += 1
        journal.append(
            self.conn,
            at=at or self._stamp(),
            author=self.author,
            action=action,
            entity=entity,
            key=key,
            before=before,
            after=after,
            reason=reason,
            supersedes=supersedes,
        )

    def _stamp(self) -> str:
        """Now, but never before the journal's last entry (call inside the transaction)."""
        return journal.next_at(self.conn, now())

    # Thin typed wrappers: each is one ``apply``, so there is one write path.

    def update_audit(self, changes: dict[str, Any], action: str = "audit.update") -> None:
        self.apply(UpdateAudit(changes, action))

    def add_subject(self, subject: Subject) -> Subject:
        return self.apply(AddSubject(subject))

    def update_subject(self, subject_id: str, changes: dict[str, Any]) -> Subject:
        return self.apply(UpdateSubject(subject_id, changes))

    def set_answer(
        self, question_id: str, subject_id: str, value: str | None, note: str | None
    ) -> AnswerRow:
        """Record (or replace) the answer to one question for one subject, durably.

        ``note=None`` keeps the note already there; ``value=None`` keeps the value.
        """
        return self.apply(SetAnswer(question_id, subject_id, value, note))

    def clear_answer(self, question_id: str, subject_id: str) -> None:
        self.apply(ClearAnswer(question_id, subject_id))

    def restore_answer(
        self, question_id: str, subject_id: str, previous: tuple[str | None, str] | None
    ) -> AnswerRow | None:
        """Undo: put one answer back to ``previous`` (value, note), or remove it when None;
        journaled as ``answer.undo`` (a new entry, never a deletion)."""
        from auditkit.store.restore import RestoreAnswer

        return self.apply(RestoreAnswer(question_id, subject_id, previous))

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes when another connection (another process)
        commits to the file, never for this connection's own writes."""
        return int(self._read("PRAGMA data_version")[0][0])

    def answer_row(self, question_id: str, subject_id: str) -> AnswerRow | None:
        """One stored answer, or None."""
        rows = self._read(
            f"SELECT id, question_id, {SUBJECT_OUT}, value, note, author, updated_at "
            f"FROM answers WHERE question_id = ? AND {SUBJECT_OUT} = ?",
            (question_id, subject_id),
        )
        return AnswerRow(*rows[0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Small UI state (e.g. the last question shown); journaled like everything else."""
        self.apply(SetMeta(key, value))

    # -- reading ---------------------------------------------------------------------------

    def _read(self, sql: str, params: Any = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from None

    def _dicts(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows as column -> value dicts, as sqlite-utils' ``rows_where`` gives them."""
        try:
            cursor = self.conn.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from None

    def audit(self) -> dict[str, Any]:
        rows = self._dicts("SELECT * FROM audit")
        if len(rows) != 1:
            raise NotAnAudit(f"{self.path}: audit profile is missing")
        return rows[0]

    def meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", [key])
        return rows[0][0] if rows else None

    def protocol_files(self) -> dict[str, str]:
        return {name: text for name, text in self._read("SELECT name, text FROM protocol_files")}

    def _subject(self, row: dict[str, Any]) -> Subject:
        try:
            fields = json.loads(row["fields"] or "{}")
        except (ValueError, RecursionError):
            raise NotAnAudit(
                f"{self.path}: {row['kind']} {row['label']!r}: its fields are not JSON "
                f"(changed outside auditkit)"
            ) from None
        return Subject(
            id=row["id"],
            kind=row["kind"],
            label=row["label"],
            role=row["role"] or "",
            site_id=row["site_id"] or "",
            fields=fields if isinstance(fields, dict) else {},
            author=row["author"] or "",
            created_at=row["created_at"] or "",
        )

    def _subject_row(self, subject_id: str) -> dict[str, Any]:
        rows = self._dicts("SELECT * FROM subjects WHERE id = ?", [subject_id])
        if not rows:
            raise AuditkitError(f"{self.path}: no subject with id {subject_id!r}")
        return rows[0]

    def subjects(self, kind: str | None = None) -> list[Subject]:
        where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
        rows = self._dicts(f"SELECT * FROM subjects {where} ORDER BY created_at, label", params)
        return [self._subject(row) for row in rows]

    def subjects_named(self, ref: str, kind: str | None = None) -> list[Subject]:
        """Subjects whose id or label is ``ref``, found by SQLite rather than by loading all."""
        where, params = "(id = ? OR label = ?)", [ref, ref]
        if kind:
            where, params = where + " AND kind = ?", params + [kind]
        return [
            self._subject(row)
            for row in self._dicts(f"SELECT * FROM subjects WHERE {where}", params)
        ]

    def answers(self) -> list[AnswerRow]:
        rows = self._read(
            f"SELECT id, question_id, {SUBJECT_OUT}, value, note, author, updated_at "
            f"FROM answers ORDER BY question_id, {SUBJECT_OUT}"
        )
        return [AnswerRow(*row) for row in rows]

    def answer_values(self) -> list[tuple[str, str, str]]:
        """(question, subject, value) of every answer with a value: all that scoring needs.

        Scoring reads tens of thousands of answers on every ``score``; skipping the other
        columns and the row objects keeps that a small part of the command's time.
        """
        return self._read(
            f"SELECT question_id, {SUBJECT_OUT}, value FROM answers WHERE value IS NOT NULL"
        )

    def answer_cells(self) -> list[tuple[str, str, str | None, str]]:
        """(question, subject, value, note) of every answer: what the QA check reads, in one
        query (scoring's values and the notes' justifications together)."""
        return self._read("SELECT question_id, subject_id, value, note FROM answers")

    def answer_values_for(self, question_ids: list[str]) -> list[tuple[str, str, str]]:
        """:meth:`answer_values` of some questions only (a cascade check reads its parents')."""
        if not question_ids:
            return []
        marks = ", ".join("?" * len(question_ids))
        return self._read(
            f"SELECT question_id, {SUBJECT_OUT}, value FROM answers "
            f"WHERE value IS NOT NULL AND question_id IN ({marks})",
            question_ids,
        )

    def journal(self, entity: str | None = None, key: str | None = None) -> list[journal.Entry]:
        try:
            return journal.entries(self.conn, entity, key)
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from None

    # -- training recommendations: the auditor's decisions (m003) ---------------------------

    def recommendations(self) -> list[dict[str, Any]]:
        """Every stored decision and free-text recommendation, oldest first."""
        table = self.db.table("recommendations")
        if not table.exists():  # a file from before m003, opened read-only
            return []
        return list(table.rows_where(order_by="created_at, id"))

    def set_recommendation(self, row_id: str, course_id: str, status: str, text: str) -> None:
        """Record (or replace) one decision or free-text recommendation, durably."""
        self.apply(SetRecommendation(row_id, course_id, status, text))

    def remove_recommendation(self, row_id: str) -> None:
        self.apply(RemoveRecommendation(row_id))

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, for tests that check a refused command changed nothing."""
        tables = [
            row[0]
            for row in self._read(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: self._read(f'SELECT * FROM "{t}" ORDER BY rowid') for t in tables}
