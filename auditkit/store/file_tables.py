"""Whole-file reads: every table as rows, for ``verify``, the JSON export and the history.

The engine reads single records through :class:`~auditkit.store.audit_file.Store`; these read
the file as it lies, table by table, including tables this auditkit does not know about.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from auditkit.store.audit_file import Store
from auditkit.store.migrations import APP_ID


def table_names(store: Store) -> set[str]:
    """Every table of the file, SQLite's own included."""
    return {
        row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def select(store: Store, table: str, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows of ``table`` (only ``columns``, when given) as dicts, in insertion order."""
    wanted = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    cursor = store.conn.execute(f'SELECT {wanted} FROM "{table}" ORDER BY rowid')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def table_json(store: Store, table: str, plain: Callable[[Any], Any]) -> str:
    """A table's rows as a JSON array of objects, in insertion order.

    SQLite writes the JSON itself (``json_object``), several times faster than fetching tens
    of thousands of journal entries into Python; a table with file contents (BLOB columns)
    goes through Python, with ``plain`` making each value JSON-ready.
    """
    conn = store.conn
    columns = [
        (name, kind.upper()) for _, name, kind, *_ in conn.execute(f'PRAGMA table_info("{table}")')
    ]
    if any(kind == "BLOB" for _, kind in columns):
        rows = [{n: plain(v) for n, v in row.items()} for row in select(store, table)]
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    pairs = ", ".join(f"'{name}', \"{name}\"" for name, _ in columns)
    (text,) = conn.execute(
        f"SELECT json_group_array(json_object({pairs})) FROM "
        f'(SELECT * FROM "{table}" ORDER BY rowid)'
    ).fetchone()
    return str(text)


def applied_migrations(store: Store) -> list[str]:
    """The names of auditkit's migrations applied to the file, sorted."""
    return [
        name
        for (name,) in store.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY name", [APP_ID]
        )
    ]


def first_entry_time(store: Store) -> str:
    """When the journal's first entry was written ("" for an empty journal)."""
    row = store.conn.execute("SELECT at FROM journal ORDER BY seq LIMIT 1").fetchone()
    return str(row[0]) if row else ""


def meta_items(store: Store) -> dict[str, str]:
    """The meta table but auditkit's own mark, by key."""
    return dict(store.conn.execute("SELECT key, value FROM meta WHERE key != 'app' ORDER BY key"))


def protocol_rows(store: Store) -> list[tuple[str, str, str]]:
    """(name, text, sha256) of each file of the audit's protocol copy, as stored."""
    return [
        (str(n), t, str(h))
        for n, t, h in store.conn.execute("SELECT name, text, sha256 FROM protocol_files")
    ]


def blobs(store: Store) -> Iterator[tuple[str, bytes]]:
    """(sha256, bytes) of every stored evidence file, one at a time."""
    for sha256, data in store.conn.execute("SELECT sha256, data FROM evidence_blobs"):
        yield str(sha256), bytes(data or b"")


def blob_facts(store: Store) -> list[tuple[str, Any, Any, int]]:
    """(sha256, recorded size, recorded mime, stored length) of every stored evidence file."""
    return [
        (str(sha256), size, mime, int(length or 0))
        for sha256, size, mime, length in store.conn.execute(
            "SELECT sha256, size, mime, length(data) FROM evidence_blobs"
        )
    ]


def subject_aliases(store: Store) -> dict[str, str]:
    """Subject ids a merge folded into another subject -> the id kept."""
    if "subject_aliases" not in table_names(store):
        return {}
    return dict(store.conn.execute("SELECT alias, subject_id FROM subject_aliases").fetchall())
