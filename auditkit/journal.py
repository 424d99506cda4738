"""The append-only change journal, chained by SHA-256.

Each entry's hash covers its own fields and the previous entry's hash, so a row edited,
inserted or deleted outside auditkit breaks the chain where it happened.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FIELDS = ("id", "at", "author", "action", "entity", "key", "before", "after", "prev")


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

    def before_data(self) -> Any:
        return json.loads(self.before) if self.before else None

    def after_data(self) -> Any:
        return json.loads(self.after) if self.after else None


def dump(value: Any) -> str | None:
    """Canonical JSON of a before/after value (None stays NULL)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(fields: dict[str, Any]) -> str:
    canonical = json.dumps([fields[name] for name in FIELDS], ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def last_hash(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


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
) -> str:
    """Append one entry inside the caller's transaction; returns its hash."""
    fields = {
        "id": str(uuid.uuid4()), "at": at, "author": author, "action": action,
        "entity": entity, "key": key, "before": dump(before), "after": dump(after),
        "prev": last_hash(conn),
    }
    fields["hash"] = entry_hash(fields)
    conn.execute(
        "INSERT INTO journal (id, at, author, action, entity, key, before, after, prev, hash) "
        "VALUES (:id, :at, :author, :action, :entity, :key, :before, :after, :prev, :hash)",
        fields,
    )
    return str(fields["hash"])


def entries(conn: sqlite3.Connection, entity: str | None = None,
            key: str | None = None) -> list[Entry]:
    sql = "SELECT seq, " + ", ".join(FIELDS[:-1]) + ", prev, hash FROM journal"
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
