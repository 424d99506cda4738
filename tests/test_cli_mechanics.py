"""The engine and CLI on a second-edition protocol: cascades, yes-no and parts refused
cleanly, criteria in ``questions --json`` and ``score --json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.cli import main
from auditkit.store.audit_file import Store
from tests.conftest import FIXTURES

MECHANICS = FIXTURES / "mechanics"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


@pytest.fixture
def mech_path(tmp_path: Path) -> Path:
    path = tmp_path / "mech.audit"
    profile = Profile(company="Foothills Roofing Ltd", protocol=str(MECHANICS), sites=("Yard",))
    with Audit.create(path, profile, author="Pat Lee") as audit:
        audit.add_subject("interviewee", "W-01", role="worker")
    return path


REFUSED = [
    (
        [("2.1-D", "no")],
        ["2.4", "yes"],
        "question 2.4 depends on 2.1, which scored 0 of 10 points: it is scored by cascade; "
        "change 2.1 first",
    ),
    (
        [("2.1-D", "no")],
        ["2.2-O", "yes", "--subject", "Yard"],
        "question 2.2-O (part of criterion 2.2) depends on 2.1, which scored 0 of 10 points",
    ),
    ([("2.1-D", "no")], ["2.5", "na", "--subject", "Yard"], "depends on 2.1, which scored 0"),
    (
        [],
        ["1.1-I", "partial", "--subject", "W-01"],
        "question 1.1-I takes yes, no or na (a positive or negative indicator), not partial",
    ),
    (
        [],
        ["2.2", "yes"],
        "2.2 is a criterion of protocol mechanics; answer its parts: 2.2-D, 2.2-O",
    ),
    (
        [],
        ["1.1-D", "7"],
        "question 1.1-D is a part of criterion 1.1; it takes yes, partial, no or na, not points",
    ),
]


@pytest.mark.parametrize(("before_answers", "args", "message"), REFUSED)
def test_refused_answer_is_one_line_exit_1_and_changes_nothing(
    mech_path: Path,
    capsys: pytest.CaptureFixture[str],
    before_answers: list[tuple[str, str]],
    args: list[str],
    message: str,
) -> None:
    for question, value in before_answers:
        assert run(capsys, "answer", mech_path, question, value)[0] == 0
    before = contents(mech_path)
    code, out, err = run(capsys, "answer", mech_path, *args)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert contents(mech_path) == before


def test_a_dependant_answered_before_counts_again_when_the_parent_changes(
    mech_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "answer", mech_path, "2.1-D", "yes")[0] == 0
    assert run(capsys, "answer", mech_path, "2.4", "partial")[0] == 0
    assert run(capsys, "answer", mech_path, "2.1-D", "no")[0] == 0
    with Audit.open(mech_path) as audit:
        assert audit.score().items["2.4"].awarded == 0
    assert run(capsys, "answer", mech_path, "2.1-D", "yes")[0] == 0
    with Audit.open(mech_path) as audit:
        result = audit.score().items["2.4"]
        assert (result.awarded, result.cascaded) == (5, "")


def test_parent_na_refuses_the_dependant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "proto"
    folder.mkdir()
    for source in MECHANICS.iterdir():
        text = source.read_text()
        if source.name == "documents.yaml":
            text = text.replace(
                "    text: Is there a written, dated hazard assessment",
                "    na: true\n    text: Is there a written, dated hazard assessment",
            )
        (folder / source.name).write_text(text)
    path = tmp_path / "na.audit"
    Audit.create(path, Profile(company="Acme", protocol=str(folder)), author="Pat").close()
    assert run(capsys, "answer", path, "2.1-D", "na")[0] == 0
    before = contents(path)
    code, _, err = run(capsys, "answer", path, "2.4", "yes")
    assert code == 1
    assert err == "error: question 2.4 depends on 2.1, which is N/A: it is N/A by cascade\n"
    assert contents(path) == before


def test_questions_json_lists_parts_with_their_criterion(
    mech_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {r["id"]: r for r in json.loads(run(capsys, "questions", mech_path, "--json")[1])}
    assert rows["2.2-O"] == {
        "id": "2.2-O",
        "element": "hazard_assessment",
        "component": "infrastructure",
        "subject": "site",
        "text": "Does the hazard assessment at the work site match the work being done today?",
        "methods": ["observation"],
        "points": 10,
        "scoring": "range",
        "criterion": "2.2",
    }
    assert rows["2.4"]["criterion"] is None and len(rows) == 10


def test_score_json_counts_scored_items_and_cascades(
    mech_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["2.1-D", "no"], ["1.1-D", "yes"], ["1.1-I", "yes", "--subject", "W-01"]):
        assert run(capsys, "answer", mech_path, *args)[0] == 0
    data = json.loads(run(capsys, "score", mech_path, "--json")[1])
    # 1.1 answered; 2.1 answered (0); 2.2 and 2.4 cascaded to 0; 2.5 cascaded N/A
    assert (data["questions"], data["answered"]) == (7, 5)
    assert data["overall"] == {"awarded": 10, "possible": 40, "percent": 25.0}


def test_open_next_unanswered_skips_cascaded_questions(mech_path: Path) -> None:
    from auditkit.rules.progress import first_unanswered

    with Audit.open(mech_path, write=True) as audit:
        audit.answer("2.1-D", "no")
        scores = audit.score()
        skip = {qid for qid, r in scores.questions.items() if r.cascaded}
        assert skip == {"2.2-D", "2.2-O", "2.4", "2.5"}
        answered = {(a.question_id, a.subject_id) for a in audit.answers()}
        found = first_unanswered(
            audit.protocol, audit.subjects(), answered, after="2.1-D", skip=skip
        )
        assert found is not None and found[0].id == "2.3-D"


def test_progress_expects_no_answer_from_cascaded_questions(mech_path: Path) -> None:
    from auditkit.rules.progress import components

    with Audit.open(mech_path, write=True) as audit:
        audit.answer("2.1-D", "no")
        skip = {qid for qid, r in audit.score().questions.items() if r.cascaded}
        answered = {(a.question_id, a.subject_id) for a in audit.answers()}
        before = {
            c.component: c.expected for c in components(audit.protocol, audit.subjects(), answered)
        }
        after = {
            c.component: (c.answered, c.expected)
            for c in components(audit.protocol, audit.subjects(), answered, skip=skip)
        }
    assert before == {"documents": 6, "interviews": 2, "infrastructure": 2}
    # 2.2-D and 2.4 (documents), 2.2-O and 2.5 (the one site) are scored by cascade
    assert after == {"documents": (1, 4), "interviews": (0, 2), "infrastructure": (0, 0)}
