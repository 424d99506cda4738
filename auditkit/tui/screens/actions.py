"""The action plan: one action per SFI, and the actions carried from the last audit."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.audit import Audit
from auditkit.rules.actions import STATUSES, Action, action_plan, set_action, sorted_plan
from auditkit.tui.dialogs.action import ActionDialog, ActionInput
from auditkit.tui.jobs import Read, Write
from auditkit.tui.keys import bindings
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.footer import FittingFooter

STATUS_STYLE = {"open": ("○", "yellow"), "in-progress": ("◐", "cyan"), "done": ("●", "green")}


def _plan(audit: Audit) -> list[Action]:
    return sorted_plan(action_plan(audit))


class ActionsScreen(AuditkitScreen):
    """Edit an action (enter or e), move its status on (space); SFIs are written in the
    runner (w)."""

    BINDINGS = bindings("edit", "status", "back", footer={"edit": ("Owner, due, status", "enter")})

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text.assemble(
                ("Action plan", "bold"),
                "  one action per suggestion for improvement; carried ones come from the "
                "last audit",
            ),
            id="actions-title",
        )
        yield OptionList(id="actions")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.rows: list[Action] = []
        self._reload()
        self.query_one(OptionList).focus()

    def _reload(self) -> None:
        # The plan joins findings and actions: read it on the engine thread, off the UI thread.
        self.auditkit.read(Read("reading the action plan", _plan), self._show)

    def _reloaded(self, _: object) -> None:
        self._reload()

    def _show(self, rows: list[Action]) -> None:
        self.rows = rows
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.set_options(
            [self._option(a) for a in rows]
            or [
                Option(
                    Text("No action yet: write an SFI on an item from the runner (i).", "dim"),
                    disabled=True,
                )
            ]
        )
        if rows:
            options.highlighted = min(highlighted or 0, len(rows) - 1)

    def _option(self, a: Action) -> Option:
        glyph, colour = STATUS_STYLE.get(a.status, ("?", ""))
        facts = " · ".join(
            x
            for x in (
                a.priority and f"{a.priority} priority",
                a.owner or "no owner",
                a.due or "no due date",
                "OVERDUE" if a.overdue() else "",
                "carried from the last audit" if a.carried else "",
            )
            if x
        )
        return Option(
            Text.assemble(
                (f"{glyph} ", colour), (a.item, "bold"), f"  {a.text}", (f"\n   {facts}", "dim")
            ),
            id=a.id,
        )

    def _current(self) -> Action | None:
        option = self.query_one(OptionList).highlighted_option
        return next((a for a in self.rows if option is not None and a.id == option.id), None)

    def _save(self, action: Action, **changes: Any) -> None:
        self.auditkit.save(
            Write(f"action {action.id}", lambda audit: set_action(audit, action.id, **changes)),
            self._reloaded,
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return

        def edited(result: ActionInput | None) -> None:
            if result is not None:
                self._save(current, owner=result.owner, due=result.due, status=result.status)

        self.app.push_screen(ActionDialog(current), edited)

    def action_next_status(self) -> None:
        current = self._current()
        if current is not None:
            following = STATUSES[(STATUSES.index(current.status) + 1) % len(STATUSES)]
            self._save(current, status=following)

    def action_back(self) -> None:
        self.app.pop_screen()
