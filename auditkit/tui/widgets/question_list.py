"""The runner's list of questions, grouped by element, one line each with a status mark."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from auditkit.protocol import Element, Question


class QuestionOption(Option):
    """A question's line; its id is the question id."""

    def __init__(self, question: Question, mark: tuple[str, str]) -> None:
        self.question = question
        super().__init__(self.line(question, mark), id=question.id)

    @staticmethod
    def line(question: Question, mark: tuple[str, str]) -> Text:
        glyph, colour = mark
        text = Text.assemble((f"{glyph} ", colour), (f"{question.id:<7}", "bold"),
                             question.text, no_wrap=True, overflow="ellipsis")
        return text


class ElementHeading(Option):
    """An element's heading between its questions; never highlighted."""

    def __init__(self, element: Element) -> None:
        super().__init__(Text(f"{element.number}  {element.title}", style="bold underline",
                              no_wrap=True, overflow="ellipsis"), disabled=True)


class QuestionList(OptionList):
    """Questions grouped by element; loaded in one ``set_options`` call."""

    DEFAULT_CSS = """
    QuestionList { height: 1fr; }
    """

    def load(self, groups: Iterable[tuple[Element, list[tuple[Question, tuple[str, str]]]]]) -> None:
        options: list[Option] = []
        for element, questions in groups:
            options.append(ElementHeading(element))
            options.extend(QuestionOption(q, mark) for q, mark in questions)
        self.set_options(options)

    def set_mark(self, question: Question, mark: tuple[str, str]) -> None:
        """Redraw one question's line (its height never changes, so nothing else is redone)."""
        self.replace_option_prompt(question.id, QuestionOption.line(question, mark))

    @property
    def question(self) -> Question | None:
        option = self.highlighted_option
        return option.question if isinstance(option, QuestionOption) else None

    def go_to(self, question_id: str) -> bool:
        try:
            self.highlighted = self.get_option_index(question_id)
        except OptionDoesNotExist:
            return False
        return True

