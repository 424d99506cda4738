"""What the report concludes: scope figures and training (strengths and key SFIs: summary.py).

Pure functions over an audit's scores and answers; :mod:`auditkit.export.report` calls them once.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.audit import Audit
from auditkit.rules import training
from auditkit.rules.catalogue import load_catalogue
from auditkit.rules.requirements import requirements_for
from auditkit.rules.sampling import load_sampling, required_interviews, required_sites
from auditkit.rules.scoring import Scores
from auditkit.store.audit_file import Subject
from auditkit.vocabulary import ROLES

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
    audit: Audit, scores: Scores, subjects: list[Subject], answered_subjects: set[str]
) -> tuple[ScopeRow, ...]:
    """Scope and method figures, against the sampling rules (data/sampling.yaml) where the
    workforce size is known."""
    rules = load_sampling()
    rows: list[ScopeRow] = []
    sites = [s for s in subjects if s.kind == "site"]
    visited = sum(1 for s in sites if s.id in answered_subjects)
    rows.append(
        ScopeRow(
            "Sites visited (of those in scope)",
            f"{visited} of {len(sites)}",
            str(required_sites(len(sites), rules)),
        )
    )
    workers = audit.profile.get("workers")
    plan = required_interviews(int(workers), rules) if workers is not None else None
    if workers is not None:
        rows.append(ScopeRow("Workforce (largest monthly headcount)", str(workers)))
    interviewees = [s for s in subjects if s.kind == "interviewee"]
    for role in ROLES:
        done = sum(1 for s in interviewees if s.role == role and s.id in answered_subjects)
        required = str(plan.by_role.get(role, 0)) if plan and not plan.everyone else ""
        rows.append(ScopeRow(f"Interviews: {ROLE_TITLES[role].lower()}", str(done), required))
    total = sum(1 for s in interviewees if s.id in answered_subjects)
    required = "" if plan is None else f"{plan.total}" + (" (everyone)" if plan.everyone else "")
    rows.append(ScopeRow("Interviews: all roles", str(total), required))
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
