"""Guards on the bundled protocols, course catalogue and sampling table, and the README tables.

The README's per-protocol tables are compared with figures computed from the files, so neither
the content nor the documentation can drift without a failing test.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.cli import main
from auditkit.demo import build_demo, load_demo_data, previous_path
from auditkit.protocol.model import COMPONENTS, METHODS, Protocol, Question, load_protocol
from auditkit.rules.catalogue import load_catalogue
from auditkit.rules.findings import scored_items
from auditkit.rules.sampling import load_sampling
from auditkit.store.audit_file import Store

README = Path(__file__).resolve().parents[2] / "README.md"
BUNDLED = ("cor", "secor")


@pytest.fixture(scope="module", params=BUNDLED)
def protocol(request: pytest.FixtureRequest) -> Protocol:
    return load_protocol(request.param)


def test_every_bundled_protocol_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "ab-cor 2026.2, 205 questions, 57 criteria, 1090 points" in out
    assert "ab-secor 2026.2, 80 questions, 25 criteria, 445 points" in out


def test_the_protocols_are_as_large_as_the_issue_asks() -> None:
    cor, secor = load_protocol("cor"), load_protocol("secor")
    assert cor.certificate == "COR" and secor.certificate == "SECOR"
    assert len(cor.questions) >= 150 and sum(i.points for i in cor.items) >= 1000
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
        methods = {m for i in protocol.items if i.element == element.id for m in i.methods}
        assert len(methods) >= 2, f"{protocol.id} element {element.id}: only {methods}"


def test_every_criterion_merges_parts_of_at_least_two_techniques(protocol: Protocol) -> None:
    assert len(protocol.criteria) >= 25
    for criterion in protocol.criteria:
        parts = protocol.parts(criterion.id)
        methods = {m for part in parts for m in part.methods}
        assert len(methods) >= 2, f"{protocol.id} {criterion.id}: parts {[p.id for p in parts]}"
    # Each technique still carries real weight: at least a quarter of the points.
    total = sum(i.points for i in protocol.items)
    for method in METHODS:
        weight = sum(i.points for i in protocol.items if method in i.methods)
        assert weight >= total / 4, f"{protocol.id}: {method} verifies {weight} of {total}"


def test_interviews_are_positive_indicators_and_notes_are_required(protocol: Protocol) -> None:
    interviews = [q for q in protocol.questions if q.component == "interviews"]
    assert interviews and all(q.yes_no for q in interviews)
    assert not any(q.yes_no for q in protocol.questions if q.component != "interviews")
    assert protocol.justification.every_question and protocol.justification.na
    assert protocol.sfi_below == 80


# Follow-up items that assume a document exists, and the document item they depend on: with
# no such document (0 points), the follow-up cannot earn points (cascade scoring).
CASCADES = {
    "cor": {
        "1.1": "1.D1",  # the policy is current and known -> a signed policy exists
        "3.1": "3.D1",  # committee terms and minutes -> a committee is established
        "3.2": "3.D1",
        "3.3": "3.D1",
        "3.R1": "3.D1",
        "4.1": "4.D1",  # workers oriented -> a written orientation program exists
        "4.2": "4.D3",  # training current -> a training matrix exists
        "5.1": "5.D1",  # the hazard assessment is dated, reviewed ... -> it exists
        "5.2": "5.D1",
        "5.3": "5.D1",
        "5.5": "5.D1",
        "5.D5": "5.D1",
        "5.R1": "5.D1",
        "6.1": "5.D1",  # controls from the hazard assessment -> it exists
        "6.2": "5.D1",
        "7.1": "7.D1",  # inspections done as scheduled -> a schedule exists
        "7.2": "7.D1",
        "8.1": "8.D1",  # the plan is site-specific and known -> a plan exists
        "8.2": "8.D1",
        "9.3": "9.D1",
        "10.1": "10.D1",  # the program is reviewed -> a written program exists
    },
    "secor": {
        "1.1": "1.D1",
        "5.1": "5.D1",
        "5.2": "5.D1",
        "5.3": "5.D1",
        "5.R1": "5.D1",
        "6.1": "5.D1",
        "8.1": "8.D1",
        "9.2": "9.D1",
    },
}


@pytest.mark.parametrize("name", BUNDLED)
def test_cascades_exist_where_a_document_is_assumed(name: str) -> None:
    protocol = load_protocol(name)
    for item, parent in CASCADES[name].items():
        assert protocol.depends_on(item) == parent, f"{name} {item}"
        assert protocol.question(parent).component == "documents"
        assert protocol.question(parent).points > 0  # a gate that can score 0


# Citations the 2026-11-29 review found wrong (domain/qa-rules.md), as they were written.
FORBIDDEN_CITATIONS = (
    re.compile(r"s\.8\(\d\)"),  # OHS Code s.8 is one provision now
    re.compile(r"s\.119\(3\)"),  # housekeeping is s.185
    re.compile(r"Act s\.37|Part 2 \(health and safety program\)"),  # the repealed 2017 program
    re.compile(r"components the OHS Act requires", re.I),
    re.compile(r"within (three|3) years", re.I),  # WHMIS 1988's SDS rule
    re.compile(r"s\.390"),  # Part 27 was renumbered; cite the Part
)


def test_no_wrong_legal_reference_is_left(protocol: Protocol) -> None:
    for question in protocol.questions:
        text = " ".join((question.text, question.guidance, question.reference))
        for pattern in FORBIDDEN_CITATIONS:
            assert not pattern.search(text), f"{protocol.id} {question.id}: {pattern.pattern}"
    for criterion in protocol.criteria:
        text = " ".join((criterion.text, criterion.guidance, criterion.reference))
        for pattern in FORBIDDEN_CITATIONS:
            assert not pattern.search(text), f"{protocol.id} {criterion.id}: {pattern.pattern}"


def test_every_criterion_says_what_full_compliance_is(protocol: Protocol) -> None:
    # The report's corrective actions quote it as the target.
    for criterion in protocol.criteria:
        assert criterion.guidance.startswith("Yes if "), f"{protocol.id} {criterion.id}"


def test_the_corrected_references_say_what_the_law_says() -> None:
    cor = load_protocol("cor")
    assert cor.question("6.O2").reference == "OHS Code s.185"  # housekeeping
    assert "guardrails" in cor.question("6.D7").text  # s.140: not only where fall arrest is used
    assert cor.question("6.D7").reference == "OHS Code s.140"
    prime = cor.question("2.D6")
    assert "construction or oil and gas" in prime.text and prime.reference == "OHS Act s.10"
    assert cor.question("10.D1").reference == "OHS Act s.16"
    assert "20 or more" in cor.question("10.D1").guidance


def test_the_description_says_what_the_protocol_is(protocol: Protocol) -> None:
    text = " ".join(protocol.description.split())
    assert "model of the Partnerships in Injury Reduction (PIR)" in text
    assert "revised 1 April 2022" in text
    assert "training, practice and internal audits" in text
    assert "not a certifying partner's approved audit instrument" in text
    assert "--protocol DIR" in text


def test_every_question_has_guidance_and_courses(protocol: Protocol) -> None:
    # Parts too: the guidance says what a positive or compliant part looks like.
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
    """The rows of the README table: per element, then the total, each cell as text.

    Items are what is scored (a criterion once, a stand-alone question once); questions are
    what is asked (every part and stand-alone question), by checklist; a technique column
    gives the items that technique verifies, and their points (a criterion verified by
    several techniques counts in each, so these columns add up to more than the total).
    """

    def cells(items: list[Question], questions: list[Question]) -> list[str]:
        by_component = [sum(q.component == c for q in questions) for c in COMPONENTS]
        by_method = [[i for i in items if m in i.methods] for m in METHODS]
        return [
            str(len(items)),
            f"{sum(i.points for i in items):,}",
            str(sum(protocol.has_criterion(i.id) for i in items)),
            str(sum(bool(protocol.depends_on(i.id)) for i in items)),
            str(len(questions)),
            *(str(n) for n in by_component),
            *(f"{len(its)} / {sum(i.points for i in its)}" for its in by_method),
        ]

    rows = [
        [
            str(e.number),
            e.title,
            *cells(
                [i for i in protocol.items if i.element == e.id],
                [q for q in protocol.questions if q.element == e.id],
            ),
        ]
        for e in protocol.elements
    ]
    rows.append(["", "Total", *cells(list(protocol.items), list(protocol.questions))])
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


def test_the_readme_table_counts_every_item_once() -> None:
    cor = load_protocol("cor")
    total = table_rows(cor)[-1]
    assert total[:7] == ["", "Total", "101", "1,090", "57", "29", "205"]
    assert sum(int(n) for n in total[7:11]) == 205  # every question in one checklist
    assert Counter(len(q.methods) for q in cor.questions) == {1: 205}  # a part: one technique


# -- the cascades at work on the bundled COR protocol ------------------------------------------


def test_no_hazard_assessment_earns_no_points_for_being_dated_or_reviewed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cascade.audit"
    profile = Profile(company="Foothills Roofing Ltd", protocol="cor", sites=("Yard",))
    with Audit.create(path, profile) as audit:
        audit.answer("5.D2", "yes", note="HA dated 2026-03-10, controls listed")
        audit.answer("5.D1", "0", note="No written hazard assessment; field-level forms only")
        scores = audit.score()
        for item in ("5.1", "5.2", "5.3", "5.5", "5.D5", "6.1", "6.2"):
            result = scores.items[item]
            assert (result.status, result.awarded) == ("scored", 0), item
        assert scores.items["5.4"].status != "scored"  # knowing one's hazards needs no document
    with Store.open(path) as store:
        before = store.dump()
    assert main(["answer", str(path), "5.O1", "yes", "--subject", "Yard"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: question 5.O1 (part of criterion 5.5) depends on 5.D1, which scored 0 of 20 "
        "points: it is scored by cascade; change 5.D1 first\n"
    )
    with Store.open(path) as store:
        assert store.dump() == before
    # The document found after all: the answers given before count again.
    with Audit.open(path, write=True) as audit:
        audit.answer("5.D1", "20")
        assert audit.score().items["5.1"].status != "scored"  # 5.O2 still to answer
        audit.answer("5.O2", "yes", subject="Yard")
        assert audit.score().items["5.1"].awarded == 15


# -- the demo's answers and notes fit the bundled COR protocol ---------------------------------


def test_the_demo_data_names_only_questions_of_the_protocol() -> None:
    cor = load_protocol("cor")
    data = load_demo_data()
    for question_id in data.documents:
        assert cor.question(question_id).component == "documents", question_id
    per_subject = {q.id for q in cor.questions if q.per_subject}
    assert set(data.findings) == per_subject  # every question asked in the field has its notes
    for question_id, phrases in data.findings.items():
        assert 2 <= len(phrases) <= 3 and all(p.strip() for p in phrases), question_id
        if len(phrases) == 3:
            assert cor.question(question_id).accepts_partial, question_id
    for question_id in data.na_reasons:
        assert cor.question(question_id).na, f"{question_id} may not be N/A"
    for question_id in data.scope:
        assert cor.question(question_id).na, f"{question_id}: out of scope needs N/A"
        assert question_id in data.na_reasons, f"{question_id}: out of scope needs a reason"


def test_last_years_demo_data_fits_the_protocol() -> None:
    cor = load_protocol("cor")
    data = load_demo_data()
    last = data.previous
    for question_id in last["documents"]:
        assert cor.question(question_id).component == "documents", question_id
    for question_id, phrases in last["findings"].items():
        # Same shape as this year's phrases: only the wording of that year differs.
        assert len(phrases) == len(data.findings[question_id]), question_id
    items = {item.id for item in scored_items(cor)}
    assert {a["item"] for a in last["actions"]} <= items
    assert {a["status"] for a in last["actions"]} <= {"open", "in-progress", "done"}
    assert {p["site"] for p in last["interviewees"]} <= set(data.sites)


def test_the_demo_notes_never_name_an_interviewee(tmp_path: Path) -> None:
    path = build_demo(tmp_path / "demo.audit")
    for audit_path in (path, previous_path(path)):  # this year's and last year's
        with Audit.open(audit_path) as audit:
            codes = {s.label for s in audit.subjects("interviewee")}
            names = {"Okafor", "Whitford", "Marguerite", "Dana"}  # the contact and the auditor
            notes = [a.note for a in audit.answers() if a.note]
            assert notes
            for note in notes:
                assert not any(word in note for word in codes | names), note
            na_notes = [a.note for a in audit.answers() if a.value == "na"]
            assert na_notes and all(na_notes), "every N/A carries its reason"
