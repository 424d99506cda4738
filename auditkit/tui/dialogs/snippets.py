"""Choose one of the auditor's saved comments to insert into a note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain

SHOWN = 300  # characters of a long comment shown in the list; all of it is inserted


class SnippetPicker(ModalScreen[str | None]):
    """The saved comments, newest first; returns the one chosen, or None."""

    BINDINGS = bindings("back", back="cancel")

    def __init__(self, saved: list[str]) -> None:
        super().__init__()
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Insert one of your saved comments", classes="dialog-title")
            yield Label(
                "Enter inserts it at the cursor; ctrl+b in a note saves that note here.",
                classes="dialog-hint",
            )
            yield OptionList(
                *[Option(plain(text, limit=SHOWN), id=str(i)) for i, text in enumerate(self.saved)],
                id="snippets",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.saved[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
