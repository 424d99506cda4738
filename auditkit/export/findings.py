"""What the report concludes: strengths, priority improvements, scope figures, training.

Pure functions over an audit's scores and answers; :mod:`auditkit.export.report` calls them once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from auditkit.audit import Audit
from auditkit.catalogue import load_catalogue
from auditkit.protocol import ROLES
from auditkit.scoring import QuestionScore, Scores, compliance_of, display_percent
from auditkit.store import AnswerRow, Subject

MAX_STRENGTHS = 5
MAX_IMPROVEMENTS = 5
ROLE_TITLES = {"senior_manager": "Senior managers", "manager": "Managers",
               "supervisor": "Supervisors", "worker": "Workers"}


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
class Recommendation:
    course: str
    title: str
    provider: str
    reason: str
    questions: tuple[str, ...]


def strengths(scores: Scores) -> tuple[str, ...]:
    """Elements at or above the overall pass mark, best first, and the full-mark count."""
    mark = scores.rule.overall
    strong = sorted((e for e in scores.elements if e.percent is not None and e.percent >= mark),
                    key=lambda e: (-(e.percent or 0), e.number))
    lines = [f"Element {e.number} {e.title}: {display_percent(e.percent)} "
             f"({e.awarded} of {e.possible} points)" for e in strong[:MAX_STRENGTHS]]
    full = sum(1 for q in scores.questions.values()
               if q.status == "scored" and q.awarded == q.possible)
    if full:
        lines.append(f"{full} questions earned full points.")
    return tuple(lines)


def weak_notes(result: QuestionScore, rows: Iterable[AnswerRow],
               names: Mapping[str, str]) -> list[str]:
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


def improvements(scores: Scores, rows_by_question: Mapping[str, list[AnswerRow]],
                 names: Mapping[str, str]) -> tuple[Improvement, ...]:
    """The questions that lost the most points, those in failed elements first."""
    elements = {e.id: e for e in scores.elements}
    catalogue = load_catalogue()
    lost = [r for r in scores.questions.values() if r.status == "scored" and r.awarded < r.possible]
    lost.sort(key=lambda r: (not elements[r.question.element].failed, r.awarded - r.possible,
                             elements[r.question.element].percent or 0, r.question.id))
    found = []
    for result in lost[:MAX_IMPROVEMENTS]:
        question = result.question
        element = elements[question.element]
        gap = result.possible - result.awarded
        deficiency = f"{question.text} {result.awarded} of {result.possible} points."
        notes = weak_notes(result, rows_by_question.get(question.id, []), names)
        if notes:
            deficiency += " Found: " + "; ".join(notes[:3]) + "."
        action = f"Bring question {question.id} to full compliance"
        action += f" ({question.reference})." if question.reference else "."
        if question.guidance:
            action += f" What the auditor looks for: {question.guidance}"
        courses = [catalogue[c].title for c in question.training if c in catalogue]
        if courses:
            action += " Training: " + "; ".join(courses) + "."
        after = Fraction((element.awarded + gap) * 100, element.possible)
        benefit = (f"Up to {gap} more points in element {element.number}: "
                   f"{display_percent(element.percent)} to {display_percent(after)}")
        if element.failed and element.minimum is not None and after >= element.minimum:
            benefit += f", above the {element.minimum} % minimum"
        found.append(Improvement(question.id, f"{element.number} {element.title}", deficiency,
                                 action, benefit + "."))
    return tuple(found)


def scope(audit: Audit, scores: Scores, subjects: list[Subject],
          answered_subjects: set[str]) -> tuple[ScopeRow, ...]:
    """Scope and method figures: what was done, against what is required where a rule applies."""
    rows: list[ScopeRow] = []
    sites = [s for s in subjects if s.kind == "site"]
    visited = sum(1 for s in sites if s.id in answered_subjects)
    rows.append(ScopeRow("Sites visited (of those in scope)", f"{visited} of {len(sites)}"))
    workers = audit.profile.get("workers")
    if workers is not None:
        rows.append(ScopeRow("Workforce (largest monthly headcount)", str(workers)))
    interviewees = [s for s in subjects if s.kind == "interviewee"]
    for role in ROLES:
        done = sum(1 for s in interviewees if s.role == role and s.id in answered_subjects)
        rows.append(ScopeRow(f"Interviews: {ROLE_TITLES[role].lower()}", str(done)))
    total = sum(1 for s in interviewees if s.id in answered_subjects)
    rows.append(ScopeRow("Interviews: all roles", str(total)))
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


def recommendations(audit: Audit, scores: Scores) -> tuple[Recommendation, ...]:
    """Courses addressing the questions that lost points and the elements under their minimum,
    then the certificate's required courses the company has not completed.
    """
    catalogue = load_catalogue()
    lost: dict[str, int] = {}
    behind: dict[str, list[str]] = {}
    for result in scores.questions.values():
        if result.status != "scored" or result.awarded >= result.possible:
            continue
        for course_id in result.question.training:
            behind.setdefault(course_id, []).append(result.question.id)
            lost[course_id] = lost.get(course_id, 0) + result.possible - result.awarded
    failed = {e.id: e for e in scores.failed_elements}
    found = []
    for course_id in sorted(behind, key=lambda c: (-lost[c], c)):
        course = catalogue.get(course_id)
        if course is None:
            continue
        count = len(behind[course_id])
        reason = (f"{count} question{'s' if count > 1 else ''} lost {lost[course_id]} "
                  f"point{'s' if lost[course_id] > 1 else ''}")
        weak = [f"{failed[e].number} {failed[e].title}" for e in course.elements if e in failed]
        if weak:
            reason += "; addresses element(s) below minimum: " + ", ".join(weak)
        found.append(Recommendation(course.id, course.title, course.provider, reason,
                                    tuple(behind[course_id])))
    completed = set(json.loads(audit.profile.get("completed_courses") or "[]"))
    certificate = audit.protocol.certificate
    for course in catalogue.values():
        if certificate in course.required_for and course.id not in completed \
                and course.id not in behind:
            found.append(Recommendation(course.id, course.title, course.provider,
                                        f"Required for {certificate}; not recorded as "
                                        f"completed", ()))
    return tuple(found)
