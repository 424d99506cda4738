"""One table of keys: a key means one thing on every screen and dialog, j/k move every list,
and Help (generated from the table) lists Enter, undo and the dialogs' keys."""

from __future__ import annotations

import importlib
from pathlib import Path

from textual.binding import Binding
from textual.widgets import OptionList, Static

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.screens import SCREENS, screen_class
from auditkit.tui.screens.help import DIALOGS, HelpScreen

SIZE = (120, 40)


def every_binding() -> list[tuple[str, Binding]]:
    classes: list[type] = [AuditkitApp, *(screen_class(name) for name in SCREENS)]
    classes += [getattr(importlib.import_module(m), c) for m, c in DIALOGS.values()]
    found = []
    for cls in classes:
        for klass in cls.__mro__:
            for item in vars(klass).get("BINDINGS", ()):
                if isinstance(item, Binding) and klass.__module__.startswith("auditkit"):
                    found.append((cls.__name__, item))
    return found


def test_a_key_means_one_thing_everywhere() -> None:
    meanings: dict[str, set[str]] = {}
    for _, binding in every_binding():
        for key in binding.key.split(","):
            meanings.setdefault(key, set()).add(
                "digit" if (binding.id or "").startswith("digit-") else str(binding.id)
            )
    clashes = {key: ids for key, ids in meanings.items() if len(ids) > 1}
    assert clashes == {}


async def test_j_and_k_move_the_dashboard_list(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        components = app.screen.query_one("#components", OptionList)
        start = components.highlighted
        await pilot.press("j")
        assert components.highlighted == (start or 0) + 1
        await pilot.press("k")
        assert components.highlighted == start


async def test_help_lists_enter_undo_and_dialog_keys(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(160, 80)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        table = app.screen.query(Static).last().content
        rows = {
            str(key): (str(meaning), str(where))
            for key, meaning, where in zip(*(c._cells for c in table.columns), strict=True)  # type: ignore[attr-defined]
        }
        assert "Open or choose" in rows["enter"][0]
        assert rows["ctrl+z"][1] == "Everywhere"
        assert "Note" in rows["ctrl+s"][1] and "Finalize" in rows["ctrl+s"][1]
        assert "Dashboard" in rows["j"][1] and "Checklist runner" in rows["j"][1]
        assert "auditkit keys" in text


async def test_the_footer_at_60_columns_does_not_overlap_the_palette_key(mini_path: Path) -> None:
    from textual.widgets._footer import FooterKey

    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert "ctrl+p" not in {k.key for k in keys}
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert "ctrl+p" in {k.key for k in app.screen.query(FooterKey)}
