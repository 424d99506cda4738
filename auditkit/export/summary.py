"""The executive summary as certifying partners require it, and the findings the report carries.

Score statement; purpose, scope, employer, locations audited and time frame; strengths written
from the auditor's notes (never percentages); key SFIs with deficiency, corrective action and the
benefit to the health and safety management system; audit activities; the auditor's sign-off.
Only the auditor's words are used for strengths and SFIs: nothing here invents a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditkit.export.findings import Improvement
from auditkit.rules.findings import Finding, ItemResult, ScoredItem, item_results, scored_items
from auditkit.rules.findings import findings as stored_findings
from auditkit.rules.scoring import compliance_of

if TYPE_CHECKING:
    from auditkit.audit import Audit
    from auditkit.rules.scoring import Scores
    from auditkit.store.audit_file import AnswerRow, Subject

MAX_STRENGTHS = 5
STRENGTH_AT = 100  # % of points: an item fully in place is where a strength is written
PURPOSES = {
    "certification": "a certification audit, to determine whether {company} qualifies for a "
    "{certificate}",
    "recertification": "a recertification audit, to determine whether {company} keeps its "
    "{certificate} for a new three-year cycle",
    "maintenance": "a maintenance audit, to confirm that {company} maintains the health and "
    "safety management system its {certificate} recognises",
}
CERTIFICATES = {
    "COR": "Certificate of Recognition (COR)",
    "SECOR": "Small Employer Certificate of Recognition (SECOR)",
}
# What a corrected deficiency gives the health and safety management system, per PIR element
# (numbered alike in every Alberta COR instrument): the "benefit" of a key SFI.
BENEFITS = {
    1: "Management's commitment is visible and measurable, so workers see that health and "
    "safety is part of how the company is run.",
    2: "Visitors, the public and contracted workers are protected by the same controls as the "
    "employer's own workers.",
    3: "Workers take part in identifying and resolving health and safety concerns, as the OHS "
    "Act expects of a joint committee or representative.",
    4: "Workers are competent for the work they do, and the company can show it.",
    5: "Hazards are identified before work starts, so controls are chosen rather than improvised.",
    6: "The controls chosen in the hazard assessment are in place and used at the work site.",
    7: "Unsafe conditions and equipment are found and corrected before they hurt someone.",
    8: "Workers know what to do in an emergency and the equipment to respond is ready.",
    9: "Incidents lead to root causes and corrective actions, so they are not repeated.",
    10: "The program is reviewed and kept current, so the system improves year over year.",
}
DECLARATION = (
    "I declare that I conducted this audit in accordance with the audit standards of "
    "{partner}, that its findings rest on the documentation reviewed, the interviews held and "
    "the work sites observed as recorded in this report, and that to the best of my knowledge "
    "the report is complete and accurate."
)


@dataclass(frozen=True)
class FindingLine:
    """An item's finding, shown under its question in the report."""

    item: str
    note: str
    sfi: str
    priority: str
    key: bool
    courses: tuple[str, ...] = ()  # training recommended for this item, after its SFI
    note_label: str = "Justification"  # "Written response" in a SECOR self-assessment


@dataclass(frozen=True)
class ExecutiveSummary:
    purpose: str
    scope: str
    employer: str
    locations: tuple[str, ...]
    time_frame: str
    strengths: tuple[str, ...]
    key_sfis: tuple[Improvement, ...]
    activities: tuple[str, ...]
    declaration: str
    signatories: tuple[tuple[str, str], ...]  # (auditor name, certification number)


def is_self_assessment(audit: Audit) -> bool:
    """A SECOR audit: the report is the self-assessment package the CP scores."""
    return audit.protocol.certificate == "SECOR"


def finding_lines(
    audit: Audit, courses: dict[str, tuple[str, ...]] | None = None
) -> dict[str, FindingLine]:
    """Each finding, by the id of its scored item (a criterion or a stand-alone question, as the
    report lists them); ``courses`` are the recommended course titles by item id."""
    found = stored_findings(audit)
    secor = is_self_assessment(audit)
    lines: dict[str, FindingLine] = {}
    for item in scored_items(audit.protocol):
        f = found.get(item.id)
        if not secor and (f is None or not (f.note or f.sfi)):
            continue
        f = f or Finding(item.id)
        lines[item.id] = FindingLine(
            item.id,
            f.note or ("(no written response yet)" if secor else ""),
            f.sfi,
            f.priority,
            f.key,
            (courses or {}).get(item.id, ()),
            "Written response" if secor else "Justification",
        )
    return lines


def strengths(
    audit: Audit,
    items: list[ScoredItem],
    results: dict[str, ItemResult],
    found: dict[str, Finding],
    by_question: dict[str, list[AnswerRow]],
) -> tuple[str, ...]:
    """Company-specific strengths: the auditor's notes on items fully in place, one per
    element: the item's finding note first, else the note of a full-marks answer (documents
    before the field, since they name the company's own records). Never a percentage."""
    titles = {e.id: e.title for e in audit.protocol.elements}
    lines: list[str] = []
    seen: set[str] = set()
    for item in items:
        result = results.get(item.id)
        percent = result.percent if result else None
        if percent is None or percent < STRENGTH_AT or item.element in seen:
            continue
        finding = found.get(item.id)
        note = (
            finding.note if finding and finding.note else _full_marks_note(audit, item, by_question)
        )
        if note:
            seen.add(item.element)
            lines.append(f"{titles.get(item.element, item.element)}: {note.rstrip('.')}.")
        if len(lines) == MAX_STRENGTHS:
            break
    return tuple(lines)


