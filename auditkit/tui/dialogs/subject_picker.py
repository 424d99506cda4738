"""Which site, interviewee or incident an answer is for."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from auditkit.protocol.model import Question
from auditkit.store.records import AnswerRow, Subject
from auditkit.tui.keys import bindings
from auditkit.tui.labels import answer_word, mark
from auditkit.tui.safe import assemble, plain


class SubjectPicker(ModalScreen[str | None]):
    """Lists the subjects a question is asked of, each with its answer; returns an id."""

    BINDINGS = bindings("back", back="cancel")

    def __init__(
        self,
        question: Question,
        kind: str,
        rows: list[tuple[Subject, str, AnswerRow | None]],
        title: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title or f"Which {kind} is the answer to {question.id} for?"
        self.question = question
        self.kind = kind
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield OptionList(*[self._option(*row) for row in self.rows], id="subjects")

    def _option(self, subject: Subject, line: str, row: AnswerRow | None) -> Option:
        value = row.value if row else None
        glyph, colour = mark(value)
        prompt = assemble(
            (glyph + " ", colour), line, "  ", (answer_word(self.question, value), "dim")
        )
        return Option(prompt, id=subject.id)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        first_open = next(
            (i for i, (_, _, row) in enumerate(self.rows) if row is None or row.value is None), 0
        )
        options.highlighted = first_open
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
