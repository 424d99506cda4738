"""The values the protocol allows for each question, checked wherever stored answers are read.

``answer`` refuses a bad value, but a file can hold one anyway: written by another program
through auditkit's own store (so the journal chain is intact), or by an older auditkit. Scoring
such a value gives 9999 of 10 points, or a traceback for ``banana``; so scoring, ``verify``,
``merge`` and ``import`` check every stored value here first.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditkit.errors import AnswerRefused
from auditkit.protocol.model import Protocol, Question
from auditkit.rules.scoring import Given

CHOICES = ("yes", "partial", "no")


def allowed(question: Question) -> frozenset[str]:
    """Every stored value ``question`` accepts (answers are stored normalised)."""
    values = set(CHOICES if question.accepts_partial else ("yes", "no"))
    if question.na:
        values.add("na")
    if question.accepts_points and not question.criterion:
        values.update(str(n) for n in range(question.points + 1))
    return frozenset(values)


def expected(question: Question) -> str:
    """The accepted values in words, for an error message."""
    words = ["yes", "partial", "no"] if question.accepts_partial else ["yes", "no"]
    words += ["na"] if question.na else []
    if question.accepts_points and not question.criterion:
        words.append(f"0..{question.points} points")
    return ", ".join(words)


def value_problem(protocol: Protocol, question_id: str, subject_id: str, value: str) -> str | None:
    """Why the stored answer is not one the protocol allows, or None when it is."""
    where = f"answer to question {question_id}" + (f" (subject {subject_id})" if subject_id else "")
    if not protocol.has_question(question_id):
        return f"{where}: no such question in protocol {protocol.id}"
    question = protocol.question(question_id)
    if value in allowed(question):
        return None
    return f"{where}: stored value {value!r} is not allowed by the protocol ({expected(question)})"


def check_values(protocol: Protocol, given: Iterable[Given]) -> None:
    """Refuse the first stored answer whose value the protocol does not allow (answers to
    questions it does not have are left to ``verify``).

    Scoring calls this on every answer: the allowed values are built once per question.
    """
    known: dict[str, frozenset[str]] = {}
    for question_id, subject_id, value in given:
        values = known.get(question_id)
        if values is None and protocol.has_question(question_id):
            values = known[question_id] = allowed(protocol.question(question_id))
        if values is None:
            continue  # a question this protocol does not have is not scored at all
        if value not in values:
            problem = value_problem(protocol, question_id, subject_id, value)
            raise AnswerRefused(f"{problem}; the file was changed outside auditkit")
