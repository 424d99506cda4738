"""The open audit as the TUI sees it, and the one way the TUI changes it.

:class:`Session` mirrors the audit's answers and subjects in memory, so screens never read
SQLite on the UI thread; the mirror changes only when a write has committed. :class:`Writer`
runs each engine call on a Textual thread worker, strictly in the order they were asked for,
and reports the outcome to the app as a :mod:`~auditkit.tui.messages` message.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from textual.app import App

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.protocol.model import Protocol
from auditkit.rules.incidents import IncidentSummary, summarise
from auditkit.rules.progress import AnswerKey, answered_keys, by_key
from auditkit.rules.scoring import Given, Scores, score
from auditkit.store.audit_file import AnswerRow, Subject
from auditkit.store.evidence import Evidence, evidence_by_answer
from auditkit.tui.messages import WriteDone, WriteFailed

LAST_QUESTION = "tui.last_question"
# Jobs that change nothing a finalized audit locks: reads, UI state, exports, the lock itself.
NO_REASON_NEEDED = frozenset({"read", "meta", "export", "finalize"})


@dataclass(frozen=True)
class Job:
    """One engine call the UI asked for: what it is about, and the call itself."""

    action: str  # answer | note | clear | subject | evidence | training | meta | read | …
    describe: str  # for an error: "the answer to 5.O1 for Yard"
    run: Callable[[Audit], Any]
    key: AnswerKey | None = None


class Session:
    """Answers, subjects and scores of the open audit, as last committed."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        self.protocol: Protocol = audit.protocol
        self.answers: dict[AnswerKey, AnswerRow] = by_key(audit.answers())
        self.subjects: list[Subject] = audit.subjects()
        self.evidence: dict[AnswerKey, list[Evidence]] = evidence_by_answer(audit.store)
        self.pending: set[AnswerKey] = set()
        self.last_reason = ""  # offered again for the next change to a finalized audit
        self._scores: Scores | None = None

    @property
    def profile(self) -> dict[str, Any]:
        return self.audit.profile

    @property
    def finalized_at(self) -> str | None:
        """When the audit was finalized (a timestamp), or None while it is open."""
        return self.audit.profile.get("finalized_at") or None

    def needs_reason(self, job: Job) -> bool:
        """Whether ``job`` changes a finalized audit, so the auditor must say why."""
        return self.finalized_at is not None and job.action not in NO_REASON_NEEDED

    @cached_property
    def question_order(self) -> dict[str, int]:
        return {q.id: i for i, q in enumerate(self.protocol.questions)}

    def answered(self) -> set[AnswerKey]:
        return answered_keys(self.answers.values())

    def value(self, key: AnswerKey) -> str | None:
        row = self.answers.get(key)
        return row.value if row else None

    def scores(self) -> Scores:
        """Scores of the committed answers, recomputed only after a change."""
        if self._scores is None:
            given = [
                Given(q, s, row.value)
                for (q, s), row in self.answers.items()
                if row.value is not None and self.protocol.has_question(q)
            ]
            self._scores = score(self.protocol, given, self.audit.purpose)
        return self._scores

    def subjects_of(self, kind: str) -> list[Subject]:
        return [s for s in self.subjects if s.kind == kind]

    def subject(self, subject_id: str) -> Subject | None:
        return next((s for s in self.subjects if s.id == subject_id), None)

    @property
    def sites(self) -> dict[str, Subject]:
        return {s.id: s for s in self.subjects if s.kind == "site"}

    def incident_summary(self) -> IncidentSummary:
        return summarise(s.fields for s in self.subjects_of("incident"))

    def last_question(self) -> tuple[str, str] | None:
        """Where the auditor was: the stored position or the latest answer, whichever is newer."""
        stored = self.audit.store.meta(LAST_QUESTION)
        position = json.loads(stored) if stored else None
        latest = max(self.answers.values(), key=lambda a: a.updated_at, default=None)
        if latest and (position is None or latest.updated_at > position.get("at", "")):
            return latest.question_id, latest.subject_id
        if position and self.protocol.has_question(position.get("question", "")):
            return position["question"], position.get("subject", "")
        return None

    # -- applying committed writes (UI thread) ---------------------------------------------

    def apply(self, job: Job, result: Any) -> None:
        """Fold a committed write into the mirror."""
        if job.key is not None:
            self.pending.discard(job.key)
        if job.action == "evidence" and job.key is not None:
            self.evidence[job.key] = result  # evidence jobs return the answer's files now
        elif isinstance(result, AnswerRow):
            self.answers[(result.question_id, result.subject_id)] = result
        elif job.action == "clear" and job.key is not None:
            self.answers.pop(job.key, None)
        elif isinstance(result, Subject):
            known = [i for i, s in enumerate(self.subjects) if s.id == result.id]
            if known:
                self.subjects[known[0]] = result
            else:
                self.subjects.append(result)
        self._scores = None

    def forget(self, job: Job) -> None:
        """A write failed: the answer it concerned is no longer pending (and was not saved)."""
        if job.key is not None:
            self.pending.discard(job.key)


class Writer:
    """Engine writes on thread workers, one at a time, in the order they were submitted."""

    def __init__(self, app: App[Any], audit: Audit) -> None:
        self._app = app
        self._audit = audit
        self._turn = threading.Condition()
        self._issued = 0
        self._serving = 0

    def submit(self, job: Job, reason: str | None = None) -> None:
        """Queue ``job``; its outcome arrives at the app as WriteDone or WriteFailed.

        ``reason`` is why a finalized audit is changed; the engine records it in the journal.
        """
        ticket = self._issued
        self._issued += 1
        self._app.run_worker(
            lambda: self._run(job, ticket, reason),
            thread=True,
            group="write",
            name=job.action,
            exit_on_error=False,
        )

    def _run(self, job: Job, ticket: int, reason: str | None) -> None:
        with self._turn:
            self._turn.wait_for(lambda: self._serving == ticket)
        try:
            try:
                with self._audit.amending(reason):
                    message: WriteDone | WriteFailed = WriteDone(job, job.run(self._audit))
            except AuditkitError as exc:
                message = WriteFailed(job, str(exc))
            except OSError as exc:  # the engine turns SQLite errors into AuditkitError
                message = WriteFailed(
                    job, f"{self._audit.path}: {exc}; {job.describe} was not saved"
                )
            except Exception as exc:  # noqa: BLE001 - a worker's error must reach the auditor
                # Anything else (a 2 GB file's MemoryError, a bug) would end the worker
                # silently, the answer left "saving…" for ever: say it was not saved.
                message = WriteFailed(
                    job, f"{job.describe} was not saved ({type(exc).__name__}: {exc})"
                )
            # Posted before the next job may run, so outcomes arrive in submission order.
            self._app.post_message(message)
        finally:
            with self._turn:
                self._serving += 1
                self._turn.notify_all()
