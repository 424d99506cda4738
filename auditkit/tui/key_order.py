"""Keys typed in one burst reach the screen the earlier keys opened.

Textual hands each key to the focused widget at once and runs a screen's binding only when the
key comes back up to the app unhandled; so in "+Acme" typed quickly (a paste, tmux send-keys, a
fast typist on a slow laptop) the letters were all handed to the list under the New-audit
form before "+" had opened it, came back unhandled, and were lost: the form got nothing. Here
a key that comes back from a screen that is no longer the one shown is delivered again, to the
screen now shown, once it is mounted and its first field focused, in the order typed.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App
from textual.screen import Screen

MOUNT_WAIT = 2.0  # seconds: a screen that never finishes mounting does not hold keys longer


class KeysInOrder(App[None]):
    """An app whose keys follow a screen change made by the keys typed before them."""

    def __init__(self) -> None:
        super().__init__()
        self._key_screens: WeakKeyDictionary[events.Key, Screen[object]] = WeakKeyDictionary()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._key_screens[event] = self.screen  # where it was sent: see _on_key
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        sent_to = self._key_screens.pop(event, None)
        if sent_to is None or sent_to is self.screen:
            return  # as usual: App._on_key runs next and checks the screen's bindings
        # Typed before the screen changed, it went to the screen before: give it to this one.
        event.prevent_default()
        screen = self.screen
        if not screen.is_mounted:
            with suppress(TimeoutError):
                await asyncio.wait_for(screen._mounted_event.wait(), MOUNT_WAIT)
        # After the screen's own focus request (queued while it mounted), in typed order.
        self.post_message(events.Key(event.key, event.character))
