"""The checklist runner: questions by element on the left, the current one on the right.

One key per answer. An answer is shown as pending until the writer reports it committed; a
refusal or a disk error leaves it unsaved and says so.
"""

from __future__ import annotations

import json

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static

from auditkit.errors import AnswerRefused
from auditkit.protocol.model import Question
from auditkit.rules.progress import AnswerKey, applies, subjects_for
from auditkit.rules.scoring import Scores
from auditkit.store.audit_file import Subject, now
from auditkit.tui.app import Change
from auditkit.tui.dialogs.evidence import AttachDialog, Attachment, DetachDialog
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.dialogs.subject_picker import SubjectPicker
from auditkit.tui.evidence_jobs import attach_job, detach_job
from auditkit.tui.labels import COVERAGE_MARKS, KIND_NAMES, mark, subject_line
from auditkit.tui.safe import assemble
from auditkit.tui.scope import Scope
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.session import LAST_QUESTION, Job
from auditkit.tui.walk import after, unanswered
from auditkit.tui.widgets.mechanics import (
    CASCADE_MARK,
    cascade_reason,
    cascaded_ids,
    downstream,
    mechanics_for,
)
from auditkit.tui.widgets.question_list import QuestionList
from auditkit.tui.widgets.question_view import QuestionState, QuestionView


