"""What the report makes of findings: SFIs under their questions, courses after them, the action
plan the employer works from, and prerequisites in an appendix, not among the findings."""

from __future__ import annotations

from pathlib import Path

import docx

from auditkit.audit import Audit
from auditkit.export import render
from auditkit.export.report import build
from auditkit.rules.actions import set_action
from auditkit.rules.findings import set_finding

SFI = "Have the owner sign and date the policy, then post it at the yard and the shop."


def _with_finding(audit: Audit) -> None:
    audit.answer("1.D1", "partial")
    set_finding(audit, "1.D1", note="Policy on file is unsigned.", sfi=SFI, priority="high")
    set_action(audit, "1.D1", owner="Office manager", due="2027-02-15")


def test_markdown_shows_sfi_then_its_courses_and_the_action_plan(audit: Audit) -> None:
    _with_finding(audit)
    text = render(audit, "md").decode()
    block = text[text.index("**1.D1**", text.index("## Questions")) :]
    block = block[: block.index("\n\n**", 10)]
    assert "*Justification (1.D1):* Policy on file is unsigned." in block
    assert block.index(SFI) < block.index("*Training that addresses it:* Health and Safety")
    plan = text[text.index("## Action plan") : text.index("## Auditor sign-off")]
    assert "| 1 | 1.D1 | 1 Management Leadership" in plan and "Office manager" in plan
    assert "2027-02-15" in plan and "| Open |" in plan


def test_prerequisites_go_to_an_appendix_not_the_findings(audit: Audit) -> None:
    report = build(audit)  # nothing answered: the COR courses are only prerequisites
    assert report.recommendations == ()
    (rule,) = report.prerequisites
    assert rule.when == "Registration" and "one person holds every course" in rule.who
    assert "Alberta OHS Legislation" in rule.courses
    text = render(audit, "md").decode()
    appendix = text[text.index("## Appendix: training prerequisites") :]
    assert "Leadership for Safety Excellence" in appendix
    audit.update_profile(partner="ACSA")
    assert "COR Auditor Training" in build(audit).prerequisites[0].courses


def test_word_report_has_the_action_plan_and_the_declaration(audit: Audit, tmp_path: Path) -> None:
    _with_finding(audit)
    audit.update_profile(partner="ACSA", auditor_number="A-2041")
    out = tmp_path / "report.docx"
    out.write_bytes(render(audit, "docx"))
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Key suggestions for improvement", "Audit activities", "Action plan"):
        assert heading in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert "audit standards of ACSA" in body
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert SFI in cells and "Office manager" in cells and "A-2041" in cells


def test_secor_report_is_the_self_assessment_package(tmp_path: Path) -> None:
    from auditkit.audit import Profile
    from auditkit.rules.attachments import add_evidence

    path = tmp_path / "kestrel.audit"
    with Audit.create(
        path, Profile(company="Kestrel Plumbing Ltd", protocol="secor", headcounts=(6,))
    ) as audit:
        doc = next(q for q in audit.protocol.questions if q.subject == "none")
        audit.answer(doc.id, "yes")
        response = "Policy signed by the owner on 12 March 2026, posted in the shop and trucks."
        set_finding(audit, doc.id, note=response)
        scan = tmp_path / "policy.pdf"
        scan.write_bytes(b"%PDF-1.4 policy")
        add_evidence(audit, doc.id, [scan], caption="Signed policy")
        text = render(audit, "md").decode()
    assert text.startswith("# SECOR self-assessment — Kestrel Plumbing Ltd")
    assert "Self-score: 100.0 %" in text and "as scored by the employer" in text
    block = text[text.index(f"**{doc.id}**", text.index("## Questions")) :]
    block = block[: block.index("\n\n**", 10)]
    assert f"**Self-score {doc.points} / {doc.points}**" in block
    assert block.index(f"*Written response ({doc.id}):* {response}") < block.index("policy.pdf")
    from auditkit.rules.findings import scored_items

    other = next(i for i in scored_items(audit.protocol) if i.id != doc.id)
    assert f"*Written response ({other.id}):* (no written response yet)" in text


def test_xlsx_actions_sheet_is_the_action_plan(audit: Audit, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _with_finding(audit)
    out = tmp_path / "data.xlsx"
    out.write_bytes(render(audit, "xlsx"))
    rows = list(load_workbook(out)["Actions"].iter_rows(values_only=True))
    assert rows[1] == (
        "1.D1",
        "1.D1",
        "leadership",
        "high",
        SFI,
        "Office manager",
        "2027-02-15",
        "open",
    )
