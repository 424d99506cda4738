"""Finalize: the score, the QA check, then lock the audit or say why not.

The check shown here is the engine's (:func:`auditkit.rules.finalize.finalize` refuses an
incomplete audit, and one the QA check has errors for, too); the dialog only saves the auditor a
refusal by saying it first. Sampling shortfalls alone can be accepted with a deviation.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from auditkit.rules.qa_check import SAMPLE_CODES
from auditkit.rules.scoring import Scores, display_percent
from auditkit.tui.keys import bindings
from auditkit.tui.labels import count
from auditkit.tui.safe import assemble, plain
from auditkit.tui.widgets.qa_panel import QAPanel, QAState

SHOWN_MISSING = 5


def missing_questions(scores: Scores) -> list[str]:
    """Ids of the questions with no answer at all, in protocol order."""
    return [q.question.id for q in scores.questions.values() if q.status == "unanswered"]


def score_summary(scores: Scores, problems: int = 0) -> Text:
    """``Overall 84.2 % (pass mark 80 %): passes`` and any element under its minimum; never
    "passes" while the QA check has ``problems`` (errors)."""
    verdict = ("passes", "green") if scores.passed else ("does not pass", "red")
    if scores.passed and problems:
        plural = "s" if problems != 1 else ""
        verdict = (f"would pass on score — not submittable: {problems} problem{plural}", "yellow")
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
    """Every scored item answered, or how many are not and the first unanswered questions."""
    if scores.complete:
        return Text(f"All {count(scores.total, 'scored item')} answered.", style="green")
    missing = missing_questions(scores)
    shown = ", ".join(missing[:SHOWN_MISSING]) + (", …" if len(missing) > SHOWN_MISSING else "")
    return Text(
        f"Cannot finalize: {scores.unanswered} of {count(scores.total, 'scored item')} "
        f"unanswered ({shown}).",
        style="bold yellow",
    )


class FinalizeDialog(ModalScreen[bool | str]):
    """True (or the deviation's text) when the auditor confirms; otherwise the QA problems,
    each a jump to what fixes it, and the next unanswered question."""

    BINDINGS = bindings(
        "save",
        "unanswered",
        "review",
        "back",
        save="confirm",
        unanswered="jump",
        review="review",
        back="cancel",
    )

    def __init__(
        self,
        company: str,
        scores: Scores,
        jump: Callable[[], None],
        qa: QAState | None = None,
        fix: Callable[[QAPanel.Jump], None] | None = None,
    ) -> None:
        super().__init__()
        self.company = company
        self.scores = scores
        self.jump = jump
        self.qa = qa
        self.fix = fix

    @property
    def sample_only(self) -> bool:
        """Every blocking problem is a sampling shortfall: a deviation may accept them."""
        blocking = self.qa.blocking if self.qa is not None else ()
        return bool(blocking) and all(p.code in SAMPLE_CODES for p in blocking)

    @property
    def ready(self) -> bool:
        return self.scores.complete and (self.qa is None or not self.qa.blocking)

    def compose(self) -> ComposeResult:
        complete = self.scores.complete
        with Vertical(classes="dialog", id="finalize"):
            yield Label(plain(f"Finalize the audit of {self.company}"), classes="dialog-title")
            problems = len(self.qa.blocking) if self.qa is not None else 0
            yield Static(score_summary(self.scores, problems))
            yield Static(completion(self.scores), id="completion")
            if self.qa is not None and self.qa.result.problems:
                yield QAPanel(id="finalize-qa")
            if complete and self.sample_only:
                yield Label(
                    "Only the sample falls short: say why (the deviation is printed in the "
                    "report's scope) to finalize anyway.",
                    classes="dialog-hint",
                )
                yield Input(placeholder="Deviation: why the sample falls short", id="deviation")
            if self.ready or (complete and self.sample_only):
                yield Label(
                    "Once finalized, every change needs a reason, kept in the journal "
                    "and listed in the report as an amendment.",
                    classes="dialog-hint",
                )
            with Horizontal(classes="dialog-buttons"):
                if self.ready or (complete and self.sample_only):
                    yield Button("Finalize  ctrl+s", variant="warning", id="confirm")
                if not complete:
                    yield Button("Next unanswered  u", variant="primary", id="jump")
                yield Button("Review  v", id="review")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        if self.qa is not None and self.qa.result.problems:
            self.query_one(QAPanel).show(self.qa)
        if not self.scores.complete:
            self.query_one("#jump", Button).focus()
        elif self.sample_only:
            self.query_one("#deviation", Input).focus()
        elif self.ready:
            self.query_one("#confirm", Button).focus()
        else:
            self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.ready:
            self.dismiss(True)
        elif self.scores.complete and self.sample_only:
            text = self.query_one("#deviation", Input).value.strip()
            if not text:
                self.notify("Say why the sample falls short first.", severity="warning")
                return
            self.dismiss(text)

    @on(QAPanel.Jump)
    def _fix(self, event: QAPanel.Jump) -> None:
        event.stop()
        self.dismiss(False)
        if self.fix is not None:
            fix = self.fix
            self.app.call_later(lambda: fix(event))

    @on(Button.Pressed, "#jump")
    def action_jump(self) -> None:
        if not self.scores.complete:
            self.dismiss(False)
            self.app.call_later(self.jump)

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        """Every No, Partial and N/A with its note and files, before locking them."""
        self.dismiss(False)
        open_screen = getattr(self.app, "open_screen", None)
        if open_screen is not None:
            self.app.call_later(lambda: open_screen("review"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
