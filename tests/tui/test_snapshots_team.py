"""SVG snapshots of the evidence, finalize, reason and auditor dialogs and the amendments screen.

Audits made here run on a fixed clock, so the finalized date and the amendments' times are the
same on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from auditkit.audit import Audit, Profile
from auditkit.rules.attachments import add_evidence
from auditkit.rules.finalize import finalize
from auditkit.rules.progress import expected_keys
from auditkit.tui.app import AuditkitApp
from auditkit.tui.widgets.question_list import QuestionList
from tests.conftest import write_missing_sfis
from tests.tui.pilot_helpers import keys_then_settled, settled

SIZE = (120, 40)
MINI = Path(__file__).parent.parent / "fixtures" / "mini"
START = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store timestamp one second after the last, from 2026-11-18 15:00 UTC."""
    ticks: Iterator[int] = iter(range(1_000_000))

    def fixed_now() -> str:
        return (START + timedelta(seconds=next(ticks))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    monkeypatch.setattr("auditkit.store.audit_file.now", fixed_now)


def mini_audit(path: Path, auditors: tuple[str, ...] = ()) -> Path:
    with Audit.create(
        path,
        Profile(
            company="Mini Co",
            protocol=str(MINI),
            headcounts=(12,),
            sites=("Yard",),
            auditors=auditors,
            start_date="2026-11-16",
        ),
    ) as audit:
        audit.add_subject("interviewee", "SV-01", role="supervisor", site="Yard")
        audit.add_subject("incident", "INC-1", fields={"date": "2026-03-01", "type": "first_aid"})
    return path


def completed(path: Path) -> Path:
    with Audit.open(path, write=True) as audit:
        for question, subject in expected_keys(audit.protocol, audit.subjects()):
            value = str(question.points // 2) if question.accepts_points else "yes"
            audit.answer(question.id, value, subject=subject.id if subject else None)
        write_missing_sfis(audit)
    return path


def finalized(path: Path) -> Path:
    with Audit.open(path, write=True) as audit:
        finalize(audit, deviation="The CP agreed to interview the crew on shift only.")
        with audit.amending("First aid kit restocked before the closing meeting"):
            audit.answer("8.O1", "partial", subject="Yard")
    return path


def app_for(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


def at_question(question_id: str, *keys: str) -> Callable[[Pilot[Any]], Any]:
    """Open the runner, go to ``question_id``, press ``keys``."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press("r")
        pilot.app.screen.query_one(QuestionList).go_to(question_id)
        await pilot.press(*keys)
        await settled(pilot)

    return run


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
def test_finalize_incomplete(
    snap_compare: Callable[..., bool], demo_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(
        app_for(demo_path), terminal_size=size, run_before=keys_then_settled(["ctrl+f"])
    )


def test_finalize_complete(snap_compare: Callable[..., bool], clock: None, tmp_path: Path) -> None:
    path = completed(mini_audit(tmp_path / "mini.audit"))
    assert snap_compare(app_for(path), terminal_size=SIZE, run_before=keys_then_settled(["ctrl+f"]))


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
def test_attach_dialog(
    snap_compare: Callable[..., bool], demo_path: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    async def typed(pilot: Pilot[Any]) -> None:
        await pilot.press("r", "f")
        pilot.app.screen.query_one("#path").value = "/srv/photos/press-brake.jpg"
        await pilot.press("enter")
        pilot.app.screen.query_one("#caption").value = "Guard removed, no lockout tag"
        await pilot.pause()

    assert snap_compare(app_for(demo_path), terminal_size=size, run_before=typed)


def test_runner_lists_files(snap_compare: Callable[..., bool], clock: None, tmp_path: Path) -> None:
    path = mini_audit(tmp_path / "mini.audit")
    photo, scan = tmp_path / "guard.jpg", tmp_path / "policy.pdf"
    photo.write_bytes(b"j" * 245_760)
    scan.write_bytes(b"p" * 900)
    with Audit.open(path, write=True) as audit:
        add_evidence(audit, "1.D1", [photo], caption="Policy posted by the time clock")
        add_evidence(audit, "1.D1", [scan])
    assert snap_compare(app_for(path), terminal_size=SIZE, run_before=at_question("1.D1"))


def test_reason_dialog(snap_compare: Callable[..., bool], clock: None, tmp_path: Path) -> None:
    path = finalized(completed(mini_audit(tmp_path / "mini.audit")))
    assert snap_compare(app_for(path), terminal_size=SIZE, run_before=at_question("5.D1", "n"))


def test_amendments(snap_compare: Callable[..., bool], clock: None, tmp_path: Path) -> None:
    path = finalized(completed(mini_audit(tmp_path / "mini.audit")))
    assert snap_compare(app_for(path), terminal_size=SIZE, run_before=keys_then_settled(["h"]))


def test_finalized_dashboard(
    snap_compare: Callable[..., bool], clock: None, tmp_path: Path
) -> None:
    path = finalized(completed(mini_audit(tmp_path / "mini.audit")))
    assert snap_compare(app_for(path), terminal_size=SIZE, run_before=settled)


def test_author_dialog(
    snap_compare: Callable[..., bool], clock: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = mini_audit(tmp_path / "mini.audit", auditors=("Dana Whitford", "Lee Tran"))
    monkeypatch.delenv("AUDITKIT_AUDITOR")
    monkeypatch.setenv("USER", "fieldlaptop")  # the name shown if the auditor does not choose
    assert snap_compare(app_for(path), terminal_size=SIZE, run_before=settled)
