"""When Python's cycle collector runs in the TUI: while the auditor is not pressing keys.

A full collection walks every container object the process holds. With the 2,000-question
protocol open in the runner that is about 120,000 objects (modules, Textual's styles and
caches, the protocol, the list's options): 40-130 ms on a shared two-core laptop, landing on
whichever keypress happened to allocate the object that tipped Python's counters (the
slowest of 40 answers took 101 ms, the median 8.5 ms). So the TUI:

- holds the collector while it starts (:func:`held`, before the imports): nothing built to
  draw the first screen is worth walking for garbage;
- once the first screen of an audit is filled (:meth:`Collector.settle`), collects once and
  freezes what survives (``gc.freeze``): the modules, the protocol, the session and the
  screen are never walked again;
- keeps the young generations collected as usual (a millisecond or two), but takes the full
  collections off the automatic schedule: :meth:`Collector.tick`, run with the live-file
  poll every half second, makes one when no key or mouse event arrived since the last tick,
  or regardless once they have been put off for long (memory stays bounded while someone
  types without a pause). Such a pause is 15-35 ms after a runner open and 40 answers, and
  grows with the garbage waiting: about 180 ms after five runner opens with no pause between
  (the benchmark's last TUI row);
- gives everything back when the app ends (:meth:`Collector.release`), so a process that
  runs several apps (the tests) is left as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Full collections become due after this many young (generation 1) collections, as Python's
# own schedule has it; one is made regardless of keys after five times as many (about 100
# answers, or six runner opens, without a half-second pause): the garbage a put-off collection
# frees grows with the wait, and so does its pause.
DUE = 10
FORCED = 50
# Python's gc.get_count()[2] never exceeds this, so it never starts a full collection itself.
NEVER = 1 << 30


@contextmanager
def held() -> Iterator[None]:
    """Around a TUI process's whole run: the collector is held while it starts, until the
    app's :meth:`Collector.settle`; on the way out (a refused file too) it runs again."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Collector:
    """The TUI's collection schedule; one per app, driven from the UI thread."""

    def __init__(self) -> None:
        self.thresholds: tuple[int, int, int] | None = None  # Python's own, while settled
        self.input_seen = False  # a key or mouse event since the last tick

    @property
    def settled(self) -> bool:
        return self.thresholds is not None

    def settle(self) -> None:
        """After an audit's first screen is filled: collect once, freeze what survives, and
        from now on make full collections at :meth:`tick` only."""
        if self.settled:
            gc.unfreeze()  # another audit opened: what the last one held can go
        else:
            self.thresholds = gc.get_threshold()
        gc.collect()
        gc.freeze()
        young, middle, _ = self.thresholds or gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        gc.enable()

    def tick(self) -> None:
        """Every half second: a full collection if one is due and no input arrived since the
        last tick (or if one has been put off for long)."""
        busy, self.input_seen = self.input_seen, False
        if not self.settled:
            return
        if gc.get_count()[2] >= (FORCED if busy else DUE):
            gc.collect()

    def release(self) -> None:
        """The app is ending: Python's own schedule again, nothing frozen."""
        if self.thresholds is not None:
            gc.unfreeze()
            gc.set_threshold(*self.thresholds)
            self.thresholds = None
        gc.enable()