def _full_marks_note(
    audit: Audit, item: ScoredItem, by_question: dict[str, list[AnswerRow]]
) -> str:
    """The note of an answer that earned full marks, document review first ("" if none)."""
    notes = []
    for q in item.parts:
        question = audit.protocol.question(q)
        for row in by_question.get(q, []):
            level = compliance_of(question, row.value) if row.value is not None else None
            if row.note.strip() and level == 1:
                notes.append((question.component != "documents", row.note.strip()))
    return min(notes)[1] if notes else ""


def key_sfis(
    audit: Audit,
    items: list[ScoredItem],
    found: dict[str, Finding],
    by_question: dict[str, list[AnswerRow]],
) -> tuple[Improvement, ...]:
    """The SFIs the auditor marked key, each with deficiency, corrective action and benefit."""
    elements = {e.id: e for e in audit.protocol.elements}
    out = []
    for item in items:
        finding = found.get(item.id)
        if finding is None or not finding.key or not finding.sfi:
            continue
        element = elements.get(item.element)
        number = element.number if element else 0
        deficiency = finding.note or "; ".join(_weak_notes(audit, item, by_question))
        out.append(
            Improvement(
                question=item.id,
                element=f"{number} {element.title}" if element else item.element,
                deficiency=deficiency or f"Not fully met: {item.text}",
                action=finding.sfi,
                benefit=BENEFITS.get(
                    number, "Strengthens the health and safety management system."
                ),
            )
        )
    return tuple(out)


def _weak_notes(
    audit: Audit, item: ScoredItem, by_question: dict[str, list[AnswerRow]]
) -> list[str]:
    notes = []
    for q in item.parts:
        question = audit.protocol.question(q)
        for row in by_question.get(q, []):
            level = compliance_of(question, row.value) if row.value is not None else None
            if row.note.strip() and level is not None and level < 1:
                notes.append(row.note.strip().rstrip("."))
    return notes[:3]


def summary(
    audit: Audit,
    scores: Scores,
    subjects: list[Subject],
    answered_subjects: set[str],
    by_question: dict[str, list[AnswerRow]],
) -> ExecutiveSummary:
    """The executive summary of ``audit`` from its profile, findings and answers."""
    p = audit.profile
    company = str(p.get("company") or "the employer")
    certificate = CERTIFICATES.get(audit.protocol.certificate, audit.protocol.certificate)
    purpose = PURPOSES.get(audit.purpose, "an audit of {company}").format(
        company=company, certificate=certificate
    )
    sites = [s for s in subjects if s.kind == "site"]
    visited = [s.label for s in sites if s.id in answered_subjects]
    locations = tuple(f"{label} (visited)" for label in visited) + tuple(
        f"{s.label} (in scope, not visited)" for s in sites if s.label not in visited
    )
    scope = (
        f"The {audit.protocol.title} ({audit.protocol.id} {audit.protocol.version}) across "
        f"{company}'s operations in Alberta: {len(sites)} active site(s), "
        f"{len(visited)} visited."
    )
    employer = ", ".join(str(v) for v in (company, p.get("address"), p.get("operations")) if v) + (
        f" (WCB account {p['wcb_account']})" if p.get("wcb_account") else ""
    )
    time_frame = _time_frame(p)
    items = scored_items(audit.protocol)
    results = item_results(audit.protocol, scores)
    found = stored_findings(audit)
    partner = str(p.get("partner") or "the certifying partner")
    names = audit.auditors or [""]
    number = str(p.get("auditor_number") or "")
    return ExecutiveSummary(
        purpose=f"This was {purpose}.",
        scope=scope,
        employer=employer,
        locations=locations,
        time_frame=time_frame,
        strengths=strengths(audit, items, results, found, by_question),
        key_sfis=key_sfis(audit, items, found, by_question),
        activities=activities(audit, scores, subjects, answered_subjects),
        declaration=DECLARATION.format(partner=partner),
        signatories=tuple((name, number if i == 0 else "") for i, name in enumerate(names)),
    )


def activities(
    audit: Audit, scores: Scores, subjects: list[Subject], answered_subjects: set[str]
) -> tuple[str, ...]:
    """What the auditor did, by verification technique, in whole sentences."""
    results = scores.questions.values()
    documents = [r for r in results if "documentation" in r.question.methods]
    reviewed = sum(1 for r in documents if r.status != "unanswered")
    incidents = [s for s in subjects if s.kind == "incident"]
    read = sum(1 for s in incidents if s.id in answered_subjects)
    people = [s for s in subjects if s.kind == "interviewee" and s.id in answered_subjects]
    by_role: dict[str, int] = {}
    for person in people:
        by_role[person.role] = by_role.get(person.role, 0) + 1
    roles = ", ".join(
        f"{n} {role.replace('_', ' ')}{'s' if n > 1 else ''}" for role, n in by_role.items()
    )
    sites = [s for s in subjects if s.kind == "site"]
    seen = [s.label for s in sites if s.id in answered_subjects]
    return (
        f"Documentation review: {reviewed} of {len(documents)} documentation questions "
        f"answered; {read} incident record(s) reviewed.",
        f"Interviews: {len(people)} held" + (f" ({roles})." if roles else "."),
        f"Observation: {len(seen)} of {len(sites)} site(s) toured"
        + (f" ({'; '.join(seen)})." if seen else "."),
    )


def _time_frame(p: dict[str, object]) -> str:
    start, end = p.get("start_date") or "", p.get("end_date") or ""
    text = f"Data gathered {start}" + (f" to {end}" if end and end != start else "")
    if p.get("review_start") or p.get("review_end"):
        text += (
            f"; records reviewed from {p.get('review_start') or '?'} "
            f"to {p.get('review_end') or '?'}"
        )
    return text + "."
