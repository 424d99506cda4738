"""Whole tables of an audit file, by name: what ``publish`` sends beyond the journal and what
``pull`` puts back (the stored protocol, meta rows, tables newer auditkits add).

Rows travel as JSON objects; a BLOB value becomes ``{"$base64": "…"}`` and comes back as bytes.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditkit.store.audit_file import Store, translate
from auditkit.store.migrations import APP_ID

# SQLite's own tables and the migration log are never copied between files.
INTERNAL = ("_sqlite_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4")


def first_hashes(store: Store) -> dict[str, str]:
    """Journal entry id -> its hash as first written (before a merge re-chained it), read
    without building entries: all a publish needs to find what a target lacks."""
    try:
        rows = store.conn.execute(
            "SELECT id, coalesce(origin_hash, hash) FROM journal ORDER BY seq"
        ).fetchall()
    except sqlite3.OperationalError:  # a file from before merges kept provenance
        rows = store.conn.execute("SELECT id, hash FROM journal ORDER BY seq").fetchall()
    return dict(rows)


def journal_head(store: Store) -> str:
    """The hash of the file's last journal entry ("" when it has none)."""
    row = store.conn.execute("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    return str(row[0]) if row else ""


def table_names(store: Store) -> list[str]:
    """The file's tables, SQLite's own and the migration log left out."""
    rows = store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows if name not in INTERNAL and not name.startswith("sqlite_")]


def applied_migrations(store: Store) -> list[str]:
    """The names of the audit-file migrations the file has."""
    rows = store.conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY name", [APP_ID]
    ).fetchall()
    return [name for (name,) in rows]


def read_rows(store: Store, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` in rowid order, as JSON-ready dicts ([] when no such table)."""
    try:
        cursor = store.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    except sqlite3.OperationalError:
        return []
    names = [column[0] for column in cursor.description]
    return [
        {name: _encode(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def table_sql(store: Store) -> list[dict[str, Any]]:
    """The ``CREATE TABLE`` statement of each table, so a table this auditkit does not know
    (one a newer auditkit added) can be recreated where it is missing."""
    rows = store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return [{"name": name, "sql": sql} for name, sql in rows if name in table_names(store)]


def replace_rows(
    store: Store, tables: dict[str, list[dict[str, Any]]], schema: Sequence[dict[str, Any]] = ()
) -> None:
    """Make each named table hold exactly these rows, first creating from ``schema`` (see
    :func:`table_sql`) the tables the file lacks. Call inside ``store.write()``.
    """
    try:
        present = set(table_names(store))
        for created in schema:
            if created["name"] not in present and created["name"] in tables:
                store.conn.execute(created["sql"])
        for table, rows in tables.items():
            store.conn.execute(f'DELETE FROM "{table}"')
            for row in rows:
                names = ", ".join(f'"{name}"' for name in row)
                marks = ", ".join("?" * len(row))
                store.conn.execute(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                    [_decode(value) for value in row.values()],
                )
    except sqlite3.Error as exc:
        raise translate(store.path, exc) from None


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"])
    return value


def copy_file(store: Store, path: Path) -> None:
    """Write a copy of the open audit ``store`` to the new file ``path`` (SQLite's backup)."""
    target = sqlite3.connect(path)
    try:
        store.conn.backup(target)
    except sqlite3.Error as exc:
        raise translate(path, exc) from None
    finally:
        target.close()


def blob_row(store: Store, sha256: str) -> tuple[str, int, str, bytes] | None:
    """An attached file's row from the file's evidence_blobs, or None."""
    try:
        row = store.conn.execute(
            "SELECT sha256, size, mime, data FROM evidence_blobs WHERE sha256 = ?", [sha256]
        ).fetchone()
    except sqlite3.OperationalError:  # a file from before evidence existed
        return None
    return (row[0], row[1], row[2], bytes(row[3])) if row else None
