"""Findings 3, 4 and 10 of issue 16 in the TUI: stored text is shown as text, never markup.

A site label ``Yard [@click=app.screenshot(...)]X[/]`` must show as typed (a click on it runs
nothing), a stray ``[/x]`` in a label, a note or the protocol must not crash the screen that
shows it, and no control character of a company name, label, note, author or protocol text
reaches the terminal raw. A 10 MB note is shown cut, not laid out whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.scope import Scope
from tests.hostile import CLICK, CLOSE, RAW, build_hostile

SIZE = (160, 50)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: AuditkitApp) -> str:
    """Every character the terminal would be sent for the current screen."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_safe(app: AuditkitApp, where: str) -> str:
    text = screen_text(app)
    for raw in RAW:
        assert raw not in text, f"{where}: raw {raw!r} on screen"
    return text


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return build_hostile(tmp_path)


async def test_every_screen_shows_hostile_text_as_typed(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots: list[object] = []
    monkeypatch.setattr(AuditkitApp, "action_screenshot", lambda self, *a: shots.append(a))
    with Audit.open(hostile) as audit:
        site = audit.subjects("site")[0].id
    app = AuditkitApp(Audit.open(hostile, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if app.screen.__class__.__name__ == "AuthorDialog":
            assert_safe(app, "who is auditing")
            await pilot.press("escape")
            await settle(pilot)
        text = assert_safe(app, "dashboard")
        assert "Acme \\x1b]52;c;ZXZpbA==\\x07Ltd" in text
        for name, options in (
            ("runner", {"scope": Scope(component="infrastructure", subject_id=site)}),
            ("interviews", {}),
            ("incidents", {}),
            ("training", {}),
            ("amendments", {}),
            ("conflicts", {}),
            ("export", {}),
        ):
            app.open_screen(name, **options)
            await settle(pilot)
            text = assert_safe(app, name)
            if name == "runner":
                assert CLICK in text  # the label as typed: not markup
                assert "Note    [/x]" in text
                assert "Emergency \\x1b[5mResponse [/x]" in text
                await pilot.click("#runner-title")
                await pilot.press("j")  # the next question: hostile protocol text and note
                await settle(pilot)
                text = assert_safe(app, "runner, second question")
                assert "Guard [/x] missing \\x1b[31mred\\x1b[0m \\x00 end" in text
                assert "Are kits \\x1b]52;c;ZXZpbA==\\x07 present [/x]?" in text
                await pilot.press("e")  # the note editor, holding the hostile note
                await settle(pilot)
                assert "red\\x1b[0m" in assert_safe(app, "note editor")
                await pilot.press("escape")
                await settle(pilot)
            if name == "interviews":
                assert CLOSE in text
            await pilot.press("escape")
            await settle(pilot)
        app.notify(f"Not saved: {CLICK} {CLOSE} \x1b]52;c;eA==\x07")
        await settle(pilot)
        assert_safe(app, "notification")
    assert shots == []


async def test_a_ten_megabyte_note_is_shown_cut(tmp_path: Path) -> None:
    path = build_hostile(tmp_path)
    with Audit.open(path, write=True) as audit:
        site = audit.subjects("site")[0].id
        audit.set_note("8.O1", "Kit checked. " * 800_000, subject=site)
    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_screen(
            "runner", scope=Scope(component="infrastructure", subject_id=site, start="8.O1")
        )
        await settle(pilot)
        from auditkit.tui.widgets.question_view import QuestionView

        shown = app.screen.query_one(QuestionView).plain_text()
        assert "Kit checked." in shown
        assert "more characters)" in shown
        assert len(shown) < 20_000


async def test_a_question_over_1700_sites_lists_the_first_ones_and_a_count(
    tmp_path: Path,
) -> None:
    from auditkit.audit import Profile
    from auditkit.tui.widgets.question_view import OTHERS_SHOWN, QuestionView
    from tests.conftest import MINI

    path = tmp_path / "many.audit"
    sites = tuple(f"Well pad {n:04d}" for n in range(1700))
    Audit.create(path, Profile(company="Acme Ltd", protocol=str(MINI), sites=sites)).close()
    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_screen("runner", scope=Scope(component="infrastructure"))
        await settle(pilot)
        shown = app.screen.query_one(QuestionView).plain_text()
        assert "Well pad 0000" in shown and "Well pad 1699" not in shown
        assert f"… and {1700 - OTHERS_SHOWN} more (0 answered)" in shown
