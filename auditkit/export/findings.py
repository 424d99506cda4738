"""What the report concludes: strengths, priority improvements, scope figures, training.

Pure functions over an audit's scores and answers; :mod:`auditkit.export.report` calls them once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from auditkit.audit import Audit
from auditkit.rules import training
from auditkit.rules.catalogue import load_catalogue
from auditkit.rules.finalize import recorded_deviation
from auditkit.rules.sampling import SampleProgress, progress_of
from auditkit.rules.scoring import QuestionScore, Scores, compliance_of, display_percent
from auditkit.store.records import AnswerRow, Subject

MAX_STRENGTHS = 5
MAX_IMPROVEMENTS = 5
ROLE_TITLES = {
    "senior_manager": "Senior managers",
    "manager": "Managers",
    "supervisor": "Supervisors",
    "worker": "Workers",
}


@dataclass(frozen=True)
class Improvement:
    """A high-priority improvement in the executive-summary form: what, how, what it gains."""

    question: str
    element: str
    deficiency: str
    action: str
    benefit: str


@dataclass(frozen=True)
class ScopeRow:
    """A line of the scope table: what, how many done, how many required ("" if no rule)."""

    what: str
    done: str
    required: str = ""


@dataclass(frozen=True)
class CourseEntry:
    course: str
    title: str
    provider: str
    reason: str
    questions: tuple[str, ...]


def strengths(scores: Scores) -> tuple[str, ...]:
    """Elements at or above the overall pass mark, best first, and the full-mark count."""
    mark = scores.rule.overall
    strong = sorted(
        (e for e in scores.elements if e.percent is not None and e.percent >= mark),
        key=lambda e: (-(e.percent or 0), e.number),
    )
    lines = [
        f"Element {e.number} {e.title}: {display_percent(e.percent)} "
        f"({e.awarded} of {e.possible} points)"
        for e in strong[:MAX_STRENGTHS]
    ]
    full = sum(1 for q in scores.items.values() if q.status == "scored" and q.awarded == q.possible)
    if full:
        lines.append(f"{full} questions earned full points.")
    return tuple(lines)


def weak_notes(
    result: QuestionScore, rows: Iterable[AnswerRow], names: Mapping[str, str]
) -> list[str]:
    """The auditor's notes on the answers that cost points, labelled by subject."""
    notes = []
    for row in rows:
        if not row.note or row.value is None:
            continue
        level = compliance_of(result.question, row.value)
        if level is not None and level < 1:
            who = names.get(row.subject_id, "")
            note = row.note.strip().rstrip(".")
            notes.append(f"{who}: {note}" if who else note)
    return notes


# The guidance states what earns full points ("Yes if …; partial if …"); the corrective action
# quotes that clause alone, not the scoring instructions around it.
_FULL_MARKS = re.compile(r"\b(?:Yes if|Full points only if) (.+?)(?:;|\.(?:\s|$)|$)", re.S)


def compliance_target(guidance: str) -> str:
    """What full compliance looks like, from a question's guidance ("" when it does not say)."""
    found = _FULL_MARKS.search(guidance)
    if not found:
        return ""
    clause = found.group(1).strip().rstrip(".")
    return clause[0].upper() + clause[1:]


def improvements(
    scores: Scores, rows_by_question: Mapping[str, list[AnswerRow]], names: Mapping[str, str]
) -> tuple[Improvement, ...]:
    """The questions that lost the most points, those in failed elements first."""
    elements = {e.id: e for e in scores.elements}
    catalogue = load_catalogue()
    lost = [r for r in scores.items.values() if r.status == "scored" and r.awarded < r.possible]
    lost.sort(
        key=lambda r: (
            not elements[r.question.element].failed,
            r.awarded - r.possible,
            elements[r.question.element].percent or 0,
            r.question.id,
        )
    )
    found = []
    for result in lost[:MAX_IMPROVEMENTS]:
        question = result.question
        element = elements[question.element]
        gap = result.possible - result.awarded
        deficiency = f"{question.text} {result.awarded} of {result.possible} points."
        rows = [
            row
            for qid in (question.id, *(p.question.id for p in result.parts))
            for row in rows_by_question.get(qid, [])
        ]
        notes = weak_notes(result, rows, names)
        if result.cascaded:
            deficiency += f" Scored by cascade: {result.cascaded} earned no points."
        if notes:
            deficiency += " Found: " + "; ".join(notes[:3]) + "."
        kind = "criterion" if result.is_criterion else "question"
        action = f"Bring {kind} {question.id} to full compliance"
        action += f" ({question.reference})." if question.reference else "."
        target = compliance_target(question.guidance)
        if target:
            action += f" Target: {target}."
        courses = [catalogue[c].title for c in question.training if c in catalogue]
        if courses:
            action += " Training: " + "; ".join(courses) + "."
        after = Fraction((element.awarded + gap) * 100, element.possible)
        benefit = (
            f"Up to {gap} more points in element {element.number}: "
            f"{display_percent(element.percent)} to {display_percent(after)}"
        )
        if element.failed and element.minimum is not None and after >= element.minimum:
            benefit += f", above the {element.minimum} % minimum"
        found.append(
            Improvement(
                question.id, f"{element.number} {element.title}", deficiency, action, benefit + "."
            )
        )
    return tuple(found)


