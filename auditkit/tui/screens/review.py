"""Review before finalizing: every No, Partial, N/A and short-of-full-points answer, by element.

What an auditor rereads before locking the audit (SafetyCulture's and the CP tools' "review"
step): each such answer with its question, subject, note and the names of the files attached to
it. Built from the session mirror (no read of the file); Enter opens that answer in the runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.protocol.model import Question
from auditkit.store.records import AnswerRow, Evidence, Subject
from auditkit.tui import viewer
from auditkit.tui.jobs import WriteOutcome
from auditkit.tui.keys import bindings
from auditkit.tui.labels import answer_word, mark
from auditkit.tui.safe import assemble, plain
from auditkit.tui.scope import Scope
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.session import Session
from auditkit.tui.widgets.footer import FittingFooter

NOT_FULL = ("no", "partial", "na")


@dataclass(frozen=True)
class ReviewItem:
    """One answer to look at again before finalizing."""

    question: Question
    subject: Subject | None
    row: AnswerRow
    files: tuple[Evidence, ...]


def short_of_full(question: Question, value: str | None) -> bool:
    """No, Partial, N/A, or fewer points than the question's full points."""
    if value is None:
        return False
    if value in NOT_FULL:
        return True
    return value.isdigit() and int(value) < question.points


def review_items(session: Session) -> list[tuple[str, list[ReviewItem]]]:
    """The answers to review, grouped by element (element heading, items) in protocol order."""
    protocol = session.protocol
    order = session.question_order
    rows = sorted(
        (row for row in session.answers.values() if protocol.has_question(row.question_id)),
        key=lambda r: (order.get(r.question_id, 0), r.subject_id),
    )
    groups: dict[str, list[ReviewItem]] = {}
    for row in rows:
        question = protocol.question(row.question_id)
        if not short_of_full(question, row.value):
            continue
        subject = session.subject(row.subject_id) if row.subject_id else None
        files = tuple(session.evidence.get((row.question_id, row.subject_id), ()))
        element = protocol.element(question.element)
        heading = f"{element.number} {element.title}"
        groups.setdefault(heading, []).append(ReviewItem(question, subject, row, files))
    return list(groups.items())


def item_prompt(item: ReviewItem) -> Text:
    """``✘ 5.O1 No · Yard  <question>`` then the note and the files, indented."""
    glyph, colour = mark(item.row.value)
    text = assemble(
        (f"{glyph} ", colour),
        (item.question.id, "bold"),
        " ",
        (answer_word(item.question, item.row.value), colour),
    )
    if item.subject is not None:
        text.append_text(assemble(" · ", (item.subject.label, "cyan")))
    text.append_text(assemble("  ", plain(item.question.text, limit=200)))
    note = item.row.note.replace("\n", " ").strip()
    text.append_text(
        assemble("\n    ", ("note: ", "dim"), plain(note, limit=400) if note else ("none", "red"))
    )
    if item.files:
        names = ", ".join(f.filename for f in item.files)
        text.append_text(assemble("\n    ", ("files: ", "dim"), plain(names, limit=400)))
    return text


class ReviewScreen(AuditkitScreen):
    """Read-only list of the answers to review; Enter opens one in the runner."""

    BINDINGS = bindings("next", "previous", "view-file", "finalize", "back")

    def __init__(self) -> None:
        super().__init__()
        self._items: list[ReviewItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-title")
        yield OptionList(id="review")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()
        self.follow_changes(self._on_change)

    def on_screen_resume(self) -> None:
        self._fill()  # answers may have changed in the runner opened from here

    def _on_change(self, change: WriteOutcome) -> None:
        if change.saved:
            self._fill()

    def _fill(self) -> None:
        options: list[Option] = []
        self._items = []
        for heading, items in review_items(self.session):
            options.append(Option(plain(heading, style="bold"), disabled=True))
            for item in items:
                options.append(Option(item_prompt(item), id=str(len(self._items))))
                self._items.append(item)
        count = len(self._items)
        missing = sum(1 for i in self._items if not i.row.note.strip())
        summary = (
            f"  {count} answer{'s' if count != 1 else ''} below full"
            f"{f', {missing} without a note' if missing else ''} · Enter opens one, O its file"
            if count
            else "  every answer is Yes or full points: nothing to review."
        )
        self.query_one("#review-title", Static).update(
            assemble(("Review before finalizing", "bold"), summary)
        )
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.set_options(options)
        if options:
            first = next(i for i, o in enumerate(options) if not o.disabled)
            listing.highlighted = highlighted if highlighted is not None else first

    @on(OptionList.OptionSelected, "#review")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        item = self._items[int(event.option.id)]
        scope = Scope(
            start=item.question.id, start_subject=item.subject.id if item.subject else None
        )
        self.auditkit.open_screen("runner", scope=scope)

    def action_view_file(self) -> None:
        """Open a file of the highlighted answer in the viewer (the photo of the finding)."""
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return
        item = self._items[int(option.id)]
        where = f" for {item.subject.label}" if item.subject else ""
        if not item.files:
            self.notify(f"No file is attached to {item.question.id}{where}.")
            return
        title = f"Open which file of {item.question.id}{where}?"
        viewer.view_files(self.auditkit, list(item.files), title)

    def action_finalize(self) -> None:
        self.auditkit.ask_finalize()

    def action_back(self) -> None:
        self.app.pop_screen()
