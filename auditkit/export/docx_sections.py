"""The Word report's executive summary, action plan, "Since the last audit" and prerequisites."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.shared import Pt, RGBColor

from auditkit.export.docx import RED, add_table
from auditkit.export.report import Report
from auditkit.export.wordml import clean


def summary(doc: DocumentObject, report: Report) -> None:
    facts = report.summary
    doc.add_heading("Executive summary", 1)
    doc.add_paragraph(clean(report.statement))
    verdict = doc.add_paragraph()
    run = verdict.add_run(report.verdict + "  ")
    run.bold, run.font.size = True, Pt(13)
    run.font.color.rgb = RGBColor(0x2E, 0x7D, 0x4F) if report.verdict.startswith("PASS") else RED
    verdict.add_run(clean(" ".join(report.reasons)))
    add_table(
        doc,
        ("", ""),
        [
            ("Purpose", facts.purpose),
            ("Scope", facts.scope),
            ("Employer", facts.employer),
            ("Locations audited", "; ".join(facts.locations) or "No site recorded"),
            ("Time frame", facts.time_frame),
        ],
        (4.5, 12.5),
        header=False,
    )
    doc.add_heading("Strengths", 2)
    for strength in report.strengths or (
        "None recorded yet: strengths are written from the auditor's notes on the items "
        "fully in place.",
    ):
        doc.add_paragraph(clean(strength), style="List Bullet")
    doc.add_heading("Key suggestions for improvement", 2)
    if not report.improvements:
        doc.add_paragraph("No key SFI chosen yet.")
    for n, imp in enumerate(report.improvements, 1):
        title = doc.add_paragraph().add_run(f"{n}. {imp.question} — element {clean(imp.element)}")
        title.bold = True
        for label, text in (
            ("Deficiency", imp.deficiency),
            ("Corrective action", imp.action),
            ("Benefit to the health and safety management system", imp.benefit),
        ):
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(clean(text))
    doc.add_heading("Audit activities", 2)
    for activity in facts.activities:
        doc.add_paragraph(clean(activity), style="List Bullet")


def action_plan(doc: DocumentObject, report: Report) -> None:
    """The employer's working copy: one action per SFI, owner and date to fill in."""
    doc.add_heading("Action plan", 1)
    if not report.actions:
        doc.add_paragraph("No suggestion for improvement recorded.")
        return
    doc.add_paragraph(
        "One action per suggestion for improvement. The employer fills in the owner and the "
        "due date and keeps the status current until the next audit."
    )
    add_table(
        doc,
        ("#", "Item", "Priority", "Action", "Owner", "Due", "Status"),
        [
            (str(n), a.item, a.priority, a.text, a.owner, a.due, a.status)
            for n, a in enumerate(report.actions, 1)
        ],
        (0.8, 1.4, 1.6, 6.6, 2.8, 2.0, 1.8),
    )


def since_last(doc: DocumentObject, report: Report) -> None:
    since = report.since
    if since is None:
        return
    doc.add_heading("Since the last audit", 1)
    doc.add_paragraph(clean(f"Previous audit: {since.previous}."))
    add_table(
        doc,
        ("Element", "Then", "Now", "Change"),
        list(since.scores),
        (9.5, 2.5, 2.5, 2.5),
        frozenset({1, 2, 3}),
    )
    doc.add_heading("Follow-up of the previous action plan", 2)
    if since.carried:
        add_table(
            doc,
            ("Item", "Action", "Owner", "Due", "Status"),
            [(a.item, a.text, a.owner, a.due, a.status) for a in since.carried],
            (1.5, 8, 3, 2.5, 2),
        )
    else:
        doc.add_paragraph("Every action of the previous audit was done.")
    if since.sites:
        doc.add_heading("Site visits in this cycle", 2)
        add_table(doc, ("Site", "Visited before"), list(since.sites), (8.5, 8.5))


def prerequisites(doc: DocumentObject, report: Report) -> None:
    """The course rules the CP checks at registration: an appendix, not findings."""
    doc.add_heading("Appendix: training prerequisites", 1)
    doc.add_paragraph(
        "Courses the certifying partner requires of the employer, checked at registration "
        "(and for the maintenance years); listed here, not among the findings."
    )
    add_table(
        doc,
        ("When", "Who", "Courses", "Status"),
        [(p.when, p.who, p.courses, p.status) for p in report.prerequisites],
        (2.5, 5.5, 5, 4),
    )
