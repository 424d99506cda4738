"""The final report as data: built once from an audit, then rendered by each format module.

Everything a renderer needs is computed here, as display-ready text and numbers, so Markdown,
HTML and Word say exactly the same thing. Interviewees appear by an anonymous code made from
their role and order (``Worker 3``), never by the label typed on site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any, NamedTuple

from auditkit import __version__
from auditkit.audit import Audit
from auditkit.export import findings
from auditkit.export.findings import CourseEntry, Improvement, PrerequisiteLine, ScopeRow
from auditkit.export.plan import ActionLine, SinceLast, action_lines, since_last
from auditkit.export.summary import (
    ExecutiveSummary,
    FindingLine,
    finding_lines,
    is_self_assessment,
)
from auditkit.export.summary import summary as executive_summary
from auditkit.export.trail import (
    AmendmentLine,
    EvidenceFile,
    EvidenceLine,
    amendment_lines,
    evidence_files,
    evidence_lines,
    when,
)
from auditkit.protocol.model import Question
from auditkit.rules.findings import findings as stored_findings
from auditkit.rules.incidents import INCIDENT_TYPES
from auditkit.rules.qa_check import AnswerFact, Facts, run_check
from auditkit.rules.sampling import declared_staff
from auditkit.rules.scoring import CHOICES, Given, QuestionScore, Scores, display_percent
from auditkit.store.audit_file import AnswerRow, Subject
from auditkit.store.evidence import read_blob
from auditkit.team.seal import seal_of
from auditkit.vocabulary import NA, ROLE_NAMES, answer_name


class AnswerLine(NamedTuple):
    """One recorded answer: for whom (empty for once-per-audit questions), what, and the note.

    A tuple rather than a dataclass: a large audit has tens of thousands of them.
    """

    subject: str
    value: str
    note: str


@dataclass(frozen=True)
class QuestionLine:
    id: str
    text: str
    component: str
    points: str  # "7 / 10", "N/A" or "Unanswered"
    status: str  # scored | na | unanswered
    methods: str
    reference: str
    answers: tuple[AnswerLine, ...]
    evidence: tuple[EvidenceLine, ...] = ()
    # A criterion's parts, each with its finding by technique in ``points`` (issue 11)
    parts: tuple[QuestionLine, ...] = ()
    finding: FindingLine | None = None  # the auditor's note and SFI on the item


@dataclass(frozen=True)
class ElementLine:
    number: int
    title: str
    awarded: int
    possible: int
    percent: float | None  # exact value as a float, for charts
    shown: str  # "79.9 %" or "—"
    minimum: int | None
    status: str  # "Meets", "Below minimum", "Not scored"
    answered: str  # "12 of 14"
    questions: tuple[QuestionLine, ...]


@dataclass(frozen=True)
class AuditData:
    """What the report was built from, read once, so the data exports of a bundle reuse it."""

    subjects: list[Subject]
    rows: list[AnswerRow]
    names: dict[str, str]  # subject id -> name shown (interviewees by code)
    by_question: dict[str, list[AnswerRow]]
    scores: Scores


@dataclass(frozen=True)
class Report:
    title: str
    company: str
    cover: tuple[tuple[str, str], ...]
    draft: bool
    unanswered: int
    total: int
    statement: str
    verdict: str
    reasons: tuple[str, ...]
    strengths: tuple[str, ...]  # the auditor's notes on items fully in place
    improvements: tuple[Improvement, ...]  # the key SFIs
    scope: tuple[ScopeRow, ...]
    elements: tuple[ElementLine, ...]
    overall_mark: int
    element_mark: int | None
    incidents: tuple[tuple[str, str], ...]
    recommendations: tuple[CourseEntry, ...]
    prerequisites: tuple[PrerequisiteLine, ...]  # course rules the CP checks: an appendix
    auditors: tuple[str, ...]
    finalized: str  # "2026-03-02 14:05 UTC", or "" while the audit is not final
    status: str  # "Final — finalized …" or "Not final — …", on the cover
    amendments: tuple[AmendmentLine, ...]
    evidence: tuple[EvidenceFile, ...]  # the appendix: every stored file, full SHA-256
    footer: str
    generated: str
    summary: ExecutiveSummary
    actions: tuple[ActionLine, ...]
    since: SinceLast | None  # "Since the last audit", for an audit started with new --from
    data: AuditData = field(repr=False, compare=False)
    # The bytes of a stored evidence file by SHA-256, read only when a format shows a photo.
    blob: Callable[[str], bytes] = field(default=lambda sha: b"", repr=False, compare=False)
    created_at: str = ""  # the export's time, ISO 8601 UTC (document properties, JSON)

    @property
    def draft_note(self) -> str:
        """The line every page of an incomplete audit's report carries."""
        return f"DRAFT — {self.unanswered} of {self.total} scored items unanswered"


