"""The runner's view of the second edition's mechanics: a criterion's parts shown together
(technique, subjects, finding, the combined result) and why an item is scored by cascade.

Kept apart from the runner screen: it reads the session's scores and returns what to show;
the screen only asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table

from auditkit.protocol.model import Protocol, Question
from auditkit.rules.progress import subjects_for
from auditkit.rules.scoring import (
    Given,
    QuestionScore,
    Scores,
    display_percent,
    item_questions,
    score_item,
)
from auditkit.tui.labels import KIND_NAMES, count
from auditkit.tui.safe import assemble, plain
from auditkit.tui.session import Session

# The list's mark for a question scored by cascade: its own answers do not count.
CASCADE_MARK = ("↓", "magenta")
COMBINE_NAMES = {
    "average": "the average of its parts",
    "all": "its weakest part",
    "any": "its strongest part",
}


@dataclass(frozen=True)
class PartLine:
    id: str
    technique: str  # "documentation", "interview" …
    where: str  # the checklist's title
    subjects: str  # "2 of 3 interviewees", "answered", "unanswered"
    finding: str  # "compliance 50.0 %", "2 of 3 positive (66.7 %)", "N/A"
    current: bool


@dataclass(frozen=True)
class MechanicsState:
    """What the pane adds for a part or a dependant (compared, so an unchanged one costs
    nothing to show again)."""

    criterion: str  # "2.2 Hazard assessments are repeated …", "" for a stand-alone question
    rule: str  # "10 points, range, scored on the average of its parts"
    result: str  # the criterion's combined result
    parts: tuple[PartLine, ...]
    cascade: str  # why the item is scored by cascade, "" when it is not


def item_score(session: Session, item_id: str) -> QuestionScore:
    """One scored item (cascades applied) from the session's answers to it and its parents
    only: the runner asks this on every move, and a whole-audit score of a large audit would
    cost a keypress 0.1 s."""
    protocol = session.protocol
    keys = ["", *(s.id for s in session.subjects)]
    given = [
        Given(qid, sid, value)
        for qid in item_questions(protocol, item_id)
        for sid in keys
        if (value := session.value((qid, sid))) is not None
    ]
    return score_item(protocol, given, item_id)


def cascade_reason(session: Session, question: Question, scores: Scores | None = None) -> str:
    """Why ``question`` (or its criterion) is scored by cascade, or "" — the same rule by
    which ``answer`` refuses it. ``scores``, when the caller has the whole audit's (marking
    a whole list), saves scoring the item again."""
    protocol = session.protocol
    item = question.criterion or question.id
    if not protocol.depends_on(item):
        return ""  # most questions: nothing to score
    result = scores.items[item] if scores else item_score(session, item)
    if not result.cascaded:
        return ""
    parent = scores.items[result.cascaded] if scores else item_score(session, result.cascaded)
    what = f"criterion {item}" if question.criterion else item
    if parent.status == "na":
        return f"{what} is N/A by cascade: {parent.question.id} is N/A"
    outcome = "N/A" if result.status == "na" else "0 of its points"
    return (
        f"{what} scores {outcome} by cascade: {parent.question.id} scored "
        f"0 of {parent.possible} points"
    )


def cascaded_ids(session: Session) -> set[str]:
    """Questions scored by cascade (skipped by next-unanswered)."""
    protocol = session.protocol
    if not protocol.dependants:
        return set()
    scores = session.scores()  # one whole-audit score beats hundreds of item scores
    found: set[str] = set()
    for item in protocol.items:
        if item.depends_on and scores.items[item.id].cascaded:
            parts = protocol.parts(item.id)
            if parts:
                found.update(q.id for q in parts)
            else:
                found.add(item.id)
    return found


def downstream(protocol: Protocol, question_id: str) -> list[Question]:
    """The questions whose cascade may change when ``question_id`` is answered: the parts
    and questions of every item that depends on its item, directly or not."""
    found: list[Question] = []
    todo = list(protocol.dependants.get(protocol.scored_id(question_id), ()))
    seen: set[str] = set()
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        found += protocol.parts(item) if protocol.has_criterion(item) else [protocol.question(item)]
        todo += protocol.dependants.get(item, ())
    return found


def mechanics_for(session: Session, question: Question) -> MechanicsState | None:
    """What the pane shows beyond the question itself; None for a first-edition question."""
    cascade = cascade_reason(session, question)
    if not question.criterion:
        return MechanicsState("", "", "", (), cascade) if cascade else None
    protocol = session.protocol
    criterion = protocol.criterion(question.criterion)
    item = item_score(session, criterion.id)
    scoring = (
        "range" if criterion.scoring == "range" else f"all-or-nothing at {criterion.threshold} %"
    )
    return MechanicsState(
        criterion=f"{criterion.id} {criterion.text}",
        rule=(
            f"{count(criterion.points, 'point')}, {scoring}, scored on "
            f"{COMBINE_NAMES.get(criterion.combine, criterion.combine)}"
        ),
        result=_result(item),
        parts=tuple(_part(session, part, part.question.id == question.id) for part in item.parts),
        cascade=cascade,
    )


def _result(item: QuestionScore) -> str:
    if item.cascaded:
        return "N/A by cascade" if item.status == "na" else f"0 / {item.possible} by cascade"
    if item.status == "unanswered":
        return "not scored until every part is answered"
    if item.status == "na":
        return "N/A (every part N/A)"
    shown = display_percent(item.compliance * 100) if item.compliance is not None else "—"
    return f"{item.awarded} / {item.possible} ({shown})"


def _part(session: Session, part: QuestionScore, current: bool) -> PartLine:
    question = part.question
    if question.per_subject:
        asked = subjects_for(question, session.subjects)
        done = sum(1 for s in asked if session.value((question.id, s.id)) is not None)
        kind = KIND_NAMES.get(question.subject, question.subject)
        subjects = f"{done} of {len(asked)} {kind}s"
    else:
        subjects = "answered" if session.value((question.id, "")) is not None else "unanswered"
    return PartLine(
        id=question.id,
        technique=", ".join(question.methods),
        where=session.protocol.component_title(question.component),
        subjects=subjects,
        finding=_finding(session, part),
        current=current,
    )


def _finding(session: Session, part: QuestionScore) -> str:
    if part.cascaded:
        return "by cascade"
    if part.status == "unanswered":
        return "—"
    if part.status == "na" or part.compliance is None:
        return "N/A"
    question = part.question
    if question.yes_no or "interview" in question.methods:
        values = [
            session.value((question.id, s.id)) for s in subjects_for(question, session.subjects)
        ]
        given = [v for v in values if v not in (None, "na")]
        positive = sum(1 for v in given if v == "yes")
        if given:
            return f"{positive} of {len(given)} positive"
    return display_percent(part.compliance * 100)


def render_mechanics(state: MechanicsState) -> RenderableType:
    """The criterion block and the cascade line, as rich renderables (text, never markup)."""
    blocks: list[RenderableType] = []
    if state.cascade:
        blocks.append(
            assemble(
                ("Cascade  ", "bold magenta"),
                state.cascade,
                (" — its answers are not taken", "dim"),
            )
        )
    if state.criterion:
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
        table.add_column("Part", no_wrap=True)
        table.add_column("Technique", no_wrap=True)
        table.add_column("Checklist", ratio=2, overflow="ellipsis", no_wrap=True)
        table.add_column("Subjects", no_wrap=True)
        table.add_column("Finding", no_wrap=True)
        for line in state.parts:
            style = "bold" if line.current else ""
            table.add_row(
                plain(("▸ " if line.current else "  ") + line.id, style=style),
                plain(line.technique),
                plain(line.where),
                plain(line.subjects),
                plain(line.finding),
            )
        blocks += [
            assemble(("Criterion  ", "bold dim"), (state.criterion, "bold")),
            plain(state.rule, style="dim"),
            table,
            assemble(("Combined  ", "bold dim"), state.result),
        ]
    return Group(*blocks)
