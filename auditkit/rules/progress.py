"""How far an audit has got: which (question, subject) answers are expected, given and missing.

Pure functions over a protocol, its subjects and its answers, shared by the TUI's dashboard and
runner (and usable by any report). A per-subject question expects one answer per subject of its
kind; an interview question only from interviewees whose role it asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from auditkit.protocol.model import Protocol, Question
from auditkit.store.records import AnswerRow, Subject
from auditkit.vocabulary import COMPONENTS

AnswerKey = tuple[str, str]  # (question id, subject id or "")


@dataclass(frozen=True)
class ComponentProgress:
    component: str
    title: str
    subject: str  # none | site | interviewee | incident
    questions: int
    subjects: int  # subjects of the component's kind (0 when answered once)
    expected: int  # (question, subject) answers expected
    answered: int  # of those, answered

    @property
    def left(self) -> int:
        return self.expected - self.answered


def applies(question: Question, subject: Subject | None) -> bool:
    """Whether ``question`` is asked of ``subject`` (None for questions answered once)."""
    if not question.per_subject:
        return subject is None
    if subject is None or subject.kind != question.subject:
        return False
    return not question.roles or subject.role in question.roles


def subjects_for(question: Question, subjects: Sequence[Subject]) -> list[Subject]:
    """The subjects a per-subject question is asked of, in the order given."""
    return [s for s in subjects if applies(question, s)]


def answered_keys(answers: Iterable[AnswerRow]) -> set[AnswerKey]:
    """Keys of the answers that carry a value (a note alone is not an answer)."""
    return {(a.question_id, a.subject_id) for a in answers if a.value is not None}


def expected_keys(
    protocol: Protocol, subjects: Sequence[Subject], component: str | None = None
) -> Iterator[tuple[Question, Subject | None]]:
    """Every answer the audit expects, in protocol order (question by question)."""
    for question in protocol.questions:
        if component and question.component != component:
            continue
        if not question.per_subject:
            yield question, None
            continue
        for subject in subjects_for(question, subjects):
            yield question, subject


def components(
    protocol: Protocol,
    subjects: Sequence[Subject],
    answered: set[AnswerKey],
    skip: frozenset[str] | set[str] = frozenset(),
) -> list[ComponentProgress]:
    """Progress of each of the four components present in the protocol, in protocol order;
    questions in ``skip`` (scored by cascade) expect no answer."""
    result = []
    for name in COMPONENTS:
        checklist = protocol.checklist_for(name)
        if checklist is None:
            continue
        expected = done = 0
        for question, subject in expected_keys(protocol, subjects, name):
            if question.id in skip:
                continue
            expected += 1
            done += (question.id, subject.id if subject else "") in answered
        kind_count = sum(1 for s in subjects if s.kind == checklist.subject)
        result.append(
            ComponentProgress(
                component=name,
                title=checklist.title,
                subject=checklist.subject,
                questions=sum(1 for q in protocol.questions if q.component == name),
                subjects=kind_count,
                expected=expected,
                answered=done,
            )
        )
    return result


def first_unanswered(
    protocol: Protocol,
    subjects: Sequence[Subject],
    answered: set[AnswerKey],
    after: str | None = None,
    skip: frozenset[str] | set[str] = frozenset(),
) -> tuple[Question, Subject | None] | None:
    """The next expected answer still missing, searching from the question after ``after``
    and wrapping round to the start; questions in ``skip`` (scored by cascade) left out."""
    pending = [
        (q, s)
        for q, s in expected_keys(protocol, subjects)
        if (q.id, s.id if s else "") not in answered and q.id not in skip
    ]
    if not pending:
        return None
    if after is not None and protocol.has_question(after):
        order = {q.id: i for i, q in enumerate(protocol.questions)}
        start = order[after]
        later = [p for p in pending if order[p[0].id] > start]
        if later:
            return later[0]
    return pending[0]


def by_key(answers: Iterable[AnswerRow]) -> dict[AnswerKey, AnswerRow]:
    return {(a.question_id, a.subject_id): a for a in answers}


def subject_answers(
    question: Question, subjects: Sequence[Subject], answers: Mapping[AnswerKey, AnswerRow]
) -> list[tuple[Subject, AnswerRow | None]]:
    """Each subject a per-subject question is asked of, with its answer (or None)."""
    return [(s, answers.get((question.id, s.id))) for s in subjects_for(question, subjects)]