def thousands(number: int) -> str:
    return f"{number:,}"


def subject_names(subjects: list[Subject]) -> dict[str, str]:
    """Subject id -> the name a report shows: site and incident labels, interviewee codes."""
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for subject in subjects:
        if subject.kind == "interviewee":
            counts[subject.role] = counts.get(subject.role, 0) + 1
            role = ROLE_NAMES.get(subject.role, subject.role)
            names[subject.id] = f"{role} {counts[subject.role]}"
        else:
            names[subject.id] = subject.label
    return names


def display_value(question: Question, value: str | None) -> str:
    return "(note only)" if value is None else answer_name(question, value)


# Each choice's compliance in percent, as floats once (Fraction arithmetic per answer is slow).
PERCENTS = {choice: float(level * 100) for choice, level in CHOICES.items()}


def answer_percent(question: Question, value: str | None) -> float | None:
    """One answer's own compliance in percent (yes 100, partial 50, no 0, points of the
    question's points); None for N/A or a note without an answer."""
    if value is None or value == "na":
        return None
    percent = PERCENTS.get(value)
    if percent is not None:
        return percent
    return int(value) * 100 / question.points if question.points else None


def subject_kind(kinds: dict[str, str], subject_id: str) -> str:
    """The kind of an answer's subject; ``audit`` for a once-per-audit answer."""
    return kinds.get(subject_id, "") if subject_id else "audit"


def points_text(result: QuestionScore) -> str:
    if result.cascaded:
        how = "N/A" if result.status == "na" else f"{result.awarded} / {result.possible}"
        return f"{how} by cascade from {result.cascaded}"
    if result.status == "unanswered":
        return "Unanswered"
    if result.status == "na":
        return "N/A"
    return f"{result.awarded} / {result.possible}"


def positive_text(rows: list[AnswerRow]) -> str:
    """Interview answers as indicators: ``3 of 4 positive (75.0 %)``; "" with none."""
    given = [row.value for row in rows if row.value not in (None, NA)]
    if not given:
        return ""
    positive = sum(1 for value in given if value == "yes")
    share = display_percent(Fraction(positive * 100, len(given)))
    return f"{positive} of {len(given)} positive ({share})"


def part_finding(result: QuestionScore, rows: list[AnswerRow]) -> str:
    """What one technique found for a criterion: % positive indicators for an interview
    part, the compliance otherwise."""
    if result.cascaded:
        return f"not scored: by cascade from {result.cascaded}"
    if result.status == "unanswered":
        return "Unanswered"
    if result.status == "na" or result.compliance is None:
        return "N/A"
    question = result.question
    if question.yes_no or "interview" in question.methods:
        return positive_text(rows)
    return f"compliance {display_percent(result.compliance * 100)}"


