"""The runner on a second-edition protocol: a criterion's parts together, cascades marked and
skipped, and every refused key explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.tui.app import AuditkitApp
from auditkit.tui.widgets.question_list import QuestionList
from auditkit.tui.widgets.question_view import QuestionView
from tests.tui.test_runner import SIZE, current_question, settle, stored

MECHANICS = Path(__file__).parent.parent / "fixtures" / "mechanics"


@pytest.fixture
def mech_path(tmp_path: Path) -> Path:
    path = tmp_path / "mech.audit"
    profile = Profile(company="Foothills Roofing Ltd", protocol=str(MECHANICS), sites=("Yard",))
    with Audit.create(path, profile) as audit:
        audit.add_subject("interviewee", "WK-01", role="worker", site="Yard")
    return path


def notes(app: AuditkitApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_criteria_cascades_and_refusals_from_the_keyboard(mech_path: Path) -> None:
    app = AuditkitApp(Audit.open(mech_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert current_question(app) == "1.1-D"
        pane = app.screen.query_one(QuestionView).plain_text(width=110)
        assert "part of criterion 1.1" in pane
        assert "Criterion  1.1 A written health and safety policy" in pane
        assert "scored on the average of its parts" in pane
        assert "1.1-I" in pane and "interview" in pane and "0 of 1 interviewees" in pane
        assert "not scored until every part is answered" in pane
        await pilot.press("y")
        await settle(pilot)
        assert current_question(app) == "1.2"
        await pilot.press("5")  # 5 of 10 points on the stand-alone question
        await settle(pilot)
        assert current_question(app) == "1.1-I"
        await pilot.press("p")  # a yes-no indicator: refused, said why, nothing moves
        await pilot.press("3")  # a part: no points
        await settle(pilot)
        assert current_question(app) == "1.1-I"
        assert any(
            "takes yes, no or na (a positive or negative indicator)" in n for n in notes(app)
        )
        assert any("1.1-I, a part of criterion 1.1, takes y, n or a" in n for n in notes(app))
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("k")
        pane = app.screen.query_one(QuestionView).plain_text(width=110)
        assert "1 of 1 positive" in pane and "Combined  10 / 10 (100.0 %)" in pane
        await pilot.press("j")
        assert current_question(app) == "2.1-D"
        await pilot.press("n")  # no hazard assessment: 2.2, 2.4 and 2.5 cascade
        await settle(pilot)
        assert current_question(app) == "2.2-D"
        questions = app.screen.query_one(QuestionList)
        for cascaded in ("2.2-D", "2.4", "2.2-O", "2.5"):
            assert str(questions.get_option(cascaded).prompt).startswith("↓ "), cascaded
        assert str(questions.get_option("2.3-D").prompt).startswith("· ")
        pane = app.screen.query_one(QuestionView).plain_text(width=110)
        assert "Cascade  criterion 2.2 scores 0 of its points by cascade: 2.1 scored 0" in pane
        await pilot.press("y")
        await settle(pilot)
        assert current_question(app) == "2.2-D"
        assert any(n.startswith("Not recorded: criterion 2.2 scores 0") for n in notes(app))
        title = str(app.screen.query_one("#runner-title").render())
        assert "4/6 answered" in title  # 2.2-D, 2.4, 2.2-O and 2.5 expect no answer now
        await pilot.press("u")  # next unanswered skips the cascaded 2.4, 2.2-O and 2.5
        assert current_question(app) == "2.3-D"
    assert stored(mech_path) == {
        ("1.1-D", ""): ("yes", ""),
        ("1.2", ""): ("5", ""),
        ("1.1-I", "WK-01"): ("yes", ""),
        ("2.1-D", ""): ("no", ""),
    }
