"""Write or edit the auditor's note on one answer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from auditkit.text import printable
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.dialogs.snippets import SnippetPicker
from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain
from auditkit.tui.snippets import keep, snippets


class NoteDialog(ModalScreen[str | None]):
    """Returns the new note, or None when cancelled."""

    BINDINGS = bindings("save", "insert-comment", "keep-comment", "back", back="cancel")

    HINT = (
        "What you checked, how, and one example; never a person's name. "
        "ctrl+o: your saved comments; ctrl+b: save this one."
    )

    def __init__(self, title: str, note: str, hint: str = HINT) -> None:
        super().__init__()
        self.title_text = title
        self.note = note
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield Label(self.hint, classes="dialog-hint")
            # A stored control character is edited as its visible escape (a raw ESC in the
            # editor would reach the terminal); saved again, the note keeps the escape.
            yield TextArea(printable(self.note), id="note-text", soft_wrap=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_insert_comment(self) -> None:
        """Choose a saved comment; it goes in at the cursor."""
        saved = snippets()
        if not saved:
            self.notify("No saved comment yet: ctrl+b saves the note you are writing.")
            return

        def chosen(text: str | None) -> None:
            area = self.query_one(TextArea)
            if text:
                area.insert(text)
            area.focus()

        self.app.push_screen(SnippetPicker(saved), chosen)

    def action_keep_comment(self) -> None:
        """Save the note as typed so far as one of the auditor's comments."""
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.notify("Type the comment first, then ctrl+b saves it.", severity="warning")
        elif keep(text):
            self.notify("Saved to your comments: ctrl+o inserts it in any note.")
        else:
            self.notify("Could not write your comments file.", severity="error")

    def unsaved(self) -> str:
        """What cancelling now would throw away ("" when the note is as it was)."""
        changed = self.query_one(TextArea).text.strip() != self.note.strip()
        return "the note you typed" if changed else ""

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        lost = self.unsaved()
        if not lost:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(f"Discard {lost}?", yes="Discard", no="Keep"), answered)


class CommentDialog(NoteDialog, inherit_bindings=False):
    """Reword one of the auditor's saved comments (from the saved-comments list)."""

    BINDINGS = bindings("save", "back", back="cancel")

    def __init__(self, comment: str) -> None:
        super().__init__(
            "Edit your saved comment",
            comment,
            "Change the wording; ctrl+s saves it in your comments, esc leaves it as it was.",
        )

    def unsaved(self) -> str:
        changed = self.query_one(TextArea).text.strip() != self.note.strip()
        return "the changes to your comment" if changed else ""
