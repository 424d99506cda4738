"""Guards on the bundled protocols, course catalogue and sampling table, and the README tables.

The README's per-protocol tables are compared with figures computed from the files, so neither
the content nor the documentation can drift without a failing test.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from auditkit.cli import main
from auditkit.protocol.model import COMPONENTS, METHODS, Protocol, load_protocol
from auditkit.rules.catalogue import load_catalogue
from auditkit.rules.sampling import load_sampling

README = Path(__file__).resolve().parents[2] / "README.md"
BUNDLED = ("cor", "secor")


@pytest.fixture(scope="module", params=BUNDLED)
def protocol(request: pytest.FixtureRequest) -> Protocol:
    return load_protocol(request.param)


def test_every_bundled_protocol_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "ab-cor 2026.1, 196 questions, 1565 points" in out
    assert "ab-secor 2026.1, 66 questions, 515 points" in out


def test_the_protocols_are_as_large_as_the_issue_asks() -> None:
    cor, secor = load_protocol("cor"), load_protocol("secor")
    assert cor.certificate == "COR" and secor.certificate == "SECOR"
    assert len(cor.questions) >= 150 and sum(q.points for q in cor.questions) >= 1000
    assert len(secor.questions) >= 50
    assert [e.id for e in secor.elements] == [e.id for e in cor.elements]
    assert len(cor.elements) == 10


def test_pass_rules_per_purpose(protocol: Protocol) -> None:
    rules = {p: (r.overall, r.element) for p, r in protocol.pass_rules.items()}
    assert rules == {
        "certification": (80, 50),
        "recertification": (80, 50),
        "maintenance": (60, None),
    }


def test_every_element_is_verified_by_at_least_two_methods(protocol: Protocol) -> None:
    for element in protocol.elements:
        methods = {m for q in protocol.questions if q.element == element.id for m in q.methods}
        assert len(methods) >= 2, f"{protocol.id} element {element.id}: only {methods}"


def test_every_question_has_guidance_and_courses(protocol: Protocol) -> None:
    for question in protocol.questions:
        assert question.guidance.strip(), f"{protocol.id} {question.id}: no guidance"
        assert question.training, f"{protocol.id} {question.id}: no training course"


def test_every_course_id_resolves(protocol: Protocol) -> None:
    catalogue = load_catalogue()
    elements = {e.id for e in protocol.elements}
    for question in protocol.questions:
        unknown = set(question.training) - set(catalogue)
        assert not unknown, f"{protocol.id} {question.id}: unknown course(s) {unknown}"
    for course in catalogue.values():
        assert set(course.elements) <= elements, f"course {course.id}: {course.elements}"
        assert set(course.required_for) <= {"COR", "SECOR"}


def test_required_courses_per_certificate() -> None:
    catalogue = load_catalogue()
    required = {
        cert: {c.id for c in catalogue.values() if cert in c.required_for}
        for cert in ("COR", "SECOR")
    }
    assert required == {
        "COR": {"ohs_mgmt", "ohs_legislation", "lse"},
        "SECOR": {"phsm", "sfa", "industry_safety"},
    }


def test_the_bundled_sampling_table_loads() -> None:
    rules = load_sampling()
    assert rules.interviews[0].low == 1 and rules.interviews[-1].high is None
    # Every row names its source, and the large-employer rows are the published TSCBC ones.
    assert all(band.source for band in rules.interviews + rules.sites)
    assert {band.source for band in rules.interviews if 200 <= band.low < 500} == {"TSCBC amended"}
    assert rules.interviews[-1].cp and rules.sites[-1].cp


# -- the README tables -------------------------------------------------------------------------


def table_rows(protocol: Protocol) -> list[list[str]]:
    """The rows of the README table: per element, then the total, each cell as text."""

    def cells(questions: list) -> list[str]:  # type: ignore[type-arg]
        by_component = [[q for q in questions if q.component == c] for c in COMPONENTS]
        by_method = [[q for q in questions if m in q.methods] for m in METHODS]
        return [
            str(len(questions)),
            f"{sum(q.points for q in questions):,}",
            *(f"{len(qs)} / {sum(q.points for q in qs)}" for qs in by_component + by_method),
        ]

    rows = [
        [str(e.number), e.title, *cells([q for q in protocol.questions if q.element == e.id])]
        for e in protocol.elements
    ]
    rows.append(["", "Total", *cells(list(protocol.questions))])
    return rows


def readme_table(protocol: Protocol) -> list[list[str]]:
    """The table printed under the README heading that names the protocol's id."""
    lines = README.read_text(encoding="utf-8").splitlines()
    heading = next(
        i for i, line in enumerate(lines) if line.startswith("### ") and f"`{protocol.id}`" in line
    )
    body = []
    for line in lines[heading + 1 :]:
        if line.startswith("### ") or line.startswith("## "):
            break
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line):
            body.append([cell.strip().strip("*") for cell in line.strip().strip("|").split("|")])
    return body[1:]  # without the header row


def test_readme_table_matches_the_files(protocol: Protocol) -> None:
    assert readme_table(protocol) == table_rows(protocol)


def test_the_readme_table_counts_every_question_once() -> None:
    cor = load_protocol("cor")
    total = table_rows(cor)[-1]
    assert total[:4] == ["", "Total", "196", "1,565"]
    assert Counter(len(q.methods) for q in cor.questions) == {1: 196}
