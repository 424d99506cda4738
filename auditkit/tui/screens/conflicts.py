"""Merge conflicts: answers two auditors changed differently, and which side to keep.

After ``auditkit merge`` the later change is kept; this screen lists each conflict with every
side, and a digit keeps another one (the engine's :func:`auditkit.team.conflicts.pick`, recorded as
a new change by this auditor). Reading the journal and picking both run on the writer.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.audit import Audit
from auditkit.store.records import AnswerRow
from auditkit.team.conflicts import Conflict, conflicts, pick
from auditkit.tui.jobs import Cleared, Read, Write
from auditkit.tui.keys import bindings, digit_bindings
from auditkit.tui.labels import count
from auditkit.tui.safe import assemble
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.footer import FittingFooter


def read_conflicts(audit: Audit) -> list[Conflict]:
    """Every conflicting answer of the open audit (reads the whole journal: run off the UI)."""
    return conflicts(audit)


def keep_side(conflict: Conflict, index: int) -> Write[AnswerRow | Cleared]:
    """The write that keeps side ``index`` of ``conflict``; its result is the answer as now
    stored (or the slot cleared), so the session mirror follows."""
    key = (conflict.question_id, conflict.subject_id)
    side = conflict.sides[index]

    def run(audit: Audit) -> AnswerRow | Cleared:
        pick(audit, conflict, index)
        kept = (a for a in audit.answers() if (a.question_id, a.subject_id) == key)
        return next(kept, None) or Cleared(key)

    where = f" for {conflict.subject}" if conflict.subject else ""
    return Write(
        f"keeping {side.describe()} on {conflict.question_id}{where}",
        run,
        key=key,
    )


def conflict_prompt(conflict: Conflict) -> Text:
    """The question and subject, then each side numbered; the kept one marked."""
    where = f"  {conflict.subject}" if conflict.subject else ""
    text = assemble((conflict.question_id, "bold"), (where, "dim"))
    for number, side in enumerate(conflict.sides, start=1):
        kept = side is conflict.kept
        text.append_text(
            assemble(
                f"\n  {number} ",
                ("kept  " if kept else "      ", "green" if kept else ""),
                side.describe(),
            )
        )
    return text


class ConflictsScreen(AuditkitScreen):
    """One option per conflict; a digit keeps that side of the highlighted one."""

    BINDINGS = [
        *digit_bindings("keep", "123456789", shown=True),
        *bindings("next", "previous", "back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("[b]Merge conflicts[/b]  reading the journal…", id="conflicts-title")
        yield OptionList(id="conflicts")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.found: list[Conflict] = []
        self._reload()
        self.query_one(OptionList).focus()

    def _reload(self, *_: object) -> None:
        self.auditkit.read(Read("reading the merge conflicts", read_conflicts), self._show)

    def _show(self, found: list[Conflict]) -> None:
        self.found = found
        title = self.query_one("#conflicts-title", Static)
        title.update(
            assemble(
                ("Merge conflicts", "bold"),
                f"  {count(len(found), 'answer')} changed differently on two laptops; "
                "the later change was kept. A digit keeps another side."
                if found
                else "  none: nothing to review.",
            )
        )
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.set_options(
            [Option(conflict_prompt(c), id=f"{c.question_id}|{c.subject_id}") for c in found]
        )
        if found:
            options.highlighted = min(highlighted or 0, len(found) - 1)

    def action_keep(self, number: int) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.found):
            return
        conflict = self.found[index]
        if number > len(conflict.sides):
            self.notify(
                f"{conflict.question_id} has {len(conflict.sides)} sides.", severity="warning"
            )
            return
        if conflict.sides[number - 1] is conflict.kept:
            self.notify("That side is already the one kept.")
            return
        # Whether kept or refused, the list is read again: it shows what the file holds.
        self.auditkit.save(keep_side(conflict, number - 1), self._reload, self._reload)

    def action_back(self) -> None:
        self.app.pop_screen()
