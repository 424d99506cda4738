"""Reviewing an incident: the pane shows the record itself, and questions that cannot apply to
its type are proposed N/A (never written without the auditor's key)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.widgets.question_view import QuestionView

SIZE = (120, 40)
MINI = Path(__file__).parent.parent / "fixtures" / "mini"


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_incident_review_shows_the_record(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        record = audit.find_subject("INC-1", "incident")
        audit.update_subject(
            record.id,
            fields={
                "date": "2026-03-01",
                "type": "first_aid",
                "description": "Cut to left hand on the band saw guard",
                "root_cause": "Guard bracket loose; no pre-use check",
                "investigated": True,
            },
        )
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        text = app.screen.query_one(QuestionView).plain_text(width=110)
    assert "Cut to left hand on the band saw guard" in text
    assert "Guard bracket loose; no pre-use check" in text
    assert "First aid" in text and "2026-03-01" in text
    assert "investigated yes" in text and "reportable no" in text


def with_serious_question(mini_path: Path, tmp_path: Path) -> Path:
    """The mini protocol plus a question asked only of serious incidents."""
    import shutil

    from auditkit.audit import Profile

    folder = tmp_path / "proto"
    shutil.copytree(MINI, folder)
    incidents = folder / "incidents.yaml"
    incidents.write_text(
        incidents.read_text()
        + """
  - id: "9.R4"
    element: hazard_assessment
    text: For a serious incident, was the scene left undisturbed until OHS allowed otherwise?
    methods: [documentation]
    points: 5
    na: true
    applies_to: [serious]
"""
    )
    path = tmp_path / "serious.audit"
    with Audit.create(
        path,
        Profile(
            company="Mini Co",
            protocol=str(folder),
            headcounts=(12,),
            sites=("Yard",),
            start_date="2026-11-16",
        ),
    ) as audit:
        audit.add_subject("incident", "INC-1", fields={"date": "2026-03-01", "type": "first_aid"})
    return path


async def test_a_question_for_serious_incidents_is_proposed_na_on_a_first_aid_record(
    mini_path: Path, tmp_path: Path
) -> None:
    path = with_serious_question(mini_path, tmp_path)
    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        view = app.screen.query_one(QuestionView)
        assert "Proposed" not in view.plain_text(width=110)  # 5.R1 applies to every type
        await pilot.press("down")
        await settle(pilot)
        text = view.plain_text(width=110)
        assert "9.R4" in text
        assert "Proposed: N/A (not a serious incident) — press a" in text
        with Audit.open(path) as audit:  # proposed, not written
            assert [a for a in audit.answers() if a.value is not None] == []
        await pilot.press("a")
        await settle(pilot)
    with Audit.open(path) as audit:
        assert [(a.question_id, a.value) for a in audit.answers()] == [("9.R4", "na")]
