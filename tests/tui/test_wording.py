"""Counts read as English (1 site, 2 interviewees), the incidents list keeps its columns apart
and element names are whole at 120 columns."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.labels import count

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_count_singular_and_plural() -> None:
    assert count(1, "interviewee") == "1 interviewee"
    assert count(2, "interviewee") == "2 interviewees"
    assert count(0, "question") == "0 questions"
    assert count(1, "answer to give", "answers to give") == "1 answer to give"


async def test_dashboard_and_incidents_say_one_site_one_record(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        components = app.screen.query_one("#components", OptionList)
        prompts = " | ".join(
            str(components.get_option_at_index(i).prompt) for i in range(components.option_count)
        )
        assert "1 site\n" in prompts and "1 incident\n" in prompts, prompts
        assert "2 interviewees" in prompts
        await pilot.press("c")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "1 record," in summary, summary


async def test_incident_list_columns_stay_apart(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.add_subject(
            "incident",
            "INC-2026-0042",
            fields={"date": "2026-04-12", "type": "serious", "investigated": True},
        )
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        rows = app.screen.query_one("#subjects", OptionList)
        lines = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
    serious = next(line for line in lines if line.startswith("INC-2026-0042"))
    assert serious.startswith("INC-2026-0042  2026-04-12  Serious and reportable  "), serious
    first = next(line for line in lines if line.startswith("INC-1 "))
    # The same columns on every row: the dates line up.
    assert first.index("2026-03-01") == serious.index("2026-04-12"), lines


async def test_element_names_whole_at_120_columns(demo_path: Path) -> None:
    from auditkit.tui.widgets.element_bars import ElementBars

    app = AuditkitApp(Audit.open(demo_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bars = app.screen.query_one(ElementBars)
        text = bars.render().plain
        titles = [e.title for e in app.session.protocol.elements]  # type: ignore[union-attr]
    assert "…" not in text, text
    words = " ".join(text.split())
    for title in titles:
        # A long name may wrap onto the next line, but every word of it is shown.
        assert all(word in words for word in title.split()), (title, text)
