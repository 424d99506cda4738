"""Who is writing: asked once per computer when an audit lists several auditors (or none)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain

SOMEONE_ELSE = "someone-else"


class AuthorDialog(ModalScreen[str | None]):
    """The profile's auditors and "someone else"; returns a name, or None to decide later."""

    BINDINGS = bindings("back", back="cancel")

    def __init__(self, auditors: list[str], current: str) -> None:
        super().__init__()
        self.auditors = auditors
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Who is auditing on this computer?", classes="dialog-title")
            yield Label(
                "Your name goes with every change you make, in the journal and the "
                "report's history.",
                classes="dialog-hint",
            )
            yield OptionList(
                *[Option(plain(name), id=f"auditor-{i}") for i, name in enumerate(self.auditors)],
                Option("Someone else…", id=SOMEONE_ELSE),
                id="auditors",
            )
            yield Input(placeholder="Your name, as the report should show it", id="other-name")

    def on_mount(self) -> None:
        self.query_one("#other-name").display = False
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == SOMEONE_ELSE:
            name = self.query_one("#other-name", Input)
            name.display = True
            name.focus()
            return
        self.dismiss(self.auditors[int((event.option.id or "auditor-0").rpartition("-")[2])])

    @on(Input.Submitted, "#other-name")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.notify(
            f"Changes are recorded as {self.current!r} until you choose "
            "(ctrl+p, 'Who is auditing').",
            severity="warning",
            timeout=8,
        )
        self.dismiss(None)
