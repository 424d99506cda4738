"""Keys typed in one burst are handled one after another, each after what the one before did.

Textual hands each key to the focused widget at once and runs a screen's binding only when the
key comes back up to the app unhandled; so in "+acme.audit<Tab>Acme" typed in one go (a paste,
tmux send-keys, a fast typist on a slow laptop) every key went to the list under the New-audit
form before "+" had opened it (the letters came back unhandled and were lost), and a Tab moved
the focus only after the letters after it had landed in the field before. Here, while a key is
still on its way (handed to a widget, not yet consumed nor back at the app), the keys after it
wait, and each goes on once the one before is done and the screen it opened is mounted and has
its first field focused. Keys typed one at a time never wait: nothing is on its way then.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from contextlib import suppress

from textual import events
from textual.app import App
from textual.screen import Screen

MOUNT_WAIT = 2.0  # seconds: a screen that never finishes mounting does not hold keys longer
HOLD_LIMIT = 1.0  # seconds: a key never seen to finish does not hold the keys after it longer


class KeysInOrder(App[None]):
    """An app that handles the keys of a burst in order, each after the one before."""

    def __init__(self) -> None:
        super().__init__()
        # Keys on their way (handed to a widget), with the screen shown when they were: an
        # entry goes when its key is back at the app or consumed (the event object freed).
        self._on_way: weakref.WeakKeyDictionary[events.Key, Screen[object]] = (
            weakref.WeakKeyDictionary()
        )
        self._held: deque[events.Key] = deque()
        self._released: weakref.WeakSet[events.Key] = weakref.WeakSet()
        self._releasing = False  # a held key is posted again and not yet back here
        self._hold_started = 0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event in self._released:
                self._releasing = False
            elif self._held or self._on_way or self._releasing:
                self._hold(event)  # a key before it is still on its way
                return
            self._on_way[event] = self.screen
            weakref.finalize(event, self._done)
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        sent_to = self._on_way.pop(event, None)
        if sent_to is None or sent_to is self.screen or not self.is_running:
            if sent_to is not None:
                self._done()
            return  # as usual: App._on_key runs next and checks the screen's bindings
        # Sent before the screen changed (a key let through after HOLD_LIMIT): it went to the
        # screen before; it goes to this one, before the keys typed after it.
        event.prevent_default()
        self._held.appendleft(events.Key(event.key, event.character))
        self._done()

    def _hold(self, event: events.Key) -> None:
        self._held.append(events.Key(event.key, event.character))
        if len(self._held) == 1:
            self._hold_started += 1
            started = self._hold_started
            self.set_timer(HOLD_LIMIT, lambda: self._unstick(started))

    def _done(self) -> None:
        """A key on its way is done: the next held key may go (after this message)."""
        if self._held and self.is_running:
            with suppress(Exception):  # called while a freed event is collected: never raise
                self.call_later(self._release)

    def _unstick(self, started: int) -> None:
        if self._held and started == self._hold_started:
            self._on_way.clear()
            self._releasing = False
            self.call_later(self._release)

    async def _release(self) -> None:
        if not self._held or self._on_way or self._releasing:
            return
        screen = self.screen
        if not screen.is_mounted:
            with suppress(TimeoutError):
                await asyncio.wait_for(screen._mounted_event.wait(), MOUNT_WAIT)
        if not self._held or self._on_way or self._releasing:
            return
        key = self._held.popleft()
        self._released.add(key)
        self._releasing = True
        self._hold_started += 1
        if self._held:
            started = self._hold_started
            self.set_timer(HOLD_LIMIT, lambda: self._unstick(started))
        # After the screen's own focus request (queued while it mounted), in typed order.
        self.post_message(key)
