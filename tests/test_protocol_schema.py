"""`auditkit validate` and the loader: every problem reported as FILE:LINE: message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from auditkit.protocol.model import ProtocolInvalid, load_protocol
from tests.conftest import MINI


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(folder)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture drifted: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_mini_protocol_loads_with_every_field() -> None:
    protocol = load_protocol(MINI)
    assert len(protocol.questions) == 8
    first = protocol.question("1.D1")
    assert (first.component, first.subject, first.reference) == ("documents", "none", "OHS Act s.3")
    assert protocol.question("5.D1").threshold == 70
    assert protocol.question("5.I1").roles == ("supervisor",)
    assert protocol.pass_rule("maintenance").element is None
    assert len(protocol.sha256) == 64


def test_sha256_changes_when_a_file_changes(mini_dir: Path) -> None:
    before = load_protocol(mini_dir).sha256
    edit(mini_dir / "documents.yaml", "points: 10", "points: 11")
    assert load_protocol(mini_dir).sha256 != before


def test_all_problems_in_one_run_with_lines(mini_dir: Path) -> None:
    edit(mini_dir / "documents.yaml", "    points: 20\n", "    points: -3\n")
    edit(mini_dir / "documents.yaml", "    element: emergency\n", "    element: emergancy\n")
    edit(
        mini_dir / "infrastructure.yaml",
        "    scoring: range\n",
        "    scoring: range\n    threshold: 80\n",
    )
    edit(mini_dir / "interviews.yaml", "roles: [supervisor]", "roles: [foreman]")
    edit(mini_dir / "incidents.yaml", "    points: 10\n", "    points: 10\n    weight: 2\n")
    found = problems_of(mini_dir)
    folder = str(mini_dir)
    assert (
        f"{folder}/documents.yaml:22: question 5.D1 points must be a whole number >= 1, "
        f"not -3" in found
    )
    assert f"{folder}/documents.yaml:28: question 8.D1: unknown element 'emergancy'" in found
    assert any(
        p.startswith(f"{folder}/infrastructure.yaml:13: question 8.O1: threshold is only")
        for p in found
    )
    assert f"{folder}/interviews.yaml:18: question 5.I1: unknown role 'foreman'" in found
    assert f"{folder}/incidents.yaml:11: unknown key 'weight' in question" in found
    assert len(found) == 5


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('id: "5.D1"', 'id: "1.D1"', "duplicate question id '1.D1' (first in documents.yaml)"),
        ("scoring: all-or-nothing\n    threshold: 70", "scoring: most", "unknown scoring 'most'"),
        (
            "methods: [documentation]\n    points: 10\n    scoring: range",
            "methods: [documentation, telepathy]\n    points: 10\n    scoring: range",
            "unknown method 'telepathy'",
        ),
        (
            "points: 10\n    scoring: range",
            "points: 2.5\n    scoring: range",
            "points must be a whole number >= 1, not 2.5",
        ),
        (
            "points: 10\n    scoring: range",
            "points: ten\n    scoring: range",
            "points must be a whole number >= 1, not 'ten'",
        ),
        ("training: [ohs_mgmt]", "training: [basket_weaving]", "unknown course 'basket_weaving'"),
        ("na: false", "na: maybe", "na must be true or false, not 'maybe'"),
        ("subject: none", "subject: everyone", "unknown subject 'everyone'"),
        ("component: documents", "component: paperwork", "unknown component 'paperwork'"),
    ],
)
def test_each_kind_of_problem_is_named(mini_dir: Path, old: str, new: str, message: str) -> None:
    edit(mini_dir / "documents.yaml", old, new)
    assert any(
        message in p and p.startswith(str(mini_dir / "documents.yaml"))
        for p in problems_of(mini_dir)
    ), problems_of(mini_dir)


def test_duplicate_element_and_missing_file(mini_dir: Path) -> None:
    edit(mini_dir / "protocol.yaml", "id: emergency, number: 8", "id: leadership, number: 8")
    (mini_dir / "incidents.yaml").unlink()
    found = problems_of(mini_dir)
    assert f"{mini_dir}/protocol.yaml:14: duplicate element id 'leadership'" in found
    assert f"{mini_dir}/protocol.yaml:15: checklist file 'incidents.yaml' not found" in found


def test_yaml_syntax_error_has_its_line(mini_dir: Path) -> None:
    edit(
        mini_dir / "interviews.yaml",
        "    points: 10\n    roles: [supervisor]",
        "    points: 10\n    roles: [supervisor",
    )
    found = problems_of(mini_dir)
    assert len(found) == 1 and "interviews.yaml:" in found[0] and "YAML syntax error" in found[0]


def test_tab_in_indentation(mini_dir: Path) -> None:
    edit(mini_dir / "incidents.yaml", "    points: 10", "\tpoints: 10")
    assert problems_of(mini_dir) == [
        f"{mini_dir}/incidents.yaml:10: tab character in indentation; use spaces"
    ]


def test_empty_file_and_not_utf8(mini_dir: Path) -> None:
    (mini_dir / "incidents.yaml").write_text("")
    (mini_dir / "interviews.yaml").write_bytes(b"id: interviews\ntitle: caf\xe9\n")
    assert problems_of(mini_dir) == [
        f"{mini_dir}/incidents.yaml:1: file is empty",
        f"{mini_dir}/interviews.yaml:2: file is not UTF-8 text",
    ]


def test_threshold_without_all_or_nothing(mini_dir: Path) -> None:
    edit(
        mini_dir / "documents.yaml",
        "    scoring: range\n    na: false\n",
        "    scoring: range\n    threshold: 60\n    na: false\n",
    )
    assert any(
        "question 1.D1: threshold is only for all-or-nothing scoring" in p
        for p in problems_of(mini_dir)
    )


def test_protocol_without_questions(mini_dir: Path) -> None:
    (mini_dir / "protocol.yaml").write_text(
        (mini_dir / "protocol.yaml")
        .read_text()
        .replace(
            "checklists: [documents.yaml, infrastructure.yaml, interviews.yaml, incidents.yaml]",
            "checklists: []",
        )
    )
    assert any("checklists must be a non-empty list" in p for p in problems_of(mini_dir))


def test_alias_bomb_is_refused_quickly(mini_dir: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    (mini_dir / "incidents.yaml").write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    found = problems_of(mini_dir)
    elapsed = time.perf_counter() - started
    assert len(found) == 1
    assert found[0].startswith(
        f"{mini_dir}/incidents.yaml:1: document expands to more than 200,000 nodes through its "
        f"aliases; refused before expanding them"
    )
    assert elapsed < 5  # a generous bound: walking 9**10 nodes would take hours


def test_unknown_top_level_key_and_missing_required(mini_dir: Path) -> None:
    edit(mini_dir / "protocol.yaml", 'version: "1.0"\n', "edition: 2\n")
    found = problems_of(mini_dir)
    assert f"{mini_dir}/protocol.yaml:5: unknown key 'edition' in protocol" in found
    assert f"{mini_dir}/protocol.yaml:2: protocol is missing required key 'version'" in found


def test_applies_to_names_incident_types_on_incident_questions_with_na(mini_dir: Path) -> None:
    edit(
        mini_dir / "incidents.yaml",
        "    points: 10\n",
        "    points: 10\n    na: true\n    applies_to: [serious, lost_time]\n",
    )
    assert load_protocol(mini_dir).question("5.R1").applies_to == ("serious", "lost_time")
    edit(mini_dir / "incidents.yaml", "[serious, lost_time]", "[serious, fatal]")
    edit(
        mini_dir / "documents.yaml",
        "    points: 20\n",
        "    points: 20\n    applies_to: [serious]\n",
    )
    found = problems_of(mini_dir)
    assert any("question 5.R1: unknown incident type 'fatal'" in p for p in found)
    assert any("question 5.D1: applies_to is only for incident checklists" in p for p in found)


def test_applies_to_needs_na(mini_dir: Path) -> None:
    edit(
        mini_dir / "incidents.yaml",
        "    points: 10\n",
        "    points: 10\n    applies_to: [serious]\n",
    )
    assert any("applies_to needs na: true" in p for p in problems_of(mini_dir))
