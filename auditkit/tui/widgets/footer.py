"""The footer of every screen, showing only the keys that fit its width.

Textual's footer lays every key out in one row and cuts what does not fit (at 60 columns the
runner lost Quit and Help, and at 80 the palette key sat over Quit). This one leaves out the
screen's own keys from the last one back until the rest fits; Back, Quit and Help always
stay, and Help lists every key.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS = ("escape", "ctrl+q", "f1")  # back, quit, help: how to get anywhere else
GAP = 1  # columns between two keys
PALETTE = 12  # the palette key on the right, and the gap before it


def key_width(key: FooterKey) -> int:
    """Columns one compact key takes: its key, a space and its word."""
    return len(key.key_display) + (len(key.description) + 1 if key.description else 0)


class FittingFooter(Footer):
    """A compact footer that drops the keys it has no room for."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        shown = [w for w in super().compose() if isinstance(w, FooterKey)]
        palette = [w for w in shown if w.has_class("-command-palette")]
        keys = [w for w in shown if w not in palette]
        room = self.app.size.width - (PALETTE if palette else 0)
        while keys and sum(key_width(k) + GAP for k in keys) - GAP > room:
            droppable = [k for k in keys if k.key not in ALWAYS]
            if not droppable:
                break
            keys.remove(droppable[-1])
        self.styles.grid_size_columns = len(keys)
        yield from keys
        yield from palette

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)
