"""What the report concludes: scope figures and training (strengths and key SFIs: summary.py).

Pure functions over an audit's scores and answers; :mod:`auditkit.export.report` calls them once.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.audit import Audit
from auditkit.rules import training
from auditkit.rules.catalogue import load_catalogue
from auditkit.rules.finalize import recorded_deviation
from auditkit.rules.interviews import by_shift
from auditkit.rules.requirements import requirements_for
from auditkit.rules.sampling import SampleProgress, progress_of
from auditkit.rules.scoring import Scores
from auditkit.store.records import Subject

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
    interviewed = [
        s.fields for s in subjects if s.kind == "interviewee" and s.id in answered_subjects
    ]
    shifts = by_shift(interviewed)
    if shifts:  # QA looks for interviews across shifts as well as levels and sites
        rows.append(ScopeRow("Interviews by shift", shifts))
    days = sorted(str(f["date"]) for f in interviewed if f.get("date"))
    if days:
        rows.append(
            ScopeRow(
                "Interview dates", days[0] if days[0] == days[-1] else f"{days[0]} to {days[-1]}"
            )
        )
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
        # A course proposed only because the certificate requires it is a registration
        # prerequisite the CP checks: it goes to the appendix, not among the findings.
        only_required = item.required and not (item.questions or item.elements)
        if not item.kept or (only_required and item.status == training.PROPOSED):
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


@dataclass(frozen=True)
class PrerequisiteLine:
    """A course rule the CP checks at registration (or for the maintenance years)."""

    when: str  # "Registration" | "Maintenance years"
    who: str
    courses: str  # titles, "; "-separated
    status: str  # "Recorded as completed" | "Not recorded as completed: …"


def prerequisites(audit: Audit) -> tuple[PrerequisiteLine, ...]:
    """The certificate's course rules under the audit's partner, and what the profile records."""
    catalogue = load_catalogue()
    done = set(training.completed_courses(audit))
    lines = []
    for rule in requirements_for(
        audit.protocol.certificate, str(audit.profile.get("partner") or ""), audit.purpose
    ):
        titles = [catalogue[c].title for c in rule.courses if c in catalogue]
        missing = [catalogue[c].title for c in rule.courses if c in catalogue and c not in done]
        who = rule.who + (" (one person holds every course)" if rule.per == "person" else "")
        lines.append(
            PrerequisiteLine(
                "Registration" if rule.when == "registration" else "Maintenance years",
                who,
                "; ".join(titles),
                "Recorded as completed"
                if not missing
                else "Not recorded as completed: " + "; ".join(missing),
            )
        )
    return tuple(lines)