def question_line(
    result: QuestionScore,
    rows: list[AnswerRow],
    names: dict[str, str],
    component: str,
    evidence: tuple[EvidenceLine, ...] = (),
    finding: FindingLine | None = None,
) -> QuestionLine:
    question = result.question
    answers = tuple(
        AnswerLine(
            names.get(row.subject_id, row.subject_id), display_value(question, row.value), row.note
        )
        for row in rows
    )
    return QuestionLine(
        id=question.id,
        text=question.text,
        component=component,
        points=points_text(result),
        status=result.status,
        methods=", ".join(question.methods),
        reference=question.reference,
        answers=answers,
        evidence=evidence,
        finding=finding,
    )


def answers_by_question(rows: list[AnswerRow], names: dict[str, str]) -> dict[str, list[AnswerRow]]:
    """Each question's answers, its subjects in the order they were added."""
    order = {s_id: i for i, s_id in enumerate(names)}
    by_question: dict[str, list[AnswerRow]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    for answers in by_question.values():
        answers.sort(key=lambda r: order.get(r.subject_id, -1))
    return by_question


def element_lines(
    audit: Audit,
    scores: Scores,
    by_question: dict[str, list[AnswerRow]],
    names: dict[str, str],
    evidence: dict[str, tuple[EvidenceLine, ...]],
    courses: tuple[CourseEntry, ...] = (),
) -> tuple[ElementLine, ...]:
    per_element: dict[str, list[QuestionLine]] = {}
    by_item: dict[str, tuple[str, ...]] = {}
    for course in courses:
        for item_id in course.questions:
            by_item[item_id] = (*by_item.get(item_id, ()), course.title)
    found = finding_lines(audit, by_item)
    secor = is_self_assessment(audit)
    protocol = audit.protocol
    for item in protocol.items:
        result = scores.items[item.id]
        rows = by_question.get(item.id, [])
        line = question_line(
            result,
            rows,
            names,
            protocol.component_title(item.component),
            evidence.get(item.id, ()),
            found.get(item.id),
        )
        if result.parts:
            parts = []
            for part in result.parts:
                part_rows = by_question.get(part.question.id, [])
                part_line = question_line(
                    part,
                    part_rows,
                    names,
                    protocol.component_title(part.question.component),
                    evidence.get(part.question.id, ()),
                )
                parts.append(replace(part_line, points=part_finding(part, part_rows)))
            line = replace(line, component="Criterion", parts=tuple(parts))
        elif item.yes_no and result.status == "scored" and not result.cascaded:
            line = replace(line, points=f"{line.points} · {positive_text(rows)}")
        if secor and line.status == "scored":
            line = replace(line, points=f"Self-score {line.points}")
        per_element.setdefault(item.element, []).append(line)
    lines = []
    for element in sorted(scores.elements, key=lambda e: e.number):
        percent = element.percent
        status = "Below minimum" if element.failed else "Meets"
        if percent is None:
            status = "Not scored"
        lines.append(
            ElementLine(
                number=element.number,
                title=element.title,
                awarded=element.awarded,
                possible=element.possible,
                percent=float(percent) if percent is not None else None,
                shown=display_percent(percent),
                minimum=element.minimum,
                status=status,
                answered=f"{element.answered} of {element.questions}",
                questions=tuple(per_element.get(element.id, [])),
            )
        )
    return tuple(lines)


def verdict(scores: Scores, problems: int = 0) -> tuple[str, tuple[str, ...]]:
    """Pass or fail against the purpose's rule, and why (exact values, shown rounded).

    ``problems`` are the QA check's errors: an audit that cannot be submitted never reads PASS.
    """
    rule = scores.rule
    percent = scores.percent
    so_far = "" if scores.complete else " so far"
    if percent is None:
        return "Not scored yet", ("No question has been scored yet.",)
    if scores.passed and problems:
        return (
            f"Would pass on score{so_far} — not submittable: {problems} "
            f"problem{'s' if problems != 1 else ''}",
            (
                f"Meets the {rule.purpose} rule on score: {rule.describe()}; the QA check "
                f"lists what a Certifying Partner's reviewer would send back (auditkit check).",
            ),
        )
    if scores.passed:
        return f"PASS{so_far}", (f"Meets the {rule.purpose} rule: {rule.describe()}.",)
    reasons = []
    if percent < rule.overall:
        reasons.append(
            f"Overall {display_percent(percent)} is below the {rule.overall} % "
            f"required for {rule.purpose}."
        )
    for element in scores.failed_elements:
        reasons.append(
            f"Element {element.number} {element.title}: "
            f"{display_percent(element.percent)} is below the {element.minimum} % "
            f"minimum."
        )
    return f"FAIL{so_far}", tuple(reasons)


def _workforce_text(profile: dict[str, Any], workers: Any) -> str:
    """The workforce by level when declared (the sample follows it), else the headcount."""
    staff = declared_staff(profile)
    if staff is not None:
        levels = ", ".join(f"{role.replace('_', ' ')} {n}" for role, n in staff.items())
        return f"{sum(staff.values())} by level: {levels}"
    return f"{workers} (largest monthly headcount)" if workers is not None else ""


def cover(audit: Audit) -> tuple[tuple[str, str], ...]:
    p = audit.profile
    dates = p.get("start_date") or ""
    if p.get("end_date") and p.get("end_date") != dates:
        dates = f"{dates} to {p['end_date']}"
    workers = p.get("workers")
    review = ""
    if p.get("review_start") or p.get("review_end"):
        review = f"{p.get('review_start') or '?'} to {p.get('review_end') or '?'}"
    return (
        ("Employer", p.get("company") or ""),
        ("Address", p.get("address") or ""),
        ("Contact", p.get("contact") or ""),
        ("WCB account", p.get("wcb_account") or ""),
        ("Industry code", p.get("industry_code") or ""),
        ("Operations", p.get("operations") or ""),
        ("Workforce", _workforce_text(p, workers)),
        ("Audit type", f"{p.get('certificate')} — {audit.protocol.title}"),
        ("Purpose", str(p.get("purpose") or "").capitalize()),
        ("Audit dates", dates),
        ("Records review period", review),
        ("Certifying partner", p.get("partner") or ""),
        ("Auditors", ", ".join(audit.auditors)),
        ("Auditor certification number", p.get("auditor_number") or ""),
    )


def seal_rows(audit: Audit) -> tuple[tuple[str, str], ...]:
    """The seal on the cover of a finalized audit's report (see :mod:`auditkit.team.seal`)."""
    sealed = seal_of(audit.store)
    if sealed is None:
        return ()
    rows = [("Seal", f"{sealed.finalized} (check: auditkit verify FILE --seal HASH)")]
    if sealed.head != sealed.finalized:
        rows.append(("Journal head at this report", sealed.head))
    return tuple(rows)


def incident_rows(audit: Audit) -> tuple[tuple[str, str], ...]:
    summary = audit.incident_summary()
    rows = [("Records reviewed", str(summary.total)), ("Review period", summary.period)]
    rows += [
        (INCIDENT_TYPES.get(kind, "Type not recorded"), str(count))
        for kind, count in summary.by_type.items()
    ]
    rows += [
        ("Investigated", f"{summary.investigated} of {summary.total}"),
        ("Reportable reported to OHS", f"{summary.reportable_reported} of {summary.reportable}"),
        ("Corrective actions closed", f"{summary.actions_closed} of {summary.total}"),
    ]
    return tuple(rows)


def status(finalized: str, amended: int) -> str:
    """The cover's line on whether the report is final."""
    if not finalized:
        return "Not final — the audit has not been finalized; answers may still change"
    if not amended:
        return f"Final — finalized {finalized}; not changed since"
    return (
        f"Final — finalized {finalized}; amended {amended} time{'s' if amended > 1 else ''} "
        f"since (see Amendments)"
    )


def read(audit: Audit) -> AuditData:
    """Subjects, answers and scores of ``audit``, each read from the file once."""
    subjects = audit.subjects()
    rows = audit.answers()
    names = subject_names(subjects)
    known = audit.protocol.has_question
    given = [
        Given(r.question_id, r.subject_id, r.value)
        for r in rows
        if r.value is not None and known(r.question_id)
    ]
    return AuditData(
        subjects,
        rows,
        names,
        answers_by_question(rows, names),
        audit.score_of(given),
    )


def build(audit: Audit, now: datetime | None = None) -> Report:
    """The whole report of ``audit``, computed once."""
    data = read(audit)
    scores = data.scores
    protocol = audit.protocol
    percent = scores.percent
    company = str(audit.profile.get("company") or "")
    points = f"{thousands(scores.awarded)} of {thousands(scores.possible)} points"
    statement = (
        f"{company} scored {display_percent(percent)} ({points}) on the "
        f"{protocol.title}, {audit.purpose} audit."
    )
    if is_self_assessment(audit):
        statement = (
            f"Self-assessment package of {company} on the {protocol.title}: each question's "
            f"written response and the supporting documents attached to it, for the "
            f"certifying partner to score. Self-score: {display_percent(percent)} ({points}), "
            f"as scored by the employer."
        )
    if not scores.complete:
        statement += (
            f" This is a draft: {scores.unanswered} of {scores.total} questions are "
            f"unanswered and the score covers the answered questions only."
        )
    moment = now or datetime.now(UTC)
    found_findings = stored_findings(audit)
    facts = Facts(
        protocol,
        audit.profile,
        data.subjects,
        answered=[r[1:3] for r in data.rows if r.value is not None],
        read_answers=lambda: [AnswerFact(r[1], r[2], r[3], r[4]) for r in data.rows],
        scores=scores,
        today=moment.date(),
        item_notes={item: f.note for item, f in found_findings.items() if f.note},
        item_sfis={item for item, f in found_findings.items() if f.sfi},
    )
    problems = len(run_check(facts).errors)
    outcome, reasons = verdict(scores, problems)
    stamp = moment.strftime("%Y-%m-%d %H:%M UTC")
    footer = (
        f"Protocol {protocol.id} {protocol.version}, SHA-256 {protocol.sha256} · "
        f"auditkit {__version__}"
    )
    answered_subjects = {r.subject_id for r in data.rows if r.value is not None}
    finalized = when(audit.profile["finalized_at"]) if audit.profile.get("finalized_at") else ""
    amended = amendment_lines(audit, data.names) if finalized else ()
    state = status(finalized, len(amended))
    scope = findings.scope(audit, scores, data.subjects, answered_subjects, progress=facts.progress)
    courses = findings.recommendations(audit, scores)
    executive = executive_summary(audit, scores, data.subjects, answered_subjects, data.by_question)
    return Report(
        title=(
            f"SECOR self-assessment — {company}"
            if is_self_assessment(audit)
            else f"{protocol.certificate} audit report — {company}"
        ),
        company=company,
        cover=(*cover(audit), ("Report status", state), *seal_rows(audit)),
        draft=not scores.complete,
        unanswered=scores.unanswered,
        total=scores.total,
        statement=statement,
        verdict=outcome,
        reasons=reasons,
        strengths=executive.strengths,
        improvements=executive.key_sfis,
        scope=scope,
        elements=element_lines(
            audit,
            scores,
            data.by_question,
            data.names,
            evidence_lines(audit, data.names),
            courses,
        ),
        overall_mark=scores.rule.overall,
        element_mark=scores.rule.element,
        incidents=incident_rows(audit),
        recommendations=courses,
        prerequisites=findings.prerequisites(audit),
        auditors=tuple(audit.auditors),
        finalized=finalized,
        status=state,
        amendments=amended,
        evidence=evidence_files(audit, data.names),
        footer=footer,
        generated=stamp,
        summary=executive,
        actions=action_lines(audit),
        since=since_last(audit, scores),
        data=data,
        blob=lambda sha: read_blob(audit.store, sha),
        created_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
