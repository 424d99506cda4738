"""The checklist runner's keys: answers, points, notes, files and clearing.

One key per answer. An answer is shown as pending until the writer reports it committed; a
refusal or a disk error leaves it unsaved and says so.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.widgets import OptionList

from auditkit.errors import AnswerRefused
from auditkit.protocol.model import Question
from auditkit.rules.progress import subjects_for
from auditkit.store.records import Evidence, Subject
from auditkit.tui import viewer
from auditkit.tui.answer_jobs import (
    answer_job,
    attach_job,
    clear_job,
    copy_job,
    detach_job,
    note_job,
    position_job,
)
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.dialogs.evidence import AttachDialog, Attachment, DetachDialog
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.dialogs.subject_picker import SubjectPicker
from auditkit.tui.finding_jobs import edit_finding
from auditkit.tui.keys import bindings, digit_bindings
from auditkit.tui.labels import KIND_NAMES, answer_word, subject_line
from auditkit.tui.screens.runner_view import RunnerView
from auditkit.tui.walk import unanswered
from auditkit.tui.widgets.mechanics import cascade_reason
from auditkit.tui.widgets.question_list import QuestionList


class RunnerScreen(RunnerView):
    """Answer questions from the keyboard."""

    # The footer fits 80 columns: one entry for the four answer keys, and "s" shows in the
    # pane whenever a question needs a subject. Help lists every key.
    BINDINGS = [
        *bindings("yes", footer={"yes": ("Answer", "y p n a")}),
        *bindings("partial", "no", "na"),
        *digit_bindings("digit"),
        *bindings(
            "edit",
            "attach",
            "remove-file",
            "view-file",
            "subject",
            "unanswered",
            "same-as",
            "finding",
            footer={"edit": ("Note", None)},
            edit="note",
        ),
        *bindings("next", "previous", "clear", "back"),
    ]

    @on(OptionList.OptionSelected, "#questions")
    def _selected(self) -> None:
        if self.digits:
            self._commit_digits()

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
        self.auditkit.save_undoable(answer_job(question.id, subject_id, value, where))
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

    def action_same_as(self) -> None:
        """Copy the current answer and its note to another subject of the same kind (the same
        finding at the other site), chosen from a list; ctrl+z undoes it like any answer."""
        question = self.current
        if question is None:
            return
        if not question.per_subject:
            self.notify(f"{question.id} is answered once for the audit.")
            return
        subject = self._subject_for(question)
        row = self.session.answers.get((question.id, subject.id)) if subject else None
        if subject is None or row is None or row.value is None:
            self.notify(f"Answer {question.id} for one subject first, then copy it.")
            return
        others = [s for s in subjects_for(question, self.session.subjects) if s.id != subject.id]
        kind = KIND_NAMES.get(question.subject, question.subject)
        if not others:
            self.notify(f"No other {kind} is asked {question.id}.", severity="warning")
            return
        sites = self.session.sites
        rows = [
            (s, subject_line(s, sites), self.session.answers.get((question.id, s.id)))
            for s in others
        ]
        source = row

        def chosen(target_id: str | None) -> None:
            target = self.session.subject(target_id) if target_id else None
            if target is not None:
                job = copy_job(question.id, source, target.id, f" for {target.label}")
                self.auditkit.save_undoable(job)
                self.notify(f"{question.id} for {target.label}: same as for {subject.label}.")

        word = answer_word(question, row.value)
        title = (
            f"Same as for {subject.label} ({word} and its note): "
            f"copy {question.id} to which {kind}?"
        )
        self.app.push_screen(SubjectPicker(question, kind, rows, title), chosen)

    def action_clear(self) -> None:
        question = self.current
        if question is None:
            return
        subject = self._subject_for(question) if question.per_subject else None
        if question.per_subject and subject is None:
            return
        subject_id = subject.id if subject else ""
        row = self.session.answers.get((question.id, subject_id))
        if row is None:
            self.notify(f"{question.id} has no answer to clear.")
            return
        where = f" for {subject.label}" if subject else ""
        what = "answer and note" if row.note else "answer" if row.value is not None else "note"

        def clear(yes: bool | None) -> None:
            if yes:
                self.auditkit.save_undoable(clear_job(question.id, subject_id))

        self.app.push_screen(
            ConfirmDialog(f"Clear the {what} of {question.id}{where}? (ctrl+z undoes it)", "Clear"),
            clear,
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
            self.auditkit.save_undoable(note_job(question.id, subject_id, text))

        where = f" for {subject.label}" if subject else ""
        title = f"Note on {question.id}{where}: {question.text}"
        self.app.push_screen(NoteDialog(title, row.note if row else ""), save)

    def action_finding(self) -> None:
        """The finding (note, SFI, priority, key) of the item the current question scores."""
        if self.current is not None:
            edit_finding(self.auditkit, self.session, self.current.id)

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

    def _attached(self, retry: Callable[[], None]) -> tuple[list[Evidence], str, str] | None:
        """The files attached to the answer in hand, its name ("5.O1 for Yard") and its
        subject part (" for Yard"); None, after saying so, when it has none."""
        slot = self._answer_slot(lambda s: retry())
        if slot is None:
            return None
        question, subject = slot
        where = f" for {subject.label}" if subject else ""
        files = self.session.evidence.get((question.id, subject.id if subject else ""), [])
        if not files:
            self.notify(f"No file is attached to {question.id}{where}.")
            return None
        return list(files), f"{question.id}{where}", where

    def action_detach(self) -> None:
        attached = self._attached(self.action_detach)
        if attached is None:
            return
        files, name, where = attached

        def detach(link_id: str | None) -> None:
            item = next((f for f in files if f.id == link_id), None)
            if item is not None:
                self.auditkit.save(detach_job(item, where))

        self.app.push_screen(DetachDialog(f"Files attached to {name}", files), detach)

    def action_view_file(self) -> None:
        """Open an attached file in the system's viewer (chosen from a list when there are
        several); without a display, say how to get it out."""
        attached = self._attached(self.action_view_file)
        if attached is not None:
            files, name, _ = attached
            viewer.view_files(self.auditkit, files, f"Open which file of {name}?")

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
        self.auditkit.save(position_job(*position))

    def action_back(self) -> None:
        self.save_position()
        self.app.pop_screen()
