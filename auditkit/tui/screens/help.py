"""Every key of every screen, read from the screens' own bindings so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

KEY_NAMES = {"escape": "esc", "delete": "del", "enter": "enter", "ctrl+q": "ctrl+q"}
# Bindings whose footer entry stands for several keys: what the key itself does.
OWN_WORDS = {
    "answer-yes": "Yes",
    "publish-audit": "Publish the audit to the portfolio (when AUDITKIT_DB is set)",
    "publish-open-audit": "Publish this audit to the portfolio (AUDITKIT_DB)",
    "pull-audit": "Pull the highlighted portfolio audit into a new file and open it",
}
# Actions bound to each digit: one line for all of them.
DIGIT_GROUPS = {
    "digit": (
        "0-9",
        "Points, for range questions answered once (Enter when more digits could follow)",
    ),
    "keep": ("1-9", "Keep that side of the highlighted conflict"),
}


def _bindings_table(title: str, bindings: list[Binding | tuple[str, ...]]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        show_header=False,
        padding=(0, 2),
    )
    table.add_column(style="bold cyan", no_wrap=True, width=10)
    table.add_column()
    seen: set[str] = set()
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        group = item.action.partition("(")[0]
        if group in DIGIT_GROUPS:
            if group not in seen:
                table.add_row(*DIGIT_GROUPS[group])
            seen.add(group)
            continue
        table.add_row(
            KEY_NAMES.get(item.key, item.key),
            OWN_WORDS.get(item.id or "", item.description or item.action),
        )
    return table


class HelpScreen(ModalScreen[None]):
    """Keys by screen; esc or F1 closes."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="close-help")]

    def compose(self) -> ComposeResult:
        from auditkit.tui.app import AuditkitApp
        from auditkit.tui.screens import SCREENS, screen_class

        parts: list[Text | Table] = [
            Text("auditkit keys", style="bold"),
            Text(
                "Every answer is saved to the audit file the moment it shows 'saved'. "
                "ctrl+p opens the command palette: type a question id or words of its "
                "text to jump to it.\n",
                style="dim",
            ),
            _bindings_table("Everywhere", list(AuditkitApp.BINDINGS)),
        ]
        for name, (_, _, title) in SCREENS.items():
            screen = screen_class(name)
            parts.append(Text(""))
            inherited = [
                b
                for cls in reversed(screen.__mro__)
                if "BINDINGS" in vars(cls)
                and issubclass(cls, Screen)
                and cls.__module__.startswith("auditkit")
                for b in vars(cls)["BINDINGS"]
            ]
            parts.append(_bindings_table(title, inherited))
        with VerticalScroll(classes="dialog help"):
            for part in parts:
                yield Static(part)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
