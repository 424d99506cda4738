"""The scoring rule of DESIGN.md, as pure functions over a protocol and its answers.

Arithmetic is exact (``Fraction``): percentages are compared to the pass marks unrounded and
rounded only for display, so 79.96 % never passes an 80 % rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from auditkit.protocol.model import PassRule, Protocol, Question
from auditkit.vocabulary import NA as NA  # the vocabulary's words, importable from here too
from auditkit.vocabulary import answer_name as answer_name

CHOICES = {"yes": Fraction(1), "partial": Fraction(1, 2), "no": Fraction(0)}
# Each choice in halves of a question's points, as whole numbers (yes 2, partial 1, no 0).
HALVES = {choice: int(level * 2) for choice, level in CHOICES.items()}


class Given(NamedTuple):
    """One recorded answer value: ``yes|partial|no|na`` or a whole number of points.

    A named tuple rather than a dataclass: ``score`` reads tens of thousands of them, and a
    tuple is built three times faster.
    """

    question_id: str
    subject_id: str
    value: str


@dataclass(frozen=True)
class QuestionScore:
    question: Question
    status: str  # "scored" | "na" | "unanswered"
    awarded: int
    possible: int
    compliance: Fraction | None
    subjects: int  # answers given (N/A included)
    # Second edition: the parent whose 0 points (or N/A) decided this score, and for a
    # criterion the scores of its parts (a part's own awarded/possible are 0: its criterion
    # holds the points).
    cascaded: str = ""
    parts: tuple[QuestionScore, ...] = ()

    @property
    def is_criterion(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True)
class ElementScore:
    id: str
    number: int
    title: str
    awarded: int
    possible: int
    questions: int
    answered: int
    minimum: int | None

    @property
    def percent(self) -> Fraction | None:
        return Fraction(self.awarded * 100, self.possible) if self.possible else None

    @property
    def failed(self) -> bool:
        """Below the element minimum of the pass rule (an unscored element has not failed)."""
        percent = self.percent
        return self.minimum is not None and percent is not None and percent < self.minimum


@dataclass(frozen=True)
class Scores:
    rule: PassRule
    questions: dict[str, QuestionScore]  # every question of the protocol, parts included
    elements: tuple[ElementScore, ...]
    awarded: int
    possible: int
    # The scored items: stand-alone questions (the same objects as in ``questions``) and
    # criteria. A first-edition protocol's items are its questions.
    items: dict[str, QuestionScore] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.items.values() if q.status != "unanswered")

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @property
    def percent(self) -> Fraction | None:
        return Fraction(self.awarded * 100, self.possible) if self.possible else None

    @property
    def failed_elements(self) -> tuple[ElementScore, ...]:
        return tuple(e for e in self.elements if e.failed)

    @property
    def passed(self) -> bool:
        percent = self.percent
        return percent is not None and percent >= self.rule.overall and not self.failed_elements


def round_half_up(value: Fraction) -> int:
    """Round to a whole number, halves away from zero (2.5 -> 3), unlike Python's round()."""
    return half_up_division(value.numerator, value.denominator)


