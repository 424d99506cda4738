"""The runner's list of questions, grouped by element, one line each with a status mark."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from auditkit.protocol.model import Element, Question
from auditkit.tui.safe import assemble


class QuestionOption(Option):
    """A question's line; its id is the question id."""

    def __init__(self, question: Question, mark: tuple[str, str]) -> None:
        self.question = question
        super().__init__(self.line(question, mark), id=question.id)

    @staticmethod
    def line(question: Question, mark: tuple[str, str]) -> Text:
        glyph, colour = mark
        text = assemble(
            (f"{glyph} ", colour),
            (f"{question.id:<7}", "bold"),
            question.text,
            no_wrap=True,
            overflow="ellipsis",
        )
        return text


class ElementHeading(Option):
    """An element's heading between its questions; never highlighted."""

    def __init__(self, element: Element) -> None:
        super().__init__(
            assemble(
                (f"{element.number}  {element.title}", "bold underline"),
                no_wrap=True,
                overflow="ellipsis",
            ),
            disabled=True,
        )


class QuestionList(OptionList):
    """Questions grouped by element; loaded in one ``set_options`` call.

    Every line is exactly one row (no wrapping, see the stylesheet), which lets this list skip
    what makes a plain OptionList slow at a few thousand options: measuring every option's
    height after each change. A new mark or a moved highlight redraws only the lines it
    touches, not every visible line. It relies on OptionList internals (``_line_cache``,
    ``_option_render_cache``) as of Textual 8; the runner's benchmark and tests guard them.
    """

    DEFAULT_CSS = """
    QuestionList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    # Not repainting the whole list when the highlight moves: the watcher redraws two lines.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    # Textual calls a watcher with (old, new) when it takes two arguments; the base class
    # declares the one-argument form, hence the override.
    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(new)
        for index in (old, new):
            if index is not None:
                self.refresh_line(index)  # one row per option: the index is the line

    def load(
        self, groups: Iterable[tuple[Element, list[tuple[Question, tuple[str, str]]]]]
    ) -> None:
        options: list[Option] = []
        for element, questions in groups:
            options.append(ElementHeading(element))
            options.extend(QuestionOption(q, mark) for q, mark in questions)
        self.set_options(options)

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        count = len(self.options)
        cache = self._line_cache
        if len(cache.lines) != count:
            cache.lines = [(index, 0) for index in range(count)]
            cache.heights = dict.fromkeys(range(count), 1)
            cache.index_to_line = {index: index for index in range(count)}
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, count)
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def set_mark(self, question: Question, mark: tuple[str, str]) -> None:
        """Redraw one question's line; its height stays one row, so no line is re-measured."""
        option = self.get_option(question.id)
        option._set_prompt(QuestionOption.line(question, mark))
        cache = self._option_render_cache
        # LRUCache has keys() but no __iter__, so the usual `key in cache` does not apply.
        for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118
            cache.discard(key)
        self.refresh_line(self.get_option_index(question.id))

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
