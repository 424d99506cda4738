"""One action of the plan: who carries it out, by when, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from auditkit.rules.actions import STATUSES, Action


@dataclass(frozen=True)
class ActionInput:
    owner: str
    due: str
    status: str


class ActionDialog(ModalScreen[ActionInput | None]):
    """Returns the owner, due date and status as edited, or None when cancelled.

    The due date is checked by the engine when saved; a date that is not one is refused there
    and the refusal shown, so the rule lives in one place.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save action", id="save-action"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, action: Action) -> None:
        super().__init__()
        self.action_row = action

    def compose(self) -> ComposeResult:
        a = self.action_row
        with Vertical(classes="dialog"):
            yield Label(Text(f"Action {a.id}: {a.text}"), classes="dialog-title")
            yield Label(
                "Owner: a role at the employer, not a name if it can be avoided.",
                classes="dialog-hint",
            )
            yield Input(a.owner, placeholder="e.g. Operations manager", id="action-owner")
            yield Label("Due date (YYYY-MM-DD)", classes="dialog-hint")
            yield Input(a.due, placeholder="2027-03-31", id="action-due")
            yield Select(
                [(s.replace("-", " ").capitalize(), s) for s in STATUSES],
                value=a.status,
                allow_blank=False,
                id="action-status",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#action-owner", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        status = self.query_one("#action-status", Select).value
        self.dismiss(
            ActionInput(
                owner=self.query_one("#action-owner", Input).value.strip(),
                due=self.query_one("#action-due", Input).value.strip(),
                status=status if isinstance(status, str) else self.action_row.status,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
