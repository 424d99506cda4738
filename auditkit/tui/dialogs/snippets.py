"""Choose one of the auditor's saved comments to insert into a note; reword or delete one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from auditkit.text import printable
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain
from auditkit.tui.snippets import forget, reword, snippets

SHOWN = 300  # characters of a long comment shown in the list; all of it is inserted


class SnippetPicker(ModalScreen[str | None]):
    """The saved comments, newest first; returns the one chosen, or None. e rewords the
    highlighted one, Delete removes it (both change the auditor's list at once)."""

    BINDINGS = bindings(
        "edit", "clear", "back", edit="edit_comment", clear="delete_comment", back="cancel"
    )

    def __init__(self, saved: list[str]) -> None:
        super().__init__()
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Insert one of your saved comments", classes="dialog-title")
            yield Label(
                "Enter inserts it at the cursor; e rewords it, Delete removes it; ctrl+b in "
                "a note saves that note here.",
                classes="dialog-hint",
            )
            yield OptionList(id="snippets")

    def on_mount(self) -> None:
        self._list(0)
        self.query_one(OptionList).focus()

    def _list(self, highlighted: int) -> None:
        options = self.query_one(OptionList)
        options.set_options(
            Option(plain(text, limit=SHOWN), id=str(i)) for i, text in enumerate(self.saved)
        )
        if self.saved:
            options.highlighted = min(highlighted, len(self.saved) - 1)

    def _highlighted(self) -> tuple[int, str] | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.saved):
            return None
        return index, self.saved[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.saved[int(event.option.id or 0)])

    def action_delete_comment(self) -> None:
        """Delete the highlighted comment from the auditor's list (asks first)."""
        found = self._highlighted()
        if found is None:
            return
        index, text = found

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            if not forget(text):
                self.notify("Could not write your comments file.", severity="error")
                return
            self.saved = snippets()
            self.notify("Saved comment deleted.")
            if not self.saved:
                self.dismiss(None)
                return
            self._list(index)

        preview = printable(text if len(text) <= 24 else text[:23] + "…")  # one line at 60
        self.app.push_screen(
            ConfirmDialog(f"Delete the saved comment '{preview}'?", "Delete", "Keep"), answered
        )

    def action_edit_comment(self) -> None:
        """Reword the highlighted comment; it keeps its place in the list."""
        from auditkit.tui.dialogs.note import CommentDialog  # the note dialog opens this list

        found = self._highlighted()
        if found is None:
            return
        index, text = found

        def edited(new: str | None) -> None:
            if new is None or new == text:
                return
            if not new:
                self.notify("A comment cannot be empty: Delete removes it.", severity="warning")
                return
            if not reword(text, new):
                self.notify("Could not write your comments file.", severity="error")
                return
            self.saved = snippets()
            self._list(self.saved.index(new) if new in self.saved else index)

        self.app.push_screen(CommentDialog(text), edited)

    def action_cancel(self) -> None:
        self.dismiss(None)
