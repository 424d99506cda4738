"""A yes/no question before something typed or stored is thrown away."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from auditkit.tui.keys import bindings


class ConfirmDialog(ModalScreen[bool]):
    """True when the auditor answers yes (y or Enter on Yes); False for no (n or Escape)."""

    BINDINGS = bindings(
        "yes", "no", "back", yes="answer(True)", no="answer(False)", back="answer(False)"
    )

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes}  y", variant="warning", id="yes")
                yield Button(f"{self.no}  n", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # Enter alone never throws anything away

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
