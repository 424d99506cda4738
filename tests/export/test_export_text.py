"""The Markdown and HTML reports, read back the way a reader's software reads them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from auditkit.audit import Audit
from auditkit.demo import build_demo
from auditkit.export import render
from auditkit.export.report import build
from auditkit.rules.findings import compliance_target
from tests.export.conftest import NAME, XSS


class Page(HTMLParser):
    """Collects the tags and the visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def read_html(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode())
    return page


def markdown_as_html(audit: Audit) -> Page:
    return read_html(
        MarkdownIt("commonmark").enable("table").render(render(audit, "md").decode()).encode()
    )


def test_html_shows_a_script_note_as_text(half: Audit) -> None:
    page = read_html(render(half, "html"))
    assert "script" not in page.tags
    assert XSS in page.visible


def test_markdown_shows_a_script_note_as_text(half: Audit) -> None:
    page = markdown_as_html(half)
    assert "script" not in page.tags
    assert XSS in page.visible


def test_html_is_self_contained_with_an_svg_chart(half: Audit) -> None:
    data = render(half, "html")
    page = read_html(data)
    assert "svg" in page.tags and page.tags.count("rect") == 2 * 3  # 3 elements, bar + track
    assert not [a for a in page.attrs if a[0] in ("src", "href")]
    assert b"url(" not in data and b"@import" not in data


def test_every_report_section_is_there(half: Audit) -> None:
    for page in (read_html(render(half, "html")), markdown_as_html(half)):
        text = page.visible
        for heading in (
            "Executive summary",
            "Strengths",
            "Key suggestions for improvement",
            "Audit activities",
            "Action plan",
            "Scope and method",
            "Element scores",
            "Questions",
            "Incident review",
            "Training recommendations",
            "Auditor sign-off",
        ):
            assert heading in text
        assert "Acme Ltd" in text and "Pat Lee" in text
        assert "1.D1" in text and "7 / 10" in text  # points awarded / possible
        assert "Reportable reported to OHS 0 of 1" in text
        assert f"{build(half).footer}" in text


def test_interviewees_appear_by_code_only(half: Audit) -> None:
    for fmt in ("html", "md", "csv"):
        data = render(half, fmt).decode("utf-8-sig")
        assert NAME not in data, fmt
        assert "Worker 1" in data, fmt


def test_an_incomplete_audit_is_a_draft_with_its_unanswered_count(half: Audit) -> None:
    report = build(half)
    assert report.draft and report.unanswered == 4
    assert "DRAFT — 4 of 8 scored items unanswered" in read_html(render(half, "html")).visible
    assert "DRAFT — 4 of 8 scored items unanswered" in markdown_as_html(half).visible
    assert b"@top-center" in render(half, "html")  # on every printed page


def test_a_complete_audit_is_not_a_draft(complete: Audit) -> None:
    assert not build(complete).draft
    assert b"DRAFT" not in render(complete, "html")
    assert b"DRAFT" not in render(complete, "md")


def test_the_verdict_says_why_it_fails(complete: Audit) -> None:
    report = build(complete)
    assert report.verdict == "FAIL"
    assert any("below the 80 % required for certification" in r for r in report.reasons)


def test_key_sfis_and_strengths_are_the_auditors_words(complete: Audit) -> None:
    from auditkit.rules.findings import set_finding

    assert build(complete).improvements == ()  # nothing generated without the auditor
    sfi = "Repeat the hazard assessment whenever the task, crew or site changes."
    set_finding(complete, "5.D1", note="Two of six FLHAs reviewed were undated.", sfi=sfi)
    assert build(complete).improvements == ()  # an SFI not marked key stays in the body
    set_finding(complete, "5.D1", key=True)
    report = build(complete)
    (key,) = report.improvements
    assert (key.question, key.action) == ("5.D1", sfi)
    assert key.deficiency == "Two of six FLHAs reviewed were undated."
    assert "points" not in key.benefit and "%" not in key.benefit
    assert all("%" not in s for s in report.strengths)
    html = read_html(render(complete, "html")).visible
    assert sfi in html and "Bring question" not in html


def test_scope_shows_the_required_sample(half: Audit) -> None:
    half.update_profile(workers=40)  # 37-44 workers: 17 interviews (data/sampling.yaml)
    scope = {row.what: (row.done, row.required) for row in build(half).scope}
    assert scope["Interviews: all roles"] == ("1", "17")
    assert scope["Interviews: workers"][0] == "1"
    assert scope["Sites visited (of those in scope)"] == ("2 of 2", "2")


def test_training_recommendations_follow_the_auditors_curation(half: Audit) -> None:
    from auditkit.rules import training

    courses = {r.course: r for r in build(half).recommendations}
    assert courses["ohs_mgmt"].questions == ("1.I1", "1.D1")  # most points lost first
    title = courses["ohs_mgmt"].title

    def training_section() -> str:
        text = read_html(render(half, "html")).visible
        return text[text.index("Training recommendations") : text.index("Auditor sign-off")]

    assert title in training_section()
    training.drop(half, "ohs_mgmt", "already booked")
    assert "ohs_mgmt" not in {r.course for r in build(half).recommendations}
    assert title not in training_section()


@pytest.mark.parametrize(
    ("guidance", "target"),
    [
        ("Yes if signed and dated; partial if unsigned; no if none.", "Signed and dated"),
        (
            "Full points only if every machine is guarded. N/A if there is no machinery.",
            "Every machine is guarded",
        ),
        ("Yes if the OHS Act s.33 report was made", "The OHS Act s.33 report was made"),
        ("Score in proportion to the records sampled.", ""),
    ],
)
def test_compliance_target_is_the_full_marks_clause(guidance: str, target: str) -> None:
    assert compliance_target(guidance) == target


def test_no_generated_improvement_in_the_demo_report(tmp_path: Path) -> None:
    with Audit.open(build_demo(tmp_path / "demo.audit")) as audit:
        data = render(audit, "md").decode()
    assert "Bring question" not in data and "more points in element" not in data


def test_components_carry_the_protocols_own_names(tmp_path: Path) -> None:
    from auditkit.audit import Profile

    with Audit.create(
        tmp_path / "s.audit",
        Profile(company="Small Co", protocol="secor", headcounts=(6,), sites=("Shop",)),
    ) as audit:
        assert audit.protocol.component_title("infrastructure") == "Work site inspection"
        report = build(audit)
    components = {q.component for e in report.elements for q in e.questions}
    assert "Work site inspection" in components
    assert "Infrastructure inspection" not in components
