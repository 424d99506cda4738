"""The second-edition protocol format: criteria, parts, cascades, yes-no, justification."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditkit.cli import main
from auditkit.protocol.model import ProtocolInvalid, load_protocol
from tests.conftest import FIXTURES, MINI

MECHANICS = FIXTURES / "mechanics"


def test_mechanics_fixture_loads_with_criteria_parts_and_cascades() -> None:
    protocol = load_protocol(MECHANICS)
    assert [c.id for c in protocol.criteria] == ["1.1", "2.1", "2.2", "2.3"]
    assert [q.id for q in protocol.parts("2.2")] == ["2.2-D", "2.2-O"]
    part = protocol.question("1.1-I")
    # a part is shown with its criterion's element and points, and takes no points itself
    assert (part.criterion, part.element, part.points, part.yes_no) == (
        "1.1",
        "leadership",
        10,
        True,
    )
    assert not part.accepts_points and not part.accepts_partial
    assert protocol.criterion("2.2").combine == "all"
    assert protocol.criterion("2.2").depends_on == "2.1"
    assert protocol.question("2.5").cascade == "na"
    assert protocol.dependants["2.1"] == ("2.2", "2.4", "2.5")
    assert protocol.justification.every_question and protocol.justification.na
    assert protocol.sfi_below == 80
    assert protocol.item_points() == 70


def test_first_edition_protocol_has_no_criteria_and_default_rules() -> None:
    protocol = load_protocol(MINI)
    assert protocol.criteria == ()
    assert all(
        q.criterion == "" and q.depends_on == "" and not q.yes_no for q in protocol.questions
    )
    assert not protocol.justification.every_question and protocol.sfi_below == 80


def broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "mechanics"
    shutil.copytree(MECHANICS, folder)
    path = folder / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return folder


PART_2_2_D = """  - id: 2.2-D
    criterion: "2.2"
"""


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "message"),
    [
        (
            "documents.yaml",
            PART_2_2_D,
            PART_2_2_D + "    points: 5\n",
            22,
            "question 2.2-D is a part of criterion 2.2: points belongs on the criterion",
        ),
        (
            "documents.yaml",
            PART_2_2_D,
            PART_2_2_D + "    element: leadership\n",
            22,
            "element belongs on the criterion, not on a part",
        ),
        (
            "documents.yaml",
            PART_2_2_D,
            PART_2_2_D + '    depends_on: "2.1"\n',
            22,
            "depends_on belongs on the criterion, not on a part",
        ),
        ("documents.yaml", 'criterion: "2.3"', 'criterion: "9.9"', 25, "unknown criterion '9.9'"),
        (
            "documents.yaml",
            '    depends_on: "2.1"',
            '    depends_on: "7.7"',
            33,
            "2.4: depends_on names unknown question or criterion '7.7'",
        ),
        (
            "documents.yaml",
            '    depends_on: "2.1"',
            '    depends_on: "2.4"',
            33,
            "2.4 depends on itself",
        ),
        (
            "documents.yaml",
            '    depends_on: "2.1"',
            '    depends_on: "2.1-D"',
            33,
            "depends_on names 2.1-D, a part of criterion 2.1; name the criterion",
        ),
        (
            "protocol.yaml",
            "    threshold: 100\n",
            '    threshold: 100\n    depends_on: "2.2"\n',
            32,
            "depends_on cycle: 2.1 -> 2.2 -> 2.1",
        ),
        (
            "protocol.yaml",
            "    combine: any\n",
            "    combine: most\n",
            45,
            "unknown combine 'most' in criterion 2.3",
        ),
        (
            "protocol.yaml",
            "    combine: average\n",
            "    combine: average\n    cascade: na\n",
            24,
            "criterion 1.1: cascade is only with depends_on",
        ),
        (
            "interviews.yaml",
            "answers: yes-no",
            "answers: yes-maybe",
            5,
            "unknown answers 'yes-maybe'",
        ),
        (
            "protocol.yaml",
            "justification: {every_question: true, na: true}",
            "justification: {every_question: yes please, na: true}",
            15,
            "justification every_question must be true or false",
        ),
        ("protocol.yaml", "sfi_below: 80", "sfi_below: 180", 16, "protocol sfi_below must be"),
    ],
)
def test_each_new_mistake_is_a_file_line_problem(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    old: str,
    new: str,
    line: int,
    message: str,
) -> None:
    folder = broken(tmp_path, name, old, new)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{folder}/{name}:{line}: " in err and message in err, err
    assert "Traceback" not in err


def test_a_cycle_of_three_is_reported_at_each_member(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        "protocol.yaml",
        "    combine: average\n",
        '    combine: average\n    depends_on: "2.3"\n',
    )
    (folder / "protocol.yaml").write_text(
        (folder / "protocol.yaml")
        .read_text()
        .replace("    combine: any\n", '    combine: any\n    depends_on: "2.2"\n')
        .replace('    depends_on: "2.1"\n', '    depends_on: "1.1"\n')
    )
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(folder)
    cycles = [p for p in caught.value.problems if "cycle" in p.message]
    assert len(cycles) == 3
    assert {p.line for p in cycles} == {24, 40, 47}


def test_a_criterion_without_parts_is_refused(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        "protocol.yaml",
        "checklists:",
        '  - {id: "2.9", element: hazard_assessment, text: Orphan, points: 5}\nchecklists:',
    )
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder}/protocol.yaml:47: criterion 2.9: no question names it (a criterion needs parts)"
    ]


def test_a_question_id_may_not_reuse_a_criterion_id(tmp_path: Path) -> None:
    folder = broken(tmp_path, "documents.yaml", '  - id: "1.2"', '  - id: "2.1"')
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(folder)
    assert "duplicate question id '2.1'" in str(caught.value)


def test_the_parsed_cache_keeps_criteria_cascades_and_rules() -> None:
    from auditkit.protocol.cache import from_json, to_json

    protocol = load_protocol(MECHANICS)
    again = from_json(to_json(protocol), protocol.files)
    assert again == protocol
    assert again.criteria == protocol.criteria and again.questions == protocol.questions
