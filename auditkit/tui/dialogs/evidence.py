"""Attach files to an answer, or pick one to remove or to open."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.store.records import Evidence, file_size
from auditkit.tui.keys import bindings
from auditkit.tui.safe import assemble, plain


@dataclass(frozen=True)
class Attachment:
    """What the auditor asked to attach: the paths and one caption for them all."""

    paths: tuple[str, ...]
    caption: str


class PathSuggester(Suggester):
    """Completes the last part of a path from its folder's entries (folders end with ``/``)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        folder, slash, start = value.rpartition("/")
        where = Path(os.path.expanduser(folder + slash)) if slash else Path(".")
        hidden = start.startswith(".")  # hidden files only when asked for
        try:
            names = sorted(
                entry.name + ("/" if entry.is_dir() else "")
                for entry in os.scandir(where)
                if entry.name.startswith(start) and (hidden or not entry.name.startswith("."))
            )
        except OSError:
            return None
        return value + names[0][len(start) :] if names and names[0] != start else None


def evidence_line(item: Evidence) -> Text:
    """``site-photo.jpg  1.2 MB  'Guard missing'``."""
    return assemble(
        (item.filename, "bold"),
        f"  {file_size(item.size)}",
        (f"  {item.caption!r}" if item.caption else "", "italic"),
    )


class AttachDialog(ModalScreen[Attachment | None]):
    """One path at a time (Enter adds it to the list), a caption, then ctrl+s attaches."""

    BINDINGS = bindings("save", "back", save="attach", back="cancel")

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.paths: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="attach"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield Label(
                "Type a path (→ completes it), Enter adds it; add as many as you like. "
                "The files are copied into the audit file.",
                classes="dialog-hint",
            )
            yield Input(placeholder="~/photos/guard.jpg", suggester=PathSuggester(), id="path")
            yield Static(Text("No file yet.", style="dim"), id="chosen")
            yield Input(placeholder="Caption for these files (optional)", id="caption")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Attach  ctrl+s", variant="primary", id="attach")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path").focus()

    @on(Input.Submitted, "#path")
    def _add_path(self, event: Input.Submitted) -> None:
        typed = event.input.value.strip()  # now, not when sent: a quick second Enter is empty
        if not typed:
            self.query_one("#caption").focus()
            return
        path = os.path.expanduser(typed)
        if path not in self.paths:
            self.paths.append(path)
        event.input.value = ""
        self.query_one("#chosen", Static).update(
            Text("\n").join(assemble(("+ ", "green"), p) for p in self.paths)
        )

    @on(Input.Submitted, "#caption")
    @on(Button.Pressed, "#attach")
    def action_attach(self) -> None:
        typed = self.query_one("#path", Input).value.strip()
        paths = self.paths + ([os.path.expanduser(typed)] if typed else [])
        if not paths:
            self.notify("Type the path of a file first.", severity="warning")
            self.query_one("#path").focus()
            return
        self.dismiss(
            Attachment(tuple(dict.fromkeys(paths)), self.query_one("#caption", Input).value.strip())
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class FilePicker(ModalScreen[str | None]):
    """An answer's files; Enter chooses the highlighted one (returns its link id)."""

    BINDINGS = bindings("back", back="cancel")
    HINT = "Enter chooses the highlighted file; esc closes."

    def __init__(self, title: str, items: list[Evidence]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield Label(self.HINT, classes="dialog-hint")
            yield OptionList(
                *[Option(evidence_line(item), id=item.id) for item in self.items], id="files"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DetachDialog(FilePicker):
    """The answer's files; Enter removes the highlighted one from the answer."""

    HINT = "Enter removes the highlighted file from this answer; esc keeps them all."


class ViewDialog(FilePicker):
    """The answer's files; Enter opens the highlighted one in the system's viewer."""

    HINT = "Enter opens the highlighted file in the viewer; esc closes."
