"""The TUI's garbage-collection schedule: no full collection on a keypress, one when the auditor
pauses, and Python's own schedule given back when the app ends."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.collector import DUE, FORCED, Collector, held

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def young_collections(count: int) -> None:
    """Let Python make ``count`` generation-1 collections (gc.get_count()[2] counts them)."""
    for _ in range(count):
        gc.collect(1)


async def test_the_app_settles_after_its_first_screen_and_gives_it_back(mini_path: Path) -> None:
    python_own = gc.get_threshold()
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.collector.settled
        assert gc.get_freeze_count() > 0  # what start-up built is not walked again
        assert gc.isenabled() and gc.get_threshold()[:2] == python_own[:2]
        assert gc.get_threshold()[2] > 10**6  # no full collection on Python's own schedule
    assert gc.get_threshold() == python_own
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_full_collections_wait_for_a_pause() -> None:
    collector = Collector()
    collector.settle()
    try:
        young_collections(DUE)
        collector.input_seen = True  # a key arrived in the last half second
        collector.tick()
        assert gc.get_count()[2] >= DUE  # put off
        collector.tick()  # half a second with no key
        assert gc.get_count()[2] == 0

        young_collections(FORCED)
        collector.input_seen = True
        collector.tick()
        assert gc.get_count()[2] == 0  # put off too long: collected even while typing
    finally:
        collector.release()


def test_a_refused_file_gives_the_collector_back(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), held():
        assert not gc.isenabled()
        raise ZeroDivisionError
    assert gc.isenabled()
