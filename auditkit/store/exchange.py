"""What ``publish`` reads from an audit file beyond its journal, and the base file ``pull``
builds from a PostgreSQL portfolio: the tables a merge keeps from its base copy (the stored
protocol, meta rows, tables newer auditkits add), as JSON-ready rows.

Rows travel as JSON objects; a BLOB value becomes ``{"$base64": "…"}`` and comes back as bytes.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditkit.store.audit_file import Store, translate

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


def content_tables(store: Store) -> list[str]:
    """The file's tables, SQLite's own and the migration log left out."""
    rows = store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows if name not in INTERNAL and not name.startswith("sqlite_")]


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
    known = set(content_tables(store))
    return [{"name": name, "sql": sql} for name, sql in rows if name in known]


def build_base(
    path: Path,
    audit_id: str,
    tables: dict[str, list[dict[str, Any]]],
    schema: Sequence[dict[str, Any]] = (),
) -> None:
    """Create at ``path`` an audit file whose tables hold exactly ``tables``' rows (the ones
    a merge keeps from its base), first creating from ``schema`` (see :func:`table_sql`) the
    tables this auditkit lacks. The journal and the tables it explains are left for
    :func:`~auditkit.store.building.build_merged` to lay down over a copy of it.
    """
    protocol = {row["name"]: row["text"] for row in tables.get("protocol_files", [])}
    with Store.create(path, {"id": audit_id}, protocol, author="") as store:
        try:
            with store.write(journaled=False):
                present = set(content_tables(store))
                for created in schema:
                    if created["name"] not in present and created["name"] in tables:
                        store.conn.execute(created["sql"])
                for table, rows in tables.items():
                    store.conn.execute(f'DELETE FROM "{table}"')
                    for row in rows:
                        names = ", ".join(f'"{name}"' for name in row)
                        store.conn.execute(
                            f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(row))})',
                            [_decode(value) for value in row.values()],
                        )
        except sqlite3.Error as exc:
            raise translate(path, exc) from None


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"])
    return value
