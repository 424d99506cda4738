"""Undo as a change of its own: an answer put back as it was before a later change.

An undo never removes a journal entry: it is one more entry (``answer.undo``) whose ``before``
is the answer as the undone change left it and whose ``after`` is the answer restored, so the
chain, replay and history all see it like any other write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditkit.store.changes import Change
from auditkit.store.questions import SUBJECT_IN, SUBJECT_OUT
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
        journal_key = "|".join(key)
        existing = store.conn.execute(
            f"SELECT id, value, note FROM answers WHERE question_id = ? AND {SUBJECT_OUT} = ?",
            key,
        ).fetchone()
        before: dict[str, Any] | None = (
            {"value": existing[1], "note": existing[2]} if existing else None
        )
        if self.previous is None:
            if existing:
                store.conn.execute("DELETE FROM answers WHERE id = ?", (existing[0],))
            store._journal("answer.undo", "answers", journal_key, before, None, at=stamp)
            return None
        value, note = self.previous
        if existing:
            answer_id = existing[0]
            store.conn.execute(
                "UPDATE answers SET value = ?, note = ?, author = ?, updated_at = ? WHERE id = ?",
                (value, note, store.author, stamp, answer_id),
            )
        else:
            answer_id = answer_id_for(*key)
            store.conn.execute(
                "INSERT INTO answers (id, question_id, subject_id, value, note, author, "
                f"updated_at) VALUES (?, ?, {SUBJECT_IN}, ?, ?, ?, ?)",
                (answer_id, *key, value, note, store.author, stamp),
            )
        after = {"value": value, "note": note}
        store._journal("answer.undo", "answers", journal_key, before, after, at=stamp)
        return AnswerRow(answer_id, *key, value, note, store.author, stamp)