def scope(
    audit: Audit,
    scores: Scores,
    subjects: list[Subject],
    answered_subjects: set[str],
    progress: SampleProgress | None = None,
) -> tuple[ScopeRow, ...]:
    """Scope and method figures against the sampling rules: every active site, visited or not,
    the workforce by level, interviews per level, and any sampling deviation accepted at
    finalize."""
    if progress is None:
        answered = audit.store.answer_values()
        progress = progress_of(audit.protocol, audit.profile, subjects, answered)
    rows: list[ScopeRow] = []
    visited = set(progress.sites_visited)
    for site in (s for s in subjects if s.kind == "site"):
        head = " (head office)" if site.label == progress.head_office else ""
        seen = "visited" if site.label in visited else "not visited"
        rows.append(ScopeRow(f"Active site: {site.label}{head}", seen))
    required_sites = (
        str(progress.sites_required) if progress.sites_required is not None else "set by the CP"
    )
    rows.append(
        ScopeRow(
            "Sites visited (of those in scope)",
            f"{len(visited)} of {progress.sites}",
            required_sites if progress.sites else "",
        )
    )
    plan = progress.plan
    if plan is not None:
        basis = "staff by level" if plan.staff is not None else "largest monthly headcount"
        rows.append(ScopeRow(f"Workforce in scope ({basis})", str(plan.workers)))
    for role in progress.roles:
        count = str(role.done)
        if role.questionnaires:
            count += f" ({role.questionnaires} by written questionnaire)"
        staff = f" (staff {role.staff})" if role.staff is not None else ""
        need = str(role.required) if role.required is not None else ""
        title = ROLE_TITLES[role.role].lower()
        rows.append(ScopeRow(f"Interviews: {title}{staff}", count, need))
    total = "" if plan is None or plan.total is None else str(plan.total)
    if plan is not None and plan.everyone:
        total += " (everyone)"
    elif plan is not None and plan.total is None:
        total = "set by the CP"
    rows.append(ScopeRow("Interviews: all roles", str(progress.interviews_done), total))
    deviation = recorded_deviation(audit.profile)
    if deviation is not None:
        text, shortfalls = deviation
        rows.append(
            ScopeRow(
                "Deviation from the sample, accepted at finalize: " + text,
                "; ".join(shortfalls),
            )
        )
    documents = [r for r in scores.questions.values() if r.question.component == "documents"]
    reviewed = sum(1 for r in documents if r.status != "unanswered")
    rows.append(ScopeRow("Document-review questions answered", f"{reviewed} of {len(documents)}"))
    incidents = [s for s in subjects if s.kind == "incident"]
    reviewed = sum(1 for s in incidents if s.id in answered_subjects)
    rows.append(ScopeRow("Incident records reviewed", f"{reviewed} of {len(incidents)}"))
    for method in ("documentation", "interview", "observation"):
        used = [r for r in scores.questions.values() if method in r.question.methods]
        done = sum(1 for r in used if r.status != "unanswered")
        rows.append(ScopeRow(f"Questions verified by {method}", f"{done} of {len(used)}"))
    return tuple(rows)


def recommendations(audit: Audit, scores: Scores) -> tuple[CourseEntry, ...]:
    """The training recommendations as the auditor curated them (dropped ones left out),
    each with why and the questions behind it."""
    failed = {e.id: f"{e.number} {e.title}" for e in scores.elements}
    found = []
    for item in training.recommend(audit, scores):
        if not item.kept:
            continue
        reasons = []
        if item.questions:
            count, lost = len(item.questions), item.points_lost
            reasons.append(
                f"{count} question{'s' if count > 1 else ''} lost {lost} "
                f"point{'s' if lost > 1 else ''}"
            )
        if item.elements:
            reasons.append(
                "addresses element(s) below minimum: "
                + ", ".join(failed.get(e, e) for e in item.elements)
            )
        if item.required:
            reasons.append(f"required for {audit.protocol.certificate}; not recorded as completed")
        if item.status == training.ADDED:
            reasons.append("added by the auditor")
        elif item.status == training.ACCEPTED:
            reasons.append("accepted by the auditor")
        if item.note:
            reasons.append(item.note)
        found.append(
            CourseEntry(
                item.course_id,
                item.title,
                item.provider,
                "; ".join(reasons),
                tuple(q.question_id for q in item.questions),
            )
        )
    return tuple(found)
