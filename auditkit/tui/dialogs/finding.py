"""The finding of one scored item: justification note, SFI, priority and the key flag."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, TextArea

from auditkit.rules.findings import PRIORITIES, Finding
from auditkit.tui.keys import bindings


@dataclass(frozen=True)
class FindingInput:
    """What the auditor saved: every field, as the dialog showed it."""

    note: str
    sfi: str
    priority: str
    key: bool


class FindingDialog(ModalScreen[FindingInput | None]):
    """Returns the finding as edited, or None when cancelled.

    ``draft`` is a proposed SFI; it goes into the SFI box only when the auditor asks for it
    (ctrl+r), and the report uses whatever the box holds when saved.
    """

    BINDINGS = bindings("save", "draft", "back", back="cancel")

    def __init__(self, item_id: str, text: str, finding: Finding, draft: str) -> None:
        super().__init__()
        self.item_id = item_id
        self.item_text = text
        self.finding = finding
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog finding"):
            # Protocol text is shown as text, never parsed as markup.
            yield Label(
                Text(f"Finding on {self.item_id}: {self.item_text}"), classes="dialog-title"
            )
            yield Label(
                "Justification note: answer the item, name the technique, one "
                "company-specific example; no names.",
                classes="dialog-hint",
            )
            yield TextArea(self.finding.note, id="finding-note", soft_wrap=True)
            yield Label(
                "Suggestion for improvement (SFI): specific and actionable. "
                "ctrl+r proposes a draft.",
                classes="dialog-hint",
            )
            yield TextArea(self.finding.sfi, id="finding-sfi", soft_wrap=True)
            with Horizontal(classes="dialog-buttons"):
                yield Select(
                    [(p.capitalize(), p) for p in PRIORITIES],
                    value=self.finding.priority or Select.NULL,
                    prompt="Priority",
                    id="finding-priority",
                )
                yield Checkbox("Key SFI (executive summary)", self.finding.key, id="finding-key")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#finding-note", TextArea).focus()

    def action_draft(self) -> None:
        area = self.query_one("#finding-sfi", TextArea)
        area.text = self.draft
        area.focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        priority = self.query_one("#finding-priority", Select).value
        self.dismiss(
            FindingInput(
                note=self.query_one("#finding-note", TextArea).text.strip(),
                sfi=self.query_one("#finding-sfi", TextArea).text.strip(),
                priority=priority if isinstance(priority, str) else "",
                key=self.query_one("#finding-key", Checkbox).value,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
