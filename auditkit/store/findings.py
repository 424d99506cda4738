"""Findings and the action plan (m13): their typed changes and the Store's reads of them.

``SetFinding`` and ``SetAction`` are changes like those of :mod:`auditkit.store.changes`; each
journal entry's ``after`` is the whole row but who and when (those come from the entry), so a
replay rebuilds the table exactly. :class:`FindingsStore` is a mixin of
:class:`auditkit.store.audit_file.Store`, kept apart so that module stays about the file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditkit.store.changes import Change

if TYPE_CHECKING:
    from auditkit.store.audit_file import Store

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


def _row(
    conn: sqlite3.Connection, table: str, key: str, value: str, fields: tuple[str, ...]
) -> dict[str, Any] | None:
    found = conn.execute(
        f'SELECT {", ".join(fields)} FROM "{table}" WHERE "{key}" = ?', [value]
    ).fetchone()
    return dict(zip(fields, found, strict=True)) if found else None


def _upsert(
    conn: sqlite3.Connection, table: str, row: dict[str, Any], columns: tuple[str, ...]
) -> None:
    conn.execute(
        f'INSERT OR REPLACE INTO "{table}" ({", ".join(columns)}) '
        f"VALUES ({', '.join('?' * len(columns))})",
        [row[c] for c in columns],
    )


@dataclass(frozen=True)
class SetFinding(Change[dict[str, Any]]):
    """Change some fields of one item's finding (note, sfi, priority, key); the rest stay."""

    item_id: str
    changes: dict[str, Any] = field(default_factory=dict)
    element: str = ""  # the item's element, for its action's row

    def write(self, store: Store) -> dict[str, Any]:
        stamp = store._stamp()
        found = _row(store.conn, "findings", "item_id", self.item_id, FINDING_FIELDS)
        after = {**(found or BLANK_FINDING), **self.changes}
        row = {"item_id": self.item_id, **after, "author": store.author, "updated_at": stamp}
        _upsert(store.conn, "findings", row, FINDING_COLUMNS)
        store._journal("finding.set", "findings", self.item_id, found, after, at=stamp)
        if after["sfi"]:
            # The SFI's action row follows it, so other programs reading the actions table
            # (the portfolio, a spreadsheet) see the whole plan; owner, due, status stay.
            SetAction(
                self.item_id,
                {
                    "item_id": self.item_id,
                    "element": self.element,
                    "text": after["sfi"],
                    "priority": after["priority"],
                },
            ).write(store)
        return row


@dataclass(frozen=True)
class SetAction(Change[dict[str, Any]]):
    """Create or change one action of the plan; fields not in ``changes`` stay."""

    action_id: str
    changes: dict[str, Any] = field(default_factory=dict)

    def write(self, store: Store) -> dict[str, Any]:
        stamp = store._stamp()
        found = _row(store.conn, "actions", "id", self.action_id, ACTION_FIELDS)
        after = {**(found or BLANK_ACTION), **self.changes}
        row = {"id": self.action_id, **after, "author": store.author, "updated_at": stamp}
        _upsert(store.conn, "actions", row, ACTION_COLUMNS)
        store._journal("action.set", "actions", self.action_id, found, after, at=stamp)
        return row


class FindingsStore:
    """Store methods for the ``findings`` and ``actions`` tables."""

    if TYPE_CHECKING:
        conn: sqlite3.Connection

        def apply(self, change: Change[dict[str, Any]]) -> dict[str, Any]: ...
        def _dicts(self, sql: str, params: Any = ...) -> list[dict[str, Any]]: ...

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
        return row is not None

    def findings(self) -> dict[str, dict[str, Any]]:
        """Every stored finding by item id (empty for a file from before m13)."""
        if not self._has_table("findings"):
            return {}
        rows = self._dicts("SELECT * FROM findings ORDER BY item_id")
        return {row["item_id"]: row for row in rows}

    def set_finding(
        self, item_id: str, changes: dict[str, Any], element: str = ""
    ) -> dict[str, Any]:
        """Change some of a finding's fields; returns the row as stored."""
        return self.apply(SetFinding(item_id, dict(changes), element))

    def actions(self) -> dict[str, dict[str, Any]]:
        """Every stored action row by id (owner, due, status; carried ones whole)."""
        if not self._has_table("actions"):
            return {}
        rows = self._dicts("SELECT * FROM actions ORDER BY id")
        return {row["id"]: row for row in rows}

    def set_action(self, action_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Create or change one action; returns the row as stored."""
        return self.apply(SetAction(action_id, dict(changes)))
