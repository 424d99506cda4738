"""Every key the footer shows fits the screen: at 60×20 the runner used to cut Quit and Help,
and at 80×24 the palette key sat over Quit. Keys that do not fit are left out (the screen's
own, from the last one back); Back, Quit and Help always show."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp

SCREENS = {  # keys from the dashboard -> the screen they open
    "dashboard": [],
    "runner": ["r"],
    "interviews": ["i"],
    "incidents": ["c"],
    "training": ["t"],
    "action plan": ["l"],
    "export": ["x"],
    "review": ["v"],
    "home": ["H"],
}


def overflow(app: AuditkitApp) -> list[str]:
    """The footer keys that do not fit: past the screen's edge or under the palette key."""
    keys = list(app.screen.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    edge = palette[0].region.x if palette else app.size.width
    return [
        f"{k.key_display} {k.description}"
        for k in keys
        if k not in palette and (k.region.right > edge or k.region.width == 0)
    ]


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_every_footer_key_fits(demo_path: Path, screen: str, size: tuple[int, int]) -> None:
    app = AuditkitApp(Audit.open(demo_path, write=True), remember_recent=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("escape")  # the "who is auditing" question, if asked
        await pilot.press(*SCREENS[screen])
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = {k.key for k in app.screen.query(FooterKey)}
        assert overflow(app) == []
        assert {"ctrl+q", "f1"} <= shown


async def test_the_runner_keeps_back_quit_and_help_when_narrowed(demo_path: Path) -> None:
    app = AuditkitApp(Audit.open(demo_path, write=True), remember_recent=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("r")
        await pilot.pause()
        assert "w" in {k.key for k in app.screen.query(FooterKey)}
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        keys = [k.key for k in app.screen.query(FooterKey)]
        assert overflow(app) == []
        assert keys[-3:] == ["escape", "ctrl+q", "f1"] and keys[0] == "y"
        assert "w" not in keys  # Finding: the last of the runner's own keys, left out first
