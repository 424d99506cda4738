"""Undo for the answers changed in this TUI: the last answer, note or clear put back.

The history is kept by the engine thread, which runs every job in order: a change records the
answer as it was just before it ran, and an undo (queued like any write) takes the latest of
those, so an undo pressed before the change has landed still undoes that change. The undo
itself is a journaled write (``Audit.restore_answer``), never a removed journal entry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TypeVar

from auditkit.audit import Audit
from auditkit.rules.progress import AnswerKey
from auditkit.tui.jobs import Cleared, Write

R = TypeVar("R")
KEPT = 100  # a field day's worth of steps; older ones are dropped


@dataclass(frozen=True)
class Step:
    """One change that can be undone: the answer it changed and what was there before."""

    key: AnswerKey
    previous: tuple[str | None, str] | None  # (value, note); None: there was no answer
    describe: str


@dataclass(frozen=True)
class Undone:
    """What an undo did: the step put back and the answer now (None: nothing to undo)."""

    step: Step | None
    result: object = None


class UndoHistory:
    """The steps of this session, newest last (pushed and popped on the engine thread)."""

    def __init__(self) -> None:
        self._steps: list[Step] = []
        self._lock = threading.Lock()

    def push(self, step: Step) -> None:
        with self._lock:
            self._steps.append(step)
            del self._steps[:-KEPT]

    def pop(self) -> Step | None:
        with self._lock:
            return self._steps.pop() if self._steps else None

    def __len__(self) -> int:
        with self._lock:
            return len(self._steps)


def undoable(job: Write[R], history: UndoHistory) -> Write[R]:
    """``job`` (a write to one answer) that records the answer as it was, to be undone."""
    key = job.key
    assert key is not None, "only a write to one answer can be undone"

    def run(audit: Audit) -> R:
        before = audit.answer_row(*key)
        result = job.run(audit)
        previous = (before.value, before.note) if before is not None else None
        history.push(Step(key, previous, job.describe))
        return result

    return Write(job.describe, run, key=key, locked=job.locked)


def undo_job(history: UndoHistory) -> Write[Undone]:
    """Put back the answer the latest step changed (a new journal entry, ``answer.undo``)."""

    def run(audit: Audit) -> Undone:
        step = history.pop()
        if step is None:
            return Undone(None)
        try:
            row = audit.restore_answer(*step.key, step.previous)
        except BaseException:
            history.push(step)  # not undone: it can be tried again
            raise
        return Undone(step, row if row is not None else Cleared(step.key))

    return Write("undoing the last change", run)
