"""The checklist runner's view: questions by element on the left, the current one on the right.

Which questions a runner shows, which subject its answers go to, the marks and counts, and
moving around; the keys that answer are :class:`~auditkit.tui.screens.runner.RunnerScreen`'s.
"""

from __future__ import annotations

from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, OptionList, Static

from auditkit.protocol.model import Question
from auditkit.rules.incidents import not_applicable_reason
from auditkit.rules.progress import AnswerKey, applies, subjects_for
from auditkit.rules.scoring import Scores
from auditkit.store.records import AnswerRow, Subject
from auditkit.tui.dialogs.subject_picker import SubjectPicker
from auditkit.tui.finding_jobs import follow_up
from auditkit.tui.jobs import Cleared, WriteOutcome
from auditkit.tui.labels import COVERAGE_MARKS, KIND_NAMES, mark, subject_line
from auditkit.tui.live import Reloaded
from auditkit.tui.safe import assemble
from auditkit.tui.scope import Scope
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.walk import after, unanswered
from auditkit.tui.widgets.footer import FittingFooter
from auditkit.tui.widgets.mechanics import (
    CASCADE_MARK,
    cascade_reason,
    cascaded_ids,
    downstream,
    mechanics_for,
)
from auditkit.tui.widgets.question_list import QuestionList
from auditkit.tui.widgets.question_view import QuestionState, QuestionView


def answer_key(result: object) -> AnswerKey | None:
    """The answer a write's result is about (an undo names it only in its result)."""
    if isinstance(result, AnswerRow):
        return (result.question_id, result.subject_id)
    if isinstance(result, Cleared):
        return result.key
    return None


