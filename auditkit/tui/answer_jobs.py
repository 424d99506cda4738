"""The writes the runner asks for about one answer, as typed jobs for the engine thread.

Each returns what the session mirror needs to follow the store without reading SQLite on the
UI thread: the answer as stored, the slot cleared, the files now attached, the position saved.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from auditkit.audit import Audit
from auditkit.rules.attachments import add_evidence, remove_evidence
from auditkit.store.records import AnswerRow, Evidence, now
from auditkit.tui.jobs import Cleared, FilesNow, PositionSaved, Write
from auditkit.tui.session import LAST_QUESTION


def answer_job(question_id: str, subject_id: str, value: str, where: str = "") -> Write[AnswerRow]:
    """Record ``value`` (y/p/n/a or points, as typed) for one answer; the engine checks it."""
    return Write(
        f"the answer to {question_id}{where}",
        lambda audit: audit.answer(question_id, value, subject=subject_id or None),
        key=(question_id, subject_id),
    )


def note_job(question_id: str, subject_id: str, note: str) -> Write[AnswerRow]:
    """Replace the note of one answer, keeping its value."""
    return Write(
        f"the note on {question_id}",
        lambda audit: audit.set_note(question_id, note, subject=subject_id or None),
        key=(question_id, subject_id),
    )


def copy_job(question_id: str, row: AnswerRow, subject_id: str, where: str) -> Write[AnswerRow]:
    """Give subject ``subject_id`` the same answer and note as ``row`` ("same as at the other
    site"); the engine checks the answer for that subject as for any other."""
    value = row.value or ""
    return Write(
        f"the answer to {question_id}{where}",
        lambda audit: audit.answer(question_id, value, subject=subject_id, note=row.note),
        key=(question_id, subject_id),
    )


def clear_job(question_id: str, subject_id: str) -> Write[Cleared]:
    """Remove one answer (value and note)."""
    key = (question_id, subject_id)

    def run(audit: Audit) -> Cleared:
        audit.clear_answer(question_id, subject_id or None)
        return Cleared(key)

    return Write(f"clearing {question_id}", run, key=key)


def position_job(question_id: str, subject_id: str) -> Write[PositionSaved]:
    """Remember where the auditor is, so reopening the audit resumes there (UI state: a
    finalized audit does not ask why)."""
    saved = PositionSaved(question_id, subject_id, now())
    data = json.dumps({"question": question_id, "subject": subject_id, "at": saved.at})

    def run(audit: Audit) -> PositionSaved:
        audit.set_meta(LAST_QUESTION, data)
        return saved

    return Write("the last question", run, locked=False)


def attach_job(
    question_id: str, subject_id: str, paths: Sequence[str], caption: str, where: str = ""
) -> Write[FilesNow]:
    """Attach ``paths`` to one answer; the engine reads every file first, so one missing or
    unreadable path stores nothing."""
    names = ", ".join(Path(p).name for p in paths)

    def run(audit: Audit) -> FilesNow:
        add_evidence(audit, question_id, paths, subject=subject_id or None, caption=caption)
        return FilesNow((question_id, subject_id), tuple(audit.evidence(question_id, subject_id)))

    return Write(f"attaching {names} to {question_id}{where}", run, key=(question_id, subject_id))


def detach_job(item: Evidence, where: str = "") -> Write[FilesNow]:
    """Remove one attached file from its answer."""

    def run(audit: Audit) -> FilesNow:
        remove_evidence(audit, item.id)
        key = (item.question_id, item.subject_id)
        return FilesNow(key, tuple(audit.evidence(*key)))

    return Write(
        f"removing {item.filename} from {item.question_id}{where}",
        run,
        key=(item.question_id, item.subject_id),
    )
