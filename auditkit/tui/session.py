"""The open audit as the TUI sees it: answers, subjects and files as last committed.

:class:`Session` mirrors the audit in memory, read once off the UI thread
(:meth:`Session.load`), so screens never read SQLite; the mirror changes only when a write
has committed, from what the write returned (see :mod:`auditkit.tui.jobs`).
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from auditkit.audit import Audit
from auditkit.protocol.model import Protocol
from auditkit.rules.actions import Action, action_plan
from auditkit.rules.findings import Finding, findings
from auditkit.rules.incidents import IncidentSummary, summarise
from auditkit.rules.progress import AnswerKey, answered_keys, by_key
from auditkit.rules.scoring import Given, Scores, score
from auditkit.store.records import AnswerRow, Evidence, Subject
from auditkit.tui.auditor import known_author
from auditkit.tui.jobs import Cleared, FilesNow, Job, PositionSaved, Write

LAST_QUESTION = "tui.last_question"


class Session:
    """Answers, subjects and scores of the open audit, as last committed."""

    def __init__(
        self,
        audit: Audit,
        answers: list[AnswerRow],
        subjects: list[Subject],
        evidence: dict[AnswerKey, list[Evidence]],
        position: str | None,
        author: str | None,
        found: dict[str, Finding] | None = None,
        carried: dict[str, Action] | None = None,
    ) -> None:
        self.audit = audit
        self.protocol: Protocol = audit.protocol
        self.answers: dict[AnswerKey, AnswerRow] = by_key(answers)
        self.subjects: list[Subject] = subjects
        self.evidence: dict[AnswerKey, list[Evidence]] = evidence
        self.findings: dict[str, Finding] = dict(found or {})
        # Last audit's unfinished actions, by item: their follow-up is shown in the runner.
        self.carried: dict[str, Action] = dict(carried or {})
        self.pending: set[AnswerKey] = set()
        self.last_reason = ""  # offered again for the next change to a finalized audit
        self.known_author = author  # who is auditing, when known without asking
        self._position = json.loads(position) if position else None
        self._scores: Scores | None = None

    @classmethod
    def load(cls, audit: Audit) -> Session:
        """Read everything the screens show; call it off the UI thread (or before it runs)."""
        return cls(
            audit,
            audit.answers(),
            audit.subjects(),
            audit.evidence_by_answer(),
            audit.meta(LAST_QUESTION),
            known_author(audit),
            findings(audit),
            {a.item: a for a in action_plan(audit) if a.carried},
        )

    @property
    def profile(self) -> dict[str, Any]:
        return self.audit.profile

    @property
    def finalized_at(self) -> str | None:
        """When the audit was finalized (a timestamp), or None while it is open."""
        return self.audit.profile.get("finalized_at") or None

    def needs_reason(self, job: Job[Any]) -> bool:
        """Whether ``job`` changes a finalized audit, so the auditor must say why."""
        return self.finalized_at is not None and isinstance(job, Write) and job.locked

    def progress(self) -> tuple[int, int]:
        """(answers given, answers expected) over the whole audit, as Home lists it."""
        from auditkit.rules.progress import components
        from auditkit.tui.widgets.mechanics import cascaded_ids  # it imports this module

        found = components(self.protocol, self.subjects, self.answered(), skip=cascaded_ids(self))
        return sum(c.answered for c in found), sum(c.expected for c in found)

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
        position = self._position
        latest = max(self.answers.values(), key=lambda a: a.updated_at, default=None)
        if latest and (position is None or latest.updated_at > position.get("at", "")):
            return latest.question_id, latest.subject_id
        if position and self.protocol.has_question(position.get("question", "")):
            return position["question"], position.get("subject", "")
        return None

    # -- applying committed writes (UI thread) ---------------------------------------------

    def apply(self, job: Write[Any], result: object) -> None:
        """Fold a committed write into the mirror, by what it returned."""
        if job.key is not None:
            self.pending.discard(job.key)
        if isinstance(result, Finding):
            self.findings[result.item] = result
        elif isinstance(result, Action) and result.carried:
            self.carried[result.item] = result
        elif isinstance(result, AnswerRow):
            self.answers[(result.question_id, result.subject_id)] = result
        elif isinstance(result, Cleared):
            self.answers.pop(result.key, None)
        elif isinstance(result, FilesNow):
            self.evidence[result.key] = list(result.files)
        elif isinstance(result, Subject):
            known = [i for i, s in enumerate(self.subjects) if s.id == result.id]
            if known:
                self.subjects[known[0]] = result
            else:
                self.subjects.append(result)
        elif isinstance(result, PositionSaved):
            self._position = {
                "question": result.question_id,
                "subject": result.subject_id,
                "at": result.at,
            }
        self._scores = None

    def reload(self, answers: list[AnswerRow], subjects: list[Subject], evidence: Any) -> None:
        """Take what another process left in the file (answers still pending stay pending)."""
        self.answers = by_key(answers)
        self.subjects = subjects
        self.evidence = evidence
        self._scores = None

    def forget(self, job: Write[Any]) -> None:
        """A write failed: the answer it concerned is no longer pending (and was not saved)."""
        if job.key is not None:
            self.pending.discard(job.key)
