"""Amendments: every change made after the audit was finalized, with who, when and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.audit import Audit
from auditkit.rules.finalize import Amendment, amendments
from auditkit.tui.jobs import Read, WriteOutcome
from auditkit.tui.keys import bindings
from auditkit.tui.safe import assemble
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.footer import FittingFooter


def read_amendments(audit: Audit) -> list[Amendment]:
    """The engine's list (reads the whole journal: run on the writer, off the UI thread)."""
    return amendments(audit)


def amendment_prompt(item: Amendment) -> Text:
    """``2026-11-20 14:02  Dana Whitford  answer 5.O1 for site 'Yard': no -> yes`` and,
    indented below, the reason."""
    return assemble(
        (f"{item.at[:10]} {item.at[11:16]}", "dim"),
        "  ",
        (item.author, "bold"),
        "  ",
        item.change,
        "\n   ",
        ("why: ", "dim"),
        (item.reason, "italic"),
    )


class AmendmentsScreen(AuditkitScreen):
    """Read-only: the list refreshes after each change saved while it is shown."""

    BINDINGS = bindings("next", "previous", "back")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("[b]Amendments[/b]  reading the journal…", id="amendments-title")
        yield OptionList(id="amendments")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._reload()
        self.query_one(OptionList).focus()
        self.follow_changes(self._on_change)

    def _reload(self) -> None:
        app = self.auditkit
        app.read(Read("reading the amendments", read_amendments), self._show)

    def _on_change(self, change: WriteOutcome) -> None:
        if change.saved:
            self._reload()

    def _show(self, found: list[Amendment]) -> None:
        finalized = self.session.finalized_at
        if finalized is None:
            summary = "  the audit is not finalized: changes need no reason yet."
        else:
            changes = (
                f"{len(found)} change{'s' if len(found) != 1 else ''} since, each with its reason"
                if found
                else "no change since."
            )
            summary = f"  finalized on {finalized[:10]}; {changes}"
        self.query_one("#amendments-title", Static).update(
            assemble(("Amendments", "bold"), summary)
        )
        self.query_one(OptionList).set_options(
            [Option(amendment_prompt(a), id=a.entry_id) for a in found]
        )

    def action_back(self) -> None:
        self.app.pop_screen()