class RunnerScreen(AuditkitScreen):
    """Answer questions from the keyboard."""

    # The footer fits 80 columns: one entry for the four answer keys, and "s" shows in the
    # pane whenever a question needs a subject. Help lists every key.
    BINDINGS = [
        Binding("y", "answer('yes')", "Answer", key_display="y p n a", id="answer-yes"),
        Binding("p", "answer('partial')", "Partial", show=False, id="answer-partial"),
        Binding("n", "answer('no')", "No", show=False, id="answer-no"),
        Binding("a", "answer('na')", "N/A", show=False, id="answer-na"),
        *[
            Binding(str(d), f"digit('{d}')", "Points", show=False, id=f"points-{d}")
            for d in range(10)
        ],
        Binding("e", "note", "Note", id="edit-note"),
        Binding("f", "attach", "Attach", id="attach-file"),
        Binding("F", "detach", "Remove a file", show=False, id="remove-file"),
        Binding("s", "choose_subject", "Subject", show=False, id="choose-subject"),
        Binding("u", "next_unanswered", "Unanswered", id="next-unanswered"),
        Binding("j", "move(1)", "Next", show=False, id="next-question"),
        Binding("k", "move(-1)", "Previous", show=False, id="previous-question"),
        Binding("delete", "clear", "Clear", show=False, id="clear-answer"),
        Binding("escape", "back", "Back", id="back"),
    ]

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
        self._across: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="runner-title")
        with Horizontal(id="runner"):
            yield QuestionList(id="questions")
            with VerticalScroll(id="question-pane"):
                yield QuestionView(id="question")
        yield Footer(compact=True)

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

    @on(OptionList.OptionSelected, "#questions")
    def _selected(self) -> None:
        if self.digits:
            self._commit_digits()

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
            )
        )

    def _show_title(self) -> None:
        component = self.scope.component
        title = self.session.protocol.component_title(component) if component else "Every question"
        fixed = self.session.subject(self.scope.subject_id) if self.scope.subject_id else None
        if fixed is not None:
            title += f" · {subject_line(fixed, self.session.sites)}"
        answered, total, across = len(self._done), len(self._expected), self._across
        if not total:
            status = (
                "nothing to answer here yet: add a subject first"
                if self._questions
                else "no questions here"
            )
        else:
            status = f"{answered}/{total} answered"
            if across:  # per-subject questions with no subject chosen count every subject
                status += f" · all {', '.join(sorted(across))}"
        # One row, always: no layout pass for a new count.
        self.query_one("#runner-title", Static).update(
            assemble((title, "bold"), f"   {status}"), layout=False
        )

    def _tally(self) -> None:
        """The answers expected here and those given, recounted when the list reloads; an
        answer saved later only moves its own key (see :meth:`_on_change`).

        A per-subject question with no subject chosen counts every subject it is asked of.
        """
        session = self.session
        self._expected, self._across = set(), set()
        cascaded = cascaded_ids(session)  # scored by cascade: no answer expected
        for question in self._questions:
            if question.id in cascaded:
                continue
            if not question.per_subject:
                self._expected.add((question.id, ""))
                continue
            subject = self._subject_for(question)
            asked = [subject] if subject else subjects_for(question, session.subjects)
            if subject is None and asked:
                self._across.add(f"{KIND_NAMES.get(question.subject, question.subject)}s")
            self._expected.update((question.id, s.id) for s in asked)
        self._done = {key for key in self._expected if session.value(key) is not None}

    def _on_change(self, change: Change) -> None:
        job = change.job
        if job.key in self._expected:
            if self.session.value(job.key) is None:
                self._done.discard(job.key)
            else:
                self._done.add(job.key)
        if job.key is not None:
            question_id = job.key[0]
            protocol = self.session.protocol
            if protocol.has_question(question_id):
                self._refresh_mark(protocol.question(question_id))
                dependants = downstream(protocol, question_id)
                for dependant in dependants:  # cascades follow
                    self._refresh_mark(dependant)
                if dependants:
                    self._tally()  # a cascade changes what is left to answer
        elif job.action == "subject":
            self._load()
        if change.saved or job.key is not None:
            self._show()
            self._show_title()

    def _refresh_mark(self, question: Question) -> None:
        questions = self.query_one(QuestionList)
        if question.id in self._order:  # else not in this runner's scope
            questions.set_mark(question, self._mark(question))

    # -- answering ---------------------------------------------------------------------------

    def action_answer(self, value: str) -> None:
        self.digits = ""
        question = self.current
        if question is None:
            return
        try:
            self.session.audit.parse_value(question, value)
        except AnswerRefused as exc:
            self.notify(str(exc), severity="warning")
            return
        blocked = cascade_reason(self.session, question)
        if blocked:
            self.notify(f"Not recorded: {blocked}.", severity="warning")
            return
        self._record(question, value)

    def action_digit(self, digit: str) -> None:
        question = self.current
        if question is None:
            return
        if not question.accepts_points:
            keys = "y, n or a" if question.yes_no else "y, p, n or a"
            why = f", a part of criterion {question.criterion}," if question.criterion else ""
            self.notify(
                f"Question {question.id}{why} takes {keys}, not points.", severity="warning"
            )
            return
        self.digits = (self.digits + digit).lstrip("0") or "0"
        if int(self.digits) > question.points:
            self.notify(
                f"{self.digits} is more than the {question.points} points of {question.id}.",
                severity="warning",
            )
            self.digits = ""
        elif int(self.digits) * 10 > question.points:
            self._commit_digits()  # no further digit could make a valid number
            return
        self._show()

    def _commit_digits(self) -> None:
        question, value = self.current, self.digits
        self.digits = ""
        if question is not None and value:
            self._record(question, value)

    def _record(self, question: Question, value: str) -> None:
        if question.per_subject:
            subject = self._subject_for(question)
            if subject is None:
                self._pick_subject(question, lambda s: self._record(question, value))
                return
            subject_id = subject.id
            where = f" for {subject.label}"
        else:
            subject_id, where = "", ""
        app = self.auditkit
        app.save(
            Job(
                "answer",
                f"the answer to {question.id}{where}",
                lambda audit: audit.answer(question.id, value, subject=subject_id or None),
                key=(question.id, subject_id),
            )
        )
        self._refresh_mark(question)
        self._move_on(question)
        self._show()

    def _move_on(self, answered: Question) -> None:
        """After an answer: the next question; after the last one, the first question still
        unanswered (said so), rather than wrapping silently to the top."""
        if self._order.get(answered.id) != len(self._questions) - 1:
            self.query_one(QuestionList).action_cursor_down()
            return
        pending = self.session.pending
        left = [
            (q, s)
            for q, s in unanswered(self.session, self._questions, self.scope.subject_id)
            if (q.id, s.id if s else "") not in pending
        ]
        if not left:
            self.notify("Last question: every question here is answered.")
            return
        question, subject = left[0]
        where = f" for {subject.label}" if subject else ""
        self.notify(f"Last question. First unanswered: {question.id}{where}.")
        self._go_to(question, subject)

    def action_clear(self) -> None:
        question = self.current
        if question is None:
            return
        subject = self._subject_for(question) if question.per_subject else None
        if question.per_subject and subject is None:
            return
        subject_id = subject.id if subject else ""
        app = self.auditkit
        app.save(
            Job(
                "clear",
                f"clearing {question.id}",
                lambda audit: audit.clear_answer(question.id, subject_id or None),
                key=(question.id, subject_id),
            )
        )

    def action_note(self) -> None:
        question = self.current
        if question is None:
            return
        subject = self._subject_for(question) if question.per_subject else None
        if question.per_subject and subject is None:
            self._pick_subject(question, lambda s: self.action_note())
            return
        subject_id = subject.id if subject else ""
        row = self.session.answers.get((question.id, subject_id))

        def save(text: str | None) -> None:
            if text is None or text == (row.note if row else ""):
                return
            app = self.auditkit
            app.save(
                Job(
                    "note",
                    f"the note on {question.id}",
                    lambda audit: audit.set_note(question.id, text, subject=subject_id or None),
                    key=(question.id, subject_id),
                )
            )

        title = f"Note on {question.id}" + (f" for {subject.label}" if subject else "")
        self.app.push_screen(NoteDialog(title, row.note if row else ""), save)

    # -- evidence ----------------------------------------------------------------------------

    def _answer_slot(self, then: object) -> tuple[Question, Subject | None] | None:
        """The current question and its subject; asks for the subject first when needed."""
        question = self.current
        if question is None:
            return None
        subject = self._subject_for(question) if question.per_subject else None
        if question.per_subject and subject is None:
            self._pick_subject(question, then)
            return None
        return question, subject

    def action_attach(self) -> None:
        slot = self._answer_slot(lambda s: self.action_attach())
        if slot is None:
            return
        question, subject = slot
        where = f" for {subject.label}" if subject else ""

        def attach(chosen: Attachment | None) -> None:
            if chosen is not None:
                app = self.auditkit
                app.save(
                    attach_job(
                        question.id,
                        subject.id if subject else "",
                        chosen.paths,
                        chosen.caption,
                        where,
                    )
                )

        self.app.push_screen(AttachDialog(f"Attach files to {question.id}{where}"), attach)

    def action_detach(self) -> None:
        slot = self._answer_slot(lambda s: self.action_detach())
        if slot is None:
            return
        question, subject = slot
        where = f" for {subject.label}" if subject else ""
        files = self.session.evidence.get((question.id, subject.id if subject else ""), [])
        if not files:
            self.notify(f"No file is attached to {question.id}{where}.")
            return

        def detach(link_id: str | None) -> None:
            item = next((f for f in files if f.id == link_id), None)
            if item is not None:
                app = self.auditkit
                app.save(detach_job(item, where))

        self.app.push_screen(DetachDialog(f"Files attached to {question.id}{where}", files), detach)

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

    def _go_to(self, question: Question, subject: Subject | None) -> None:
        """Highlight ``question``, for ``subject`` when it is asked per subject."""
        if subject is not None:
            self.chosen[question.subject] = subject.id
            self._load()
        self.query_one(QuestionList).go_to(question.id)
        self._show()
        self._show_title()

    def save_position(self) -> None:
        """Remember the current question (and subject) so reopening resumes here."""
        question = self.current
        if question is None:
            return
        subject = self._subject_for(question) if question.per_subject else None
        position = (question.id, subject.id if subject else "")
        if position == self._saved_position:
            return
        self._saved_position = position
        data = json.dumps({"question": position[0], "subject": position[1], "at": now()})
        app = self.auditkit
        app.save(
            Job(
                "meta", "the last question", lambda audit: audit.store.set_meta(LAST_QUESTION, data)
            )
        )

    def action_back(self) -> None:
        self.save_position()
        self.app.pop_screen()