class RunnerView(AuditkitScreen):
    """The runner without its answer keys: the list, the pane, the title, the subject."""

    def __init__(self, scope: Scope | None = None) -> None:
        super().__init__()
        self.scope = scope or Scope()
        self.digits = ""
        self.chosen: dict[str, str] = {}  # subject kind -> subject id answers go to
        self._questions: list[Question] = []
        self._order: dict[str, int] = {}
        self._saved_position: tuple[str, str] | None = None
        self._expected: set[AnswerKey] = set()  # see _tally
        self._done: set[AnswerKey] = set()
        self._expected_of: Counter[str] = Counter()  # subject id -> answers expected of it
        self._done_of: Counter[str] = Counter()  # subject id -> answers given
        self._titled_subject = False  # the title names a chosen subject

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="runner-title")
        with Horizontal(id="runner"):
            yield QuestionList(id="questions")
            with VerticalScroll(id="question-pane"):
                yield QuestionView(id="question")
        yield FittingFooter()

    def on_mount(self) -> None:
        session = self.session
        if self.scope.subject_id:
            fixed = session.subject(self.scope.subject_id)
            if fixed is not None:
                self.chosen[fixed.kind] = fixed.id
        for kind in ("site", "interviewee", "incident"):
            only = session.subjects_of(kind)
            if len(only) == 1:
                self.chosen.setdefault(kind, only[0].id)
        if self.scope.start_subject:
            start = session.subject(self.scope.start_subject)
            if start is not None:
                self.chosen[start.kind] = start.id
        self._load()
        questions = self.query_one(QuestionList)
        if not (self.scope.start and questions.go_to(self.scope.start)):
            questions.action_first()
        questions.focus()
        self._show_title()
        self.app.changed.subscribe(self, self._on_change)  # type: ignore[attr-defined]

    # -- the list ----------------------------------------------------------------------------

    def _select_questions(self) -> list[Question]:
        session = self.session
        fixed = session.subject(self.scope.subject_id) if self.scope.subject_id else None
        chosen = [
            q
            for q in session.protocol.questions
            if (self.scope.component is None or q.component == self.scope.component)
            and (fixed is None or applies(q, fixed))
        ]
        numbers = {e.id: e.number for e in session.protocol.elements}
        return sorted(chosen, key=lambda q: numbers.get(q.element, 0))

    def _load(self) -> None:
        self._questions = self._select_questions()
        self._order = {q.id: i for i, q in enumerate(self._questions)}
        groups: dict[str, list[tuple[Question, tuple[str, str]]]] = {}
        # Marking every question at once: one whole-audit score for the cascades, if any.
        scores = self.session.scores() if self.session.protocol.dependants else None
        for question in self._questions:
            groups.setdefault(question.element, []).append((question, self._mark(question, scores)))
        protocol = self.session.protocol
        self.query_one(QuestionList).load(
            (protocol.element(element_id), rows) for element_id, rows in groups.items()
        )
        self._tally()

    def _mark(self, question: Question, scores: Scores | None = None) -> tuple[str, str]:
        session = self.session
        if cascade_reason(session, question, scores):
            return CASCADE_MARK
        if not question.per_subject:
            key = (question.id, "")
            return mark(session.value(key), key in session.pending)
        subject_id = self.chosen.get(question.subject)
        subject = session.subject(subject_id) if subject_id else None
        if subject is not None and applies(question, subject):
            key = (question.id, subject.id)
            return mark(session.value(key), key in session.pending)
        asked = subjects_for(question, session.subjects)
        done = sum(1 for s in asked if session.value((question.id, s.id)) is not None)
        level = 0 if not done else 2 if done == len(asked) else 1
        return COVERAGE_MARKS[level]

    @property
    def current(self) -> Question | None:
        return self.query_one(QuestionList).question

    def _subject_for(self, question: Question) -> Subject | None:
        subject_id = self.chosen.get(question.subject)
        subject = self.session.subject(subject_id) if subject_id else None
        return subject if subject is not None and applies(question, subject) else None

    # -- the pane ----------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#questions")
    def _highlighted(self) -> None:
        self.digits = ""
        self._show()
        if self.current is not None and self.current.per_subject:
            self._show_title()  # names the subject this question's answers go to
        elif self._titled_subject:
            self._show_title()

    def _show(self) -> None:
        question = self.current
        view = self.query_one(QuestionView)
        if question is None:
            view.show(None)
            return
        session = self.session
        subject = self._subject_for(question) if question.per_subject else None
        key = (question.id, subject.id if subject else "")
        has_key = subject is not None or not question.per_subject
        sites = session.sites
        others = (
            []
            if not question.per_subject
            else [
                (subject_line(s, sites), session.answers.get((question.id, s.id)))
                for s in subjects_for(question, session.subjects)
            ]
        )
        view.show(
            QuestionState(
                question=question,
                element=session.protocol.element(question.element),
                subject=subject,
                subject_text=subject_line(subject, sites) if subject else "",
                answer=session.answers.get(key) if has_key else None,
                pending=has_key and key in session.pending,
                digits=self.digits,
                others=others,
                files=tuple(session.evidence.get(key, ())) if has_key else (),
                mechanics=mechanics_for(session, question),
                proposed_na=not_applicable_reason(question.applies_to, subject.fields)
                if subject is not None and subject.kind == "incident"
                else "",
                **follow_up(session, question.id),
            )
        )

    def _show_title(self) -> None:
        component = self.scope.component
        title = self.session.protocol.component_title(component) if component else "Every question"
        fixed = self.session.subject(self.scope.subject_id) if self.scope.subject_id else None
        if fixed is not None:
            title += f" · {subject_line(fixed, self.session.sites)}"
        question = self.current
        chosen = self._subject_for(question) if question and question.per_subject else None
        self._titled_subject = chosen is not None and fixed is None
        status = self._status(chosen)
        if chosen is None or fixed is not None:
            status = f"   {status}"
        # Narrow: the counts matter more than the checklist's name, and more than the end
        # of a long subject name.
        room = self.size.width - 2 - len(status)  # the row's padding: 1 each side
        if chosen is not None and fixed is None:  # where this question's answers go
            kind = KIND_NAMES.get(chosen.kind, chosen.kind)
            where = f"for {kind} {chosen.label}"
            wide = len(title) + 3 + len(where) <= room
            title = f"{title} · {where}" if wide else f"F{where[1:]}"
        if len(title) > room > 1:
            title = title[: room - 1] + "…"
        # One row, always: no layout pass for a new count.
        # Never markup: a subject's label is typed by the auditor.
        self.query_one("#runner-title", Static).update(
            assemble((title, "bold"), status), layout=False
        )

    def _status(self, chosen: Subject | None) -> str:
        """The counts, after the title: for the subject the current question's answer goes
        to (the title ends with its name), its own; then every answer this runner asks for,
        whichever subject is chosen (every site, interviewee and incident record its
        questions are asked of; in a runner for one subject, that subject's)."""
        answered, total = len(self._done), len(self._expected)
        if not total:
            return (
                "nothing to answer here yet: add a subject first"
                if self._questions
                else "no questions here"
            )
        if self.scope.subject_id:
            return f"{answered}/{total} answered"
        if chosen is None:
            return f"{answered}/{total} answered in all"
        done, asked = self._done_of[chosen.id], self._expected_of[chosen.id]
        return f": {done}/{asked} answered · {answered}/{total} in all"

    def _tally(self) -> None:
        """The answers expected here and those given, recounted when the list reloads; an
        answer saved later only moves its own key (see :meth:`_on_change`).

        A per-subject question counts every subject it is asked of (in a runner for one
        subject, only that one), whichever subject is chosen: choosing one changes where
        answers go, not what the runner counts.
        """
        session = self.session
        fixed = session.subject(self.scope.subject_id) if self.scope.subject_id else None
        self._expected = set()
        cascaded = cascaded_ids(session)  # scored by cascade: no answer expected
        for question in self._questions:
            if question.id in cascaded:
                continue
            if not question.per_subject:
                self._expected.add((question.id, ""))
                continue
            asked = [fixed] if fixed else subjects_for(question, session.subjects)
            self._expected.update((question.id, s.id) for s in asked)
        self._done = {key for key in self._expected if session.value(key) is not None}
        self._expected_of = Counter(subject_id for _, subject_id in self._expected)
        self._done_of = Counter(subject_id for _, subject_id in self._done)

    def _on_change(self, change: WriteOutcome) -> None:
        """A committed (or failed) write: move its answer's mark, count and pane."""
        job = change.job
        if isinstance(change.result, Reloaded):  # another process wrote: everything may move
            self._load_keep_position()
            return
        key = job.key if job.key is not None else answer_key(change.result)
        if key in self._expected:
            given = self.session.value(key) is not None
            if given != (key in self._done):
                self._done.symmetric_difference_update({key})
                self._done_of[key[1]] += 1 if given else -1
        if key is not None:
            question_id = key[0]
            protocol = self.session.protocol
            if protocol.has_question(question_id):
                self._refresh_mark(protocol.question(question_id))
                dependants = downstream(protocol, question_id)
                for dependant in dependants:  # cascades follow
                    self._refresh_mark(dependant)
                if dependants:
                    self._tally()  # a cascade changes what is left to answer
        elif isinstance(change.result, Subject):
            self._load()
        if change.saved or key is not None:
            self._show()
            self._show_title()

    def _refresh_mark(self, question: Question) -> None:
        questions = self.query_one(QuestionList)
        if question.id in self._order:  # else not in this runner's scope
            questions.set_mark(question, self._mark(question))

    # -- subjects and moving -----------------------------------------------------------------

    def action_choose_subject(self) -> None:
        question = self.current
        if question is None or not question.per_subject:
            self.notify("This question is answered once for the audit.", severity="information")
            return
        if self.scope.subject_id:
            self.notify("This runner is for one subject; go back to choose another.")
            return
        self._pick_subject(question, lambda s: None)

    def _pick_subject(self, question: Question, then: object) -> None:
        session = self.session
        asked = subjects_for(question, session.subjects)
        kind = KIND_NAMES.get(question.subject, question.subject)
        if not asked:
            self.notify(
                f"No {kind} yet that {question.id} is asked of; add one first.", severity="warning"
            )
            return
        rows = [
            (s, subject_line(s, session.sites), session.answers.get((question.id, s.id)))
            for s in asked
        ]

        def chosen(subject_id: str | None) -> None:
            if subject_id is None:
                return
            self.chosen[question.subject] = subject_id
            self._load_keep_position()
            if callable(then):
                then(subject_id)

        self.app.push_screen(SubjectPicker(question, kind, rows), chosen)

    def _load_keep_position(self) -> None:
        question = self.current
        self._load()
        if question is not None:
            self.query_one(QuestionList).go_to(question.id)
        self._show()
        self._show_title()

    def action_move(self, step: int) -> None:
        questions = self.query_one(QuestionList)
        current = self.current
        position = self._order.get(current.id) if current else None
        if step > 0 and position == len(self._questions) - 1:
            self.notify("Last question.")
        elif step < 0 and position == 0:
            self.notify("First question.")
        elif step > 0:
            questions.action_cursor_down()
        else:
            questions.action_cursor_up()

    def action_next_unanswered(self) -> None:
        current = self.current
        candidates = unanswered(self.session, self._questions, self.scope.subject_id)
        target = after(candidates, self._order, current)
        if target is None:
            self.notify("Every question here is answered.")
            return
        self._go_to(*target)

    def jump_to(self, question_id: str) -> None:
        """The palette's jump to a question, keeping the interview (or site, or incident)
        answers go to: a question of this runner is highlighted here; another opens a runner
        over this one, for the same subject when the question is asked of it."""
        session = self.session
        if not session.protocol.has_question(question_id):
            return
        question = session.protocol.question(question_id)
        if question.id in self._order:
            self.query_one(QuestionList).go_to(question.id)
            self._show()
            self._show_title()
            return
        subject = self._subject_for(question) if question.per_subject else None
        fixed = session.subject(self.scope.subject_id) if self.scope.subject_id else None
        if fixed is not None and subject is not None and subject.id == fixed.id:
            scope = Scope(subject_id=fixed.id, start=question.id)  # still this interview
        else:
            scope = Scope(start=question.id, start_subject=subject.id if subject else None)
        context = self._chosen_of(question.subject)
        if question.per_subject and subject is None and context is not None:
            kind = KIND_NAMES.get(question.subject, question.subject)
            self.notify(
                f"{question.id} is not asked of {context.label}: choose the {kind} (s).",
                severity="warning",
            )
        self.auditkit.open_screen("runner", scope=scope)

    def _chosen_of(self, kind: str) -> Subject | None:
        subject_id = self.chosen.get(kind)
        return self.session.subject(subject_id) if subject_id else None

    def _go_to(self, question: Question, subject: Subject | None) -> None:
        """Highlight ``question``, for ``subject`` when it is asked per subject."""
        if subject is not None:
            self.chosen[question.subject] = subject.id
            self._load()
        self.query_one(QuestionList).go_to(question.id)
        self._show()
        self._show_title()
