"""Every key, generated from the one table of keys (:mod:`auditkit.tui.keys`): what it means
and where it works, read from the screens' and dialogs' own bindings so it cannot drift."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from auditkit.tui.keys import DIGIT_MEANING, INFO_ONLY, KEYS, bindings

KEY_NAMES = {"escape": "esc", "delete": "del", "plus": "+", "equals_sign": "="}
# Dialogs, by where they are (screens are listed by SCREENS).
DIALOGS = {
    "Note": ("auditkit.tui.dialogs.note", "NoteDialog"),
    "Confirm": ("auditkit.tui.dialogs.confirm", "ConfirmDialog"),
    "Saved comments": ("auditkit.tui.dialogs.snippets", "SnippetPicker"),
    "Attach": ("auditkit.tui.dialogs.evidence", "AttachDialog"),
    "Forms": ("auditkit.tui.dialogs.subject_forms", "IncidentForm"),
    "Finalize": ("auditkit.tui.dialogs.finalize", "FinalizeDialog"),
    "Reason": ("auditkit.tui.dialogs.reason", "ReasonDialog"),
    "New audit": ("auditkit.tui.screens.new_audit", "NewAuditScreen"),
    "Staff and sample": ("auditkit.tui.dialogs.sample_profile", "SampleProfileDialog"),
    "Finding": ("auditkit.tui.dialogs.finding", "FindingDialog"),
}


def _ids(items: Iterable[BindingType]) -> set[str]:
    found = set()
    for item in items:
        if isinstance(item, Binding) and item.id:
            found.add("digits" if item.id.startswith("digit-") else item.id)
    return found


def where_keys_work() -> dict[str, list[str]]:
    """Key id -> the screens and dialogs that bind it ("Everywhere" for the app's)."""
    from auditkit.tui.app import AuditkitApp
    from auditkit.tui.screens import SCREENS, screen_class

    places: list[tuple[str, set[str]]] = [("Everywhere", _ids(AuditkitApp.BINDINGS))]
    for name, (_, _, title) in SCREENS.items():
        cls = screen_class(name)
        places.append((title, _ids(b for k in cls.__mro__ for b in vars(k).get("BINDINGS", ()))))
    for title, (module, cls_name) in DIALOGS.items():
        cls = getattr(importlib.import_module(module), cls_name)
        places.append((title, _ids(cls.BINDINGS)))
    where: dict[str, list[str]] = {}
    for title, ids in places:
        for key_id in ids:
            where.setdefault(key_id, []).append(title)
    return where


def keys_table() -> Table:
    """Key, meaning and where it works, in the table's order."""
    table = Table(box=None, show_header=True, header_style="bold", padding=(0, 1), expand=True)
    table.add_column("Key", style="bold cyan", no_wrap=True, width=8)
    table.add_column("What it does", ratio=3)
    table.add_column("Where", style="dim", ratio=2)
    where = where_keys_work()
    for key_id, spec in KEYS.items():
        places = "all lists, dialogs" if key_id in INFO_ONLY else ", ".join(where.get(key_id, ()))
        if not places:
            continue
        table.add_row(KEY_NAMES.get(spec.key, spec.key), Text(spec.meaning), places)
    table.add_row("0-9", DIGIT_MEANING, ", ".join(where.get("digits", ())))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key; esc or F1 closes."""

    BINDINGS = bindings("back", "help", back="dismiss", help="dismiss")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("auditkit keys", style="bold"))
            yield Static(
                Text(
                    "Every answer is saved to the audit file the moment it shows 'saved'; "
                    "ctrl+z undoes the last answer, note or clear. A key means the same "
                    "thing on every screen.\n",
                    style="dim",
                )
            )
            yield Static(keys_table())

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
