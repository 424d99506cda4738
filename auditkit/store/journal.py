"""The append-only change journal, chained by SHA-256.

Each entry's hash covers its own fields and the previous entry's hash, so a row edited,
inserted or deleted outside auditkit breaks the chain where it happened.

Answer entries also name the entries they replaced (``supersedes``): after a merge, two
entries for one answer that replaced nothing of each other are a conflict. Entry times never
go backwards within a file, so ordering by ``(at, id)`` respects what each writer had seen.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

GENESIS = "0" * 64
FIELDS = ("id", "at", "author", "action", "entity", "key", "before", "after", "prev")
# Hashed only when one is set, so entries written before they existed keep their hash.
EXTRA = ("supersedes", "reason")
PROVENANCE = ("origin_prev", "origin_hash")
TRACKED = ("answers",)  # entities whose entries record what they supersede
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"
# One encoder for every hash: json.dumps with options builds a new one per call (verify of a
# 20,000-entry journal spent a third of its time there).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Entry:
    seq: int
    id: str
    at: str
    author: str
    action: str
    entity: str
    key: str
    before: str | None
    after: str | None
    prev: str
    hash: str
    supersedes: str | None = None
    reason: str | None = None
    origin_prev: str | None = None
    origin_hash: str | None = None

    def before_data(self) -> Any:
        return json.loads(self.before) if self.before else None

    def after_data(self) -> Any:
        return json.loads(self.after) if self.after else None

    def superseded(self) -> list[str]:
        return list(json.loads(self.supersedes)) if self.supersedes else []

    def fields(self) -> dict[str, Any]:
        """The hashed fields, plus provenance, by column name."""
        return {name: getattr(self, name) for name in (*FIELDS, "hash", *EXTRA, *PROVENANCE)}


def dump(value: Any) -> str | None:
    """Canonical JSON of a before/after value (None stays NULL)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(fields: dict[str, Any]) -> str:
    values = [fields[name] for name in FIELDS]
    extra = [fields.get(name) for name in EXTRA]
    if any(value is not None for value in extra):
        values += extra
    canonical = _CANONICAL.encode(values)
    return hashlib.sha256(canonical.encode()).hexdigest()


def last_hash(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def next_at(conn: sqlite3.Connection, candidate: str) -> str:
    """``candidate``, or one microsecond after the last entry when this clock is behind it."""
    row = conn.execute("SELECT at FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    if not row or candidate > row[0]:
        return candidate
    try:
        last = datetime.strptime(row[0], STAMP)
    except ValueError:
        return candidate
    return (last + timedelta(microseconds=1)).strftime(STAMP)


def heads(conn: sqlite3.Connection, entity: str, keys: list[str]) -> list[str]:
    """Ids of the entries for ``keys`` that no other entry for them supersedes."""
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT id, supersedes FROM journal WHERE entity = ? AND key IN ({marks})", [entity, *keys]
    ).fetchall()
    replaced = {old for _, later in rows if later for old in json.loads(later)}
    return sorted(entry_id for entry_id, _ in rows if entry_id not in replaced)


def answer_keys(conn: sqlite3.Connection, key: str) -> list[str]:
    """An answer's journal key and the keys of the same answer under merged-away subject ids."""
    question_id, _, subject_id = key.partition("|")
    aliases = (
        conn.execute(
            "SELECT alias FROM subject_aliases WHERE subject_id = ?", [subject_id]
        ).fetchall()
        if subject_id
        else []
    )
    return [key, *(f"{question_id}|{alias}" for (alias,) in aliases)]


def append(
    conn: sqlite3.Connection,
    *,
    at: str,
    author: str,
    action: str,
    entity: str,
    key: str,
    before: Any,
    after: Any,
    reason: str | None = None,
    supersedes: list[str] | None = None,
) -> str:
    """Append one entry inside the caller's transaction; returns its hash.

    Answer entries supersede the answer's current heads unless ``supersedes`` is given.
    """
    if supersedes is None and entity in TRACKED:
        supersedes = heads(conn, entity, answer_keys(conn, key))
    fields = {
        "id": str(uuid.uuid4()),
        "at": at,
        "author": author,
        "action": action,
        "entity": entity,
        "key": key,
        "before": dump(before),
        "after": dump(after),
        "prev": last_hash(conn),
        "supersedes": dump(supersedes),
        "reason": reason or None,
    }
    fields["hash"] = entry_hash(fields)
    conn.execute(
        "INSERT INTO journal (id, at, author, action, entity, key, before, after, prev, hash, "
        "supersedes, reason) VALUES (:id, :at, :author, :action, :entity, :key, :before, "
        ":after, :prev, :hash, :supersedes, :reason)",
        fields,
    )
    return str(fields["hash"])


def entries(
    conn: sqlite3.Connection, entity: str | None = None, key: str | None = None
) -> list[Entry]:
    present = {row[1] for row in conn.execute("PRAGMA table_info(journal)")}
    optional = [name if name in present else f"NULL AS {name}" for name in (*EXTRA, *PROVENANCE)]
    sql = (
        "SELECT seq, "
        + ", ".join(FIELDS[:-1])
        + ", prev, hash, "
        + ", ".join(optional)
        + " FROM journal"
    )
    where, params = [], []
    if entity is not None:
        where.append("entity = ?")
        params.append(entity)
    if key is not None:
        where.append("key = ?")
        params.append(key)
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql + " ORDER BY seq", params).fetchall()
    return [Entry(*row) for row in rows]
