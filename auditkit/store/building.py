"""Whole-file builds: a merged file and an imported one, written in one transaction each.

These are the only writes that are not a :class:`~auditkit.store.changes.Change`: they do not
add to a journal, they lay down a journal (and the tables it explains) that already exists,
the union of the team's journals or the journal of an export. Both build a temporary file
that the caller moves into place (:func:`auditkit.files.built_beside`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError
from auditkit.store import journal
from auditkit.store.audit_file import Store, translate
from auditkit.store.journal import Entry
from auditkit.store.migrations import APP_ID, migrations
from auditkit.store.questions import fill_questions

# The tables a merge rebuilds from the replayed journal; every other table is the base's copy.
MERGED_TABLES = (
    "journal",
    "audit",
    "subjects",
    "subject_aliases",
    "answers",
    "evidence",
    "evidence_blobs",
    "recommendations",
)


class RowRefused(AuditkitError):
    """An imported row that the file's schema does not accept; the message names it."""


@dataclass(frozen=True)
class MergedTables:
    """What a merged file holds: the rechained journal and the tables its replay gives."""

    journal: Sequence[Entry]
    audit: Mapping[str, Any] | None
    subjects: Iterable[Mapping[str, Any]]
    aliases: Mapping[str, str]  # merged-away subject id -> the id kept
    answers: Iterable[Mapping[str, Any]]
    evidence: Iterable[Mapping[str, Any]]
    recommendations: Iterable[Mapping[str, Any]]
    blobs: Iterable[tuple[str, int, str, bytes]]  # (sha256, size, mime, data)
    meta: Mapping[str, str]
    journaled_meta: Collection[str]  # meta keys the journal decides (the rest stay the base's)


def build_merged(temp: Path, base: Store, tables: MergedTables) -> None:
    """Write the merged file at ``temp``: a copy of ``base`` with the replayed tables.

    Starting from a copy keeps tables this auditkit does not know about; opening it for
    writing applies any migration the base file lacks.
    """
    try:
        target = sqlite3.connect(temp)
        base.conn.backup(target)
        target.close()
    except sqlite3.Error as exc:
        raise translate(temp, exc) from None
    with Store.open(temp, write=True) as merged, merged.write(journaled=False):
        _fill(merged, tables)


def _fill(merged: Store, tables: MergedTables) -> None:
    conn, db = merged.conn, merged.db
    for table in MERGED_TABLES:
        conn.execute(f'DELETE FROM "{table}"')
    columns = ("seq", *journal.FIELDS, "hash", *journal.EXTRA, *journal.PROVENANCE)
    conn.executemany(
        f"INSERT INTO journal ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        ([getattr(e, c) for c in columns] for e in tables.journal),
    )
    if tables.audit is not None:
        db.table("audit").insert(dict(tables.audit))
    db.table("subjects").insert_all(dict(row) for row in tables.subjects)
    db.table("subject_aliases").insert_all(
        {"alias": a, "subject_id": s} for a, s in tables.aliases.items()
    )
    conn.executemany(
        "INSERT INTO answers (id, question_id, subject_id, value, note, author, updated_at) "
        "VALUES (:id, :question_id, NULLIF(:subject_id, ''), :value, :note, :author, "
        ":updated_at)",
        tables.answers,
    )
    db.table("evidence").insert_all(dict(row) for row in tables.evidence)
    db.table("recommendations").insert_all(dict(row) for row in tables.recommendations)
    conn.executemany(
        "INSERT INTO evidence_blobs (sha256, size, mime, data) VALUES (?, ?, ?, ?)", tables.blobs
    )
    conn.executemany("DELETE FROM meta WHERE key = ?", [[key] for key in tables.journaled_meta])
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", tables.meta.items())


def build_imported(
    temp: Path,
    meta: Mapping[str, str],
    protocol_files: Mapping[str, str],
    profile: Mapping[str, Any],
    tables: Mapping[str, Any],
    column: Callable[[Any], Any],
) -> None:
    """Write every row of an export into a fresh file at ``temp``, in one transaction.

    ``column`` turns an exported value into a stored one (it raises ``ValueError`` for a
    value no column can hold); a row the schema refuses raises :class:`RowRefused`.
    """
    from sqlite_utils import Database

    conn = sqlite3.connect(temp, isolation_level=None)
    try:
        migrations.apply(Database(conn))
        conn.execute("BEGIN")
        conn.execute("INSERT INTO meta (key, value) VALUES ('app', ?)", [APP_ID])
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [(str(k), str(v)) for k, v in meta.items() if k != "app"],
        )
        conn.executemany(
            "INSERT INTO protocol_files (name, text, sha256) VALUES (?, ?, ?)",
            [(n, t, hashlib.sha256(t.encode()).hexdigest()) for n, t in protocol_files.items()],
        )
        _insert(conn, "audit", [dict(profile)], column)
        fill_questions(conn)  # derived from the protocol copy, not exported
        for table, rows in tables.items():
            _insert(conn, str(table), rows, column)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert(conn: sqlite3.Connection, table: str, rows: Any, column: Callable[[Any], Any]) -> None:
    columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    if not columns:
        raise RowRefused(f"unknown table {table!r}; exported by a newer auditkit?")
    if not isinstance(rows, list):
        raise RowRefused(f"tables.{table} must be a list of rows")
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            raise RowRefused(f"tables.{table}[{n}] must be an object")
        extra = sorted(set(row) - columns)
        if extra:
            raise RowRefused(f"tables.{table}[{n}] has unknown column {extra[0]!r}")
        try:
            values = [column(v) for v in row.values()]
            names = ", ".join(f'"{c}"' for c in row)
            conn.execute(
                f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(row))})', values
            )
        except (ValueError, OverflowError, sqlite3.Error) as exc:
            raise RowRefused(f"tables.{table}[{n}] refused ({exc})") from None