def half_up_division(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded as :func:`round_half_up` does,
    in whole numbers: scoring rounds thousands of these without building a Fraction each."""
    return (2 * numerator + denominator) // (2 * denominator)


def display_percent(value: Fraction | None) -> str:
    """One decimal, half up, for people: ``79.9 %``; ``—`` when there is nothing to score."""
    if value is None:
        return "—"
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


def compliance_of(question: Question, value: str) -> Fraction | None:
    """A single answer's compliance (0..1), or None for N/A."""
    if value == NA:
        return None
    if value in CHOICES:
        return CHOICES[value]
    return Fraction(int(value), question.points)


def score_question(question: Question, values: list[str]) -> QuestionScore:
    if not values:
        return QuestionScore(question, "unanswered", 0, 0, None, 0)
    # Whole numbers over one common denominator (2 × points: halves for "partial", points for
    # numbers), so a question of 30 subjects builds one Fraction instead of summing 30.
    points = question.points
    levels = [HALVES[v] * points if v in HALVES else 2 * int(v) for v in values if v != NA]
    if not levels:
        return QuestionScore(question, "na", 0, 0, None, len(values))
    total, whole = sum(levels), 2 * points * len(levels)  # compliance = total / whole
    if question.scoring == "all-or-nothing":
        awarded = points if 100 * total >= question.threshold * whole else 0
    else:
        awarded = half_up_division(points * total, whole)
    return QuestionScore(question, "scored", awarded, points, Fraction(total, whole), len(values))


def score_part(question: Question, values: list[str]) -> QuestionScore:
    """A part's compliance, as a question's (mean over subjects, N/A left out); its points
    are its criterion's, so its own awarded and possible are 0."""
    result = score_question(question, values)
    return QuestionScore(question, result.status, 0, 0, result.compliance, result.subjects)


def score_criterion(question: Question, combine: str, parts: list[QuestionScore]) -> QuestionScore:
    """A criterion from its parts: answered once every part is; wholly N/A parts left out;
    ``average`` the mean of the parts' compliance, ``all`` the lowest, ``any`` the highest."""
    given = sum(p.subjects for p in parts)
    if any(p.status == "unanswered" for p in parts):
        return QuestionScore(question, "unanswered", 0, 0, None, given, parts=tuple(parts))
    levels = [p.compliance for p in parts if p.compliance is not None]
    if not levels:
        return QuestionScore(question, "na", 0, 0, None, given, parts=tuple(parts))
    if combine == "all":
        compliance = min(levels)
    elif combine == "any":
        compliance = max(levels)
    else:
        compliance = sum(levels, Fraction(0)) / len(levels)
    points = question.points
    if question.scoring == "all-or-nothing":
        awarded = points if 100 * compliance >= question.threshold else 0
    else:
        awarded = round_half_up(points * compliance)
    return QuestionScore(question, "scored", awarded, points, compliance, given, parts=tuple(parts))


def cascade(result: QuestionScore, parent: QuestionScore, how: str) -> QuestionScore:
    """A dependant's score given its parent's: 0 of its points (or N/A with ``how == "na"``)
    while the parent is answered and awarded 0; N/A while the parent is N/A; else its own."""
    if parent.status == "scored" and parent.awarded == 0 and how == "zero":
        status, possible, compliance = "scored", result.question.points, Fraction(0)
    elif (parent.status == "scored" and parent.awarded == 0) or parent.status == "na":
        status, possible, compliance = "na", 0, None
    else:
        return result
    parts = tuple(replace(p, status=status, cascaded=parent.question.id) for p in result.parts)
    return replace(
        result,
        status=status,
        awarded=0,
        possible=possible,
        compliance=compliance,
        cascaded=parent.question.id,
        parts=parts,
    )


def score(protocol: Protocol, given: Iterable[Given], purpose: str) -> Scores:
    """Score every question, criterion, element and the whole audit against the purpose's
    pass rule, cascades applied.

    Answers to questions the protocol does not have are ignored (the store refuses them).
    """
    rule = protocol.pass_rule(purpose)
    values: dict[str, list[str]] = defaultdict(list)
    for answer in given:
        values[answer.question_id].append(answer.value)
    if not protocol.criteria and not protocol.dependants:
        # First edition: every question is an item, nothing cascades.
        plain = {q.id: score_question(q, values.get(q.id, [])) for q in protocol.questions}
        return _totals(protocol, rule, plain, plain)
    settle = _settler(protocol, values)
    items = {item.id: settle(item.id) for item in protocol.items}
    questions: dict[str, QuestionScore] = {}
    for q in protocol.questions:
        if q.criterion:
            criterion = items[q.criterion]
            questions[q.id] = next(p for p in criterion.parts if p.question.id == q.id)
        else:
            questions[q.id] = items[q.id]
    return _totals(protocol, rule, questions, items)


def _settler(protocol: Protocol, values: dict[str, list[str]]) -> Callable[[str], QuestionScore]:
    """A function scoring one item (question or criterion) with its cascades applied,
    each item once and parents first (the validator refused cycles, so this ends)."""
    final: dict[str, QuestionScore] = {}

    def own(item_id: str) -> QuestionScore:
        if protocol.has_criterion(item_id):
            criterion = protocol.criterion(item_id)
            parts = [score_part(q, values.get(q.id, [])) for q in protocol.parts(item_id)]
            return score_criterion(protocol.criterion_questions[item_id], criterion.combine, parts)
        return score_question(protocol.question(item_id), values.get(item_id, []))

    def settle(item_id: str) -> QuestionScore:
        if item_id not in final:
            result = own(item_id)
            parent = result.question.depends_on
            if parent:
                result = cascade(result, settle(parent), result.question.cascade)
            final[item_id] = result
        return final[item_id]

    return settle


def score_item(protocol: Protocol, given: Iterable[Given], item_id: str) -> QuestionScore:
    """One scored item, cascades applied; ``given`` needs only the answers to it and to its
    ancestors (``answer`` checks a parent this way without scoring the whole audit)."""
    values: dict[str, list[str]] = defaultdict(list)
    for answer in given:
        values[answer.question_id].append(answer.value)
    return _settler(protocol, values)(item_id)


def item_questions(protocol: Protocol, item_id: str) -> list[str]:
    """The question ids whose answers score an item and its ancestors."""
    found: list[str] = []
    while item_id:
        if protocol.has_criterion(item_id):
            found += [q.id for q in protocol.parts(item_id)]
        else:
            found.append(item_id)
        item_id = protocol.depends_on(item_id)
    return found


def _totals(
    protocol: Protocol,
    rule: PassRule,
    questions: dict[str, QuestionScore],
    items: dict[str, QuestionScore],
) -> Scores:
    per_element: dict[str, list[QuestionScore]] = defaultdict(list)
    for result in items.values():
        per_element[result.question.element].append(result)
    elements = tuple(
        ElementScore(
            id=element.id,
            number=element.number,
            title=element.title,
            awarded=sum(r.awarded for r in per_element[element.id]),
            possible=sum(r.possible for r in per_element[element.id]),
            questions=len(per_element[element.id]),
            answered=sum(1 for r in per_element[element.id] if r.status != "unanswered"),
            minimum=rule.element,
        )
        for element in protocol.elements
    )
    return Scores(
        rule=rule,
        questions=questions,
        elements=elements,
        awarded=sum(e.awarded for e in elements),
        possible=sum(e.possible for e in elements),
        items=items,
    )


def scores_to_json(scores: Scores) -> dict[str, object]:
    """The ``score --json`` shape of DESIGN.md (percentages unrounded; None when unscored)."""

    def pct(value: Fraction | None) -> float | None:
        return float(value) if value is not None else None

    return {
        "complete": scores.complete,
        "answered": scores.answered,
        "questions": scores.total,
        "overall": {
            "awarded": scores.awarded,
            "possible": scores.possible,
            "percent": pct(scores.percent),
        },
        "elements": [
            {
                "id": e.id,
                "title": e.title,
                "awarded": e.awarded,
                "possible": e.possible,
                "percent": pct(e.percent),
            }
            for e in scores.elements
        ],
        "pass": {
            "rule": {
                "purpose": scores.rule.purpose,
                "overall": scores.rule.overall,
                "element": scores.rule.element,
            },
            "passed": scores.passed,
            "failed_elements": [e.id for e in scores.failed_elements],
        },
    }
