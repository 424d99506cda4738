"""Undo as a change of its own: an answer put back as it was before a later change.

An undo never removes a journal entry: it is one more entry (``answer.undo``) whose ``before``
is the answer as the undone change left it and whose ``after`` is the answer restored, so the
chain, replay and history all see it like any other write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditkit.store.changes import Change
from auditkit.store.records import AnswerRow, answer_id_for

if TYPE_CHECKING:
    from auditkit.store.audit_file import Store


@dataclass(frozen=True)
class RestoreAnswer(Change[AnswerRow | None]):
    """Put one answer back to ``previous`` (value and note), or remove it when ``previous`` is
    None (it did not exist before). Returns the answer as restored, None when removed."""

    question_id: str
    subject_id: str
    previous: tuple[str | None, str] | None  # (value, note)

    def write(self, store: Store) -> AnswerRow | None:
        stamp = store._stamp()
        key = (self.question_id, self.subject_id)
        existing = store.conn.execute(
            "SELECT value, note FROM answers WHERE question_id = ? AND subject_id = ?", key
        ).fetchone()
        before: dict[str, Any] | None = (
            {"value": existing[0], "note": existing[1]} if existing else None
        )
        if self.previous is None:
            store.conn.execute("DELETE FROM answers WHERE question_id = ? AND subject_id = ?", key)
            store._journal("answer.undo", "answers", "|".join(key), before, None, at=stamp)
            return None
        value, note = self.previous
        answer_id = answer_id_for(*key)
        store.conn.execute(
            "INSERT INTO answers (id, question_id, subject_id, value, note, author, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (question_id, subject_id) DO UPDATE SET "
            "value = excluded.value, note = excluded.note, author = excluded.author, "
            "updated_at = excluded.updated_at",
            (answer_id, *key, value, note, store.author, stamp),
        )
        store._journal(
            "answer.undo",
            "answers",
            "|".join(key),
            before,
            {"value": value, "note": note},
            at=stamp,
        )
        row = store.conn.execute(
            "SELECT id FROM answers WHERE question_id = ? AND subject_id = ?", key
        ).fetchone()
        return AnswerRow(row[0], *key, value, note, store.author, stamp)
