"""Waiting for a TUI to settle before a snapshot or an assertion, instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def settled(pilot: Pilot[Any]) -> None:
    """Every worker done (screens load their rows on workers), then one refresh."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def keys_then_settled(keys: list[str]) -> Callable[[Pilot[Any]], Any]:
    """Press ``keys``, then wait for every worker they started before the snapshot is taken."""

    async def run(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press(*keys)
        await settled(pilot)

    return run
