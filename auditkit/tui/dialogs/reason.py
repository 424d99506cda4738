"""Why a finalized audit is being changed: asked before each change, and kept in the journal."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain


class ReasonDialog(ModalScreen[str | None]):
    """Returns the reason, or None when the auditor cancels (the change is then not made)."""

    BINDINGS = bindings("save", "back", back="cancel")

    def __init__(self, change: str, finalized_on: str, last_reason: str) -> None:
        super().__init__()
        self.change = change
        self.finalized_on = finalized_on
        self.last_reason = last_reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"The audit was finalized on {self.finalized_on}", classes="dialog-title")
            yield Label(
                plain(
                    f"This change ({self.change}) is an amendment: say why. The reason is "
                    "kept in the journal and listed in the report."
                ),
                classes="dialog-hint",
            )
            yield Input(
                self.last_reason,
                placeholder="e.g. corrected after the closing meeting",
                id="reason",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record  enter", variant="warning", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        reason = self.query_one(Input).value.strip()
        if not reason:
            self.notify("Give a reason, or esc to cancel the change.", severity="warning")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
