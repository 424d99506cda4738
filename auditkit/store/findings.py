"""Findings and the action plan (m13): the Store's writes and reads for them.

A mixin of :class:`auditkit.store.audit_file.Store`, kept apart so the store module stays about
opening files and answers. Each write is one transaction with its journal entry, whose ``after``
is the whole row (author and time come from the entry), so a replay rebuilds the table exactly.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

FINDING_COLUMNS = ("item_id", "note", "sfi", "priority", "key", "author", "updated_at")
FINDING_FIELDS = ("note", "sfi", "priority", "key")
ACTION_COLUMNS = (
    "id",
    "item_id",
    "element",
    "text",
    "priority",
    "owner",
    "due",
    "status",
    "carried_from",
    "author",
    "updated_at",
)
ACTION_FIELDS = ACTION_COLUMNS[1:-2]
BLANK_FINDING: dict[str, Any] = {"note": "", "sfi": "", "priority": "", "key": 0}
BLANK_ACTION: dict[str, Any] = {
    "item_id": "",
    "element": "",
    "text": "",
    "priority": "",
    "owner": "",
    "due": "",
    "status": "open",
    "carried_from": "",
}


class FindingsStore:
    """Store methods for the ``findings`` and ``actions`` tables."""

    if TYPE_CHECKING:
        conn: sqlite3.Connection
        author: str

        def write(self) -> AbstractContextManager[None]: ...
        def _stamp(self) -> str: ...
        def _journal(
            self, action: str, entity: str, key: str, before: Any, after: Any, at: str | None = ...
        ) -> None: ...
        def _dicts(self, sql: str, params: Any = ...) -> list[dict[str, Any]]: ...

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
        return row is not None

    # -- findings --------------------------------------------------------------------------

    def findings(self) -> dict[str, dict[str, Any]]:
        """Every stored finding by item id (empty for a file from before m13)."""
        if not self._has_table("findings"):
            return {}
        rows = self._dicts("SELECT * FROM findings ORDER BY item_id")
        return {row["item_id"]: row for row in rows}

    def set_finding(self, item_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Change some of a finding's fields (``note``, ``sfi``, ``priority``, ``key``); the
        others stay as they were. Returns the row as stored."""
        with self.write():
            stamp = self._stamp()
            found = self._row("findings", "item_id", item_id, FINDING_FIELDS)
            after = {**(found or BLANK_FINDING), **changes}
            row = {"item_id": item_id, **after, "author": self.author, "updated_at": stamp}
            self._upsert("findings", row, FINDING_COLUMNS)
            self._journal("finding.set", "findings", item_id, found, after, at=stamp)
        return row

    # -- actions ---------------------------------------------------------------------------

    def actions(self) -> dict[str, dict[str, Any]]:
        """Every stored action row by id (owner, due, status; carried ones whole)."""
        if not self._has_table("actions"):
            return {}
        rows = self._dicts("SELECT * FROM actions ORDER BY id")
        return {row["id"]: row for row in rows}

    def set_action(self, action_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Create or change one action; fields not in ``changes`` stay as they were."""
        with self.write():
            stamp = self._stamp()
            found = self._row("actions", "id", action_id, ACTION_FIELDS)
            after = {**(found or BLANK_ACTION), **changes}
            row = {"id": action_id, **after, "author": self.author, "updated_at": stamp}
            self._upsert("actions", row, ACTION_COLUMNS)
            self._journal("action.set", "actions", action_id, found, after, at=stamp)
        return row

    # -- helpers ---------------------------------------------------------------------------

    def _row(
        self, table: str, key: str, value: str, fields: tuple[str, ...]
    ) -> dict[str, Any] | None:
        row = self.conn.execute(
            f'SELECT {", ".join(fields)} FROM "{table}" WHERE "{key}" = ?', [value]
        ).fetchone()
        return dict(zip(fields, row, strict=True)) if row else None

    def _upsert(self, table: str, row: dict[str, Any], columns: tuple[str, ...]) -> None:
        self.conn.execute(
            f'INSERT OR REPLACE INTO "{table}" ({", ".join(columns)}) '
            f"VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
