"""SVG snapshots of every main screen, on the demo audit (fixed seed, fixed dates, no clock)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from tests.tui.pilot_helpers import keys_then_settled

SIZE = (120, 40)


def demo_app(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([], id="dashboard"),
        pytest.param(["r"], id="runner"),
        pytest.param(["enter", "down", "down", "down"], id="runner-infrastructure"),
        pytest.param(["i"], id="interviews"),
        pytest.param(["c"], id="incidents"),
        pytest.param(["t"], id="training"),
        pytest.param(["f1"], id="help"),
        pytest.param(["r", "e"], id="note-dialog"),
        pytest.param(["r", "w"], id="finding-dialog"),
        pytest.param(["l"], id="action-plan"),
    ],
)
def test_screen(snap_compare: Callable[..., bool], demo_path: Path, keys: list[str]) -> None:
    assert snap_compare(demo_app(demo_path), terminal_size=SIZE, run_before=keys_then_settled(keys))


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([], id="dashboard"),
        pytest.param(["r"], id="runner"),
        pytest.param(["c"], id="incidents"),
    ],
)
def test_at_80x24(snap_compare: Callable[..., bool], demo_path: Path, keys: list[str]) -> None:
    assert snap_compare(
        demo_app(demo_path), terminal_size=(80, 24), run_before=keys_then_settled(keys)
    )


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["ctrl+t"], id="dashboard"),
        pytest.param(["ctrl+t", "r"], id="runner"),
    ],
)
def test_light_theme(snap_compare: Callable[..., bool], demo_path: Path, keys: list[str]) -> None:
    assert snap_compare(demo_app(demo_path), terminal_size=SIZE, run_before=keys_then_settled(keys))


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
def test_export(snap_compare: Callable[..., bool], demo_path: Path, size: tuple[int, int]) -> None:
    async def fixed_folder(pilot: Pilot[Any]) -> None:
        await pilot.press("x")
        pilot.app.screen.query_one("#folder").value = "/srv/exports"  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(demo_app(demo_path), terminal_size=size, run_before=fixed_folder)


def test_home(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(AuditkitApp(remember_recent=False), terminal_size=SIZE)
