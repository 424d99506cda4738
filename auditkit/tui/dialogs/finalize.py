"""Finalize: the score and whether every question is answered, then lock the audit or say why not.

The check shown here is the engine's (:func:`auditkit.rules.finalize.finalize` refuses an incomplete
audit too); the dialog only saves the auditor a refusal by saying it first.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from auditkit.rules.scoring import Scores, display_percent
from auditkit.tui.keys import bindings
from auditkit.tui.safe import assemble, plain

SHOWN_MISSING = 5


def missing_questions(scores: Scores) -> list[str]:
    """Ids of the questions with no answer at all, in protocol order."""
    return [q.question.id for q in scores.questions.values() if q.status == "unanswered"]


def score_summary(scores: Scores) -> Text:
    """``Overall 84.2 % (pass mark 80 %): passes`` and any element under its minimum."""
    verdict = ("passes", "green") if scores.passed else ("does not pass", "red")
    text = assemble(
        ("Overall ", "bold"),
        display_percent(scores.percent),
        f" (pass mark {scores.rule.overall} %): ",
        (verdict[0], verdict[1]),
    )
    for element in scores.failed_elements:
        text.append(
            f"\n  {element.number} {element.title}: {display_percent(element.percent)}"
            f", under its minimum of {element.minimum} %",
            style="red",
        )
    return text


def completion(scores: Scores) -> Text:
    """Every question answered, or how many are not and the first few ids."""
    if scores.complete:
        return Text(f"All {scores.total} questions answered.", style="green")
    missing = missing_questions(scores)
    shown = ", ".join(missing[:SHOWN_MISSING]) + (", …" if len(missing) > SHOWN_MISSING else "")
    return Text(
        f"Cannot finalize: {scores.unanswered} of {scores.total} questions unanswered ({shown}).",
        style="bold yellow",
    )


class FinalizeDialog(ModalScreen[bool]):
    """True when the auditor confirms; an incomplete audit offers the next unanswered instead."""

    BINDINGS = bindings(
        "save", "unanswered", "back", save="confirm", unanswered="jump", back="cancel"
    )

    def __init__(self, company: str, scores: Scores, jump: Callable[[], None]) -> None:
        super().__init__()
        self.company = company
        self.scores = scores
        self.jump = jump

    def compose(self) -> ComposeResult:
        complete = self.scores.complete
        with Vertical(classes="dialog", id="finalize"):
            yield Label(plain(f"Finalize the audit of {self.company}"), classes="dialog-title")
            yield Static(score_summary(self.scores))
            yield Static(completion(self.scores), id="completion")
            if complete:
                yield Label(
                    "Once finalized, every change needs a reason, kept in the journal "
                    "and listed in the report as an amendment.",
                    classes="dialog-hint",
                )
            with Horizontal(classes="dialog-buttons"):
                if complete:
                    yield Button("Finalize  ctrl+s", variant="warning", id="confirm")
                else:
                    yield Button("Next unanswered  u", variant="primary", id="jump")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm" if self.scores.complete else "#jump", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.scores.complete:
            self.dismiss(True)

    @on(Button.Pressed, "#jump")
    def action_jump(self) -> None:
        if not self.scores.complete:
            self.dismiss(False)
            self.app.call_later(self.jump)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
