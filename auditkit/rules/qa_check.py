"""The QA check: every problem a Certifying Partner's quality-assurance reviewer sends back.

The check is a list of small rule functions (:data:`RULES`), each reading the same gathered
:class:`Facts` and yielding :class:`Problem` s; a new rule is one function added to the list.
Only the codes of :data:`ERROR_CODES` may be errors; anything else a rule reports is a warning.
The CLI (``auditkit check``), ``finalize`` and the TUI's QA panel all run this one check: the
TUI over its in-memory mirror of the audit, the others over the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from auditkit.protocol.model import Protocol
from auditkit.rules.sampling import SampleProgress, progress_of
from auditkit.rules.scoring import NA, Given, Scores, score
from auditkit.store.records import Subject

if TYPE_CHECKING:
    from auditkit.audit import Audit

ERROR = "error"
WARNING = "warning"
ERROR_CODES = frozenset(
    {
        "unanswered",
        "sample.interviews",
        "sample.sites",
        "note.missing",
        "note.na_reason",
        "sfi.missing",
        "dates",
    }
)
SAMPLE_CODES = frozenset({"sample.interviews", "sample.sites"})
GATHERING_DAYS = 45  # data gathering at most 45 days from the audit's start
REPORT_DAYS = 21  # the report within 21 days after the last on-site day


@dataclass(frozen=True)
class Problem:
    """One thing QA would send back. ``question`` and ``subject`` may be None; ``subject_id``
    is where the TUI jumps to (not part of the JSON)."""

    code: str
    severity: str
    question: str | None
    subject: str | None
    message: str
    subject_id: str | None = field(default=None, compare=False)
    in_profile: bool = field(default=False, compare=False)  # fixed in the profile, not by answers
    add_kind: str | None = field(default=None, compare=False)  # fixed by adding such a subject

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "question": self.question,
            "subject": self.subject,
            "message": self.message,
        }

    def describe(self) -> str:
        where = " ".join(p for p in (self.question, self.subject) if p)
        return f"{self.severity} {self.code}{' ' + where if where else ''}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": [p.to_json() for p in self.problems]}


class AnswerFact(NamedTuple):
    """One answer as the note rules read it."""

    question_id: str
    subject_id: str
    value: str | None
    note: str


@dataclass
class Facts:
    """What the rules read, gathered once: the TUI builds it from its mirror, the CLI from
    the store.

    ``answered`` holds a row per answer with a value, question id first and subject id second
    (the store's value rows, or the TUI's answer keys): what sampling counts. The answers with
    their notes are read through ``read_answers`` only when a note rule needs them.
    """

    protocol: Protocol
    profile: Mapping[str, Any]
    subjects: Sequence[Subject]
    answered: Collection[Sequence[Any]]
    read_answers: Callable[[], Sequence[AnswerFact]]
    scores: Scores
    today: date
    item_notes: Mapping[str, str] = field(default_factory=dict)  # item id -> finding note

    @cached_property
    def answers(self) -> Sequence[AnswerFact]:
        return self.read_answers()

    @cached_property
    def progress(self) -> SampleProgress:
        return progress_of(self.protocol, self.profile, self.subjects, self.answered)

    @cached_property
    def labels(self) -> dict[str, str]:
        return {s.id: s.label for s in self.subjects}

    @cached_property
    def by_item(self) -> dict[str, list[AnswerFact]]:
        """Answers by scored item: a question, or the criterion a part belongs to."""
        item_of = {q.id: getattr(q, "criterion", None) or q.id for q in self.protocol.questions}
        found: dict[str, list[AnswerFact]] = defaultdict(list)
        for answer in self.answers:
            item = item_of.get(answer.question_id)
            if item is not None:
                found[item].append(answer)
        return found

    @cached_property
    def justification(self) -> tuple[bool, bool]:
        """(every item needs a note, every N/A needs a reason) from the protocol, if it asks."""
        rule = getattr(self.protocol, "justification", None)
        return _flag(rule, "every_question"), _flag(rule, "na")


def _flag(rule: Any, name: str) -> bool:
    # The protocol model may give the justification rule as a mapping or as an object.
    if rule is None:
        return False
    if isinstance(rule, Mapping):
        return bool(rule.get(name))
    return bool(getattr(rule, name, False))


def _role(role: str) -> str:
    return role.replace("_", " ")


Rule = Callable[[Facts], Iterable[Problem]]


# -- the rules ---------------------------------------------------------------------------------


def unanswered(facts: Facts) -> Iterator[Problem]:
    """Every scored item with no answer; a role-only question nobody of its roles can answer
    says so."""
    people = [s for s in facts.subjects if s.kind == "interviewee"]
    sites = [s for s in facts.subjects if s.kind == "site"]
    for item_id, result in _items(facts.scores).items():
        if result.status != "unanswered":
            continue
        # A criterion is answered once every part is: name each part still unanswered.
        parts = [p for p in getattr(result, "parts", ()) if p.status == "unanswered"]
        for missing in parts or [result]:
            question = missing.question
            message = _why_unanswered(question, people, sites, facts.subjects)
            if parts:
                message = f"part of criterion {item_id}: {message}"
            kind = getattr(question, "subject", "none")
            roles = tuple(getattr(question, "roles", ()) or ())
            nobody = kind != "none" and not any(
                s.kind == kind and (not roles or s.role in roles) for s in facts.subjects
            )
            yield Problem(
                "unanswered",
                ERROR,
                question.id,
                None,
                message,
                add_kind=kind if nobody else None,
            )


def _items(scores: Scores) -> Mapping[str, Any]:
    """The scored items (stand-alone questions and criteria); the questions before criteria."""
    return getattr(scores, "items", None) or scores.questions


def _why_unanswered(
    question: Any, people: list[Subject], sites: list[Subject], subjects: Sequence[Subject]
) -> str:
    roles = tuple(getattr(question, "roles", ()) or ())
    subject_kind = getattr(question, "subject", "none")
    if subject_kind == "interviewee" and roles:
        asked = [p for p in people if p.role in roles]
        named = ", ".join(_role(r) for r in roles)
        if not asked:
            return (
                f"asked only of {named}: nobody of that role interviewed "
                f"(add an interviewee with --role {roles[0]})"
            )
        return f"asked of {named}: none of the {len(asked)} of them answered it"
    if subject_kind == "site":
        if sites:
            return f"answered per site: none of the {len(sites)} active sites has an answer"
        return "answered per site: no active site recorded"
    if subject_kind == "incident" and not any(s.kind == "incident" for s in subjects):
        return "answered per incident record: no incident record added"
    return "not answered"


def sample_interviews(facts: Facts) -> Iterator[Problem]:
    """The interview sample: one problem per level short of its number, or the total short."""
    progress = facts.progress
    plan = progress.plan
    if plan is None:
        yield Problem(
            "sample.interviews",
            ERROR,
            None,
            None,
            "workforce unknown: declare the staff by level (profile --staff) so the interviews "
            "required can be worked out",
            in_profile=True,
        )
        return
    if plan.total is None:
        yield Problem(
            "sample.interviews",
            ERROR,
            None,
            None,
            f"a workforce of {plan.workers}: the Certifying Partner sets the number of "
            f"interviews (profile --interviews-required N)",
            in_profile=True,
        )
    short_levels = [r for r in progress.roles if not r.met]
    for role in short_levels:
        staff = f" (staff {role.staff})" if role.staff is not None else ""
        written = (
            f"; {role.questionnaires} by questionnaire, at most {plan.questionnaires_max} count"
            if role.questionnaires > plan.questionnaires_max and role.role == "worker"
            else ""
        )
        yield Problem(
            "sample.interviews",
            ERROR,
            None,
            role.role,
            f"{_role(role.role)}: {role.done} of {role.required} interviews{staff}{written}",
        )
    # Levels required by total only (no staff declared) cannot show a shortfall of their own.
    uncovered = (plan.total or 0) - progress.interviews_done - sum(r.short for r in short_levels)
    if plan.total is not None and uncovered > 0:
        yield Problem(
            "sample.interviews",
            ERROR,
            None,
            None,
            f"{progress.interviews_done} of {plan.total} interviews for a workforce of "
            f"{plan.workers}",
        )


def sample_sites(facts: Facts) -> Iterator[Problem]:
    """Site visits against the rule, and the head office among them."""
    progress = facts.progress
    if not progress.sites:
        yield Problem(
            "sample.sites",
            ERROR,
            None,
            None,
            "no active site recorded (--site, --head-office or subject add)",
            in_profile=True,
        )
        return
    visited = len(progress.sites_visited)
    if progress.sites_required is None:
        yield Problem(
            "sample.sites",
            ERROR,
            None,
            None,
            f"{progress.sites} active sites: the Certifying Partner sets the number to visit "
            f"(profile --sites-required N)",
            in_profile=True,
        )
    elif visited < progress.sites_required:
        yield Problem(
            "sample.sites",
            ERROR,
            None,
            None,
            f"{visited} of {progress.sites_required} required site visits "
            f"({progress.sites} active sites); a site is visited once it has an observation "
            f"answer",
        )
    if progress.head_office is None:
        yield Problem(
            "sample.sites",
            WARNING,
            None,
            None,
            "no site is marked as the head office (profile --head-office NAME)",
            in_profile=True,
        )
    elif not progress.head_office_visited:
        head_id = next(
            (s.id for s in facts.subjects if s.kind == "site" and s.label == progress.head_office),
            None,
        )
        yield Problem(
            "sample.sites",
            ERROR,
            None,
            progress.head_office,
            "the head office is not among the visited sites",
            subject_id=head_id,
        )


def note_missing(facts: Facts) -> Iterator[Problem]:
    """A justification note for every answered item, where the protocol asks for one."""
    every, _ = facts.justification
    if not every:
        return
    for item_id, result in _items(facts.scores).items():
        if result.status == "unanswered" or getattr(result, "cascaded", False):
            continue
        given = facts.by_item.get(item_id, [])
        if facts.item_notes.get(item_id, "").strip() or any(a.note.strip() for a in given):
            continue
        yield Problem(
            "note.missing",
            ERROR,
            item_id,
            None,
            "no justification note (what was verified, how, with a company-specific example)",
        )


def note_na_reason(facts: Facts) -> Iterator[Problem]:
    """Every N/A answer says why, where the protocol asks for it."""
    _, na = facts.justification
    if not na:
        return
    for answer in facts.answers:
        if answer.value == NA and not answer.note.strip():
            label = facts.labels.get(answer.subject_id) if answer.subject_id else None
            yield Problem(
                "note.na_reason",
                ERROR,
                answer.question_id,
                label,
                "marked N/A without a note saying why",
                subject_id=answer.subject_id or None,
            )


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def dates(facts: Facts) -> Iterator[Problem]:
    """Data gathering within 45 days of the start; the report within 21 days of the last day
    on site."""
    start, end = _day(facts.profile.get("start_date")), _day(facts.profile.get("end_date"))
    if start and end and (end - start).days > GATHERING_DAYS:
        yield Problem(
            "dates",
            WARNING,
            None,
            None,
            f"data gathering from {start} to {end}: {(end - start).days} days, over the "
            f"{GATHERING_DAYS} allowed",
        )
    if end:
        report = _day(facts.profile.get("finalized_at")) or facts.today
        due = end + timedelta(days=REPORT_DAYS)
        if report > due:
            yield Problem(
                "dates",
                WARNING,
                None,
                None,
                f"the report ({report}) is later than {REPORT_DAYS} days after the last "
                f"on-site day ({end}); it was due by {due}",
            )


RULES: list[Rule] = [
    unanswered,
    sample_interviews,
    sample_sites,
    note_missing,
    note_na_reason,
    dates,
]


def run_check(facts: Facts, rules: Sequence[Rule] | None = None) -> CheckResult:
    """Every problem the rules find, errors first (a rule's own order kept)."""
    found: list[Problem] = []
    accepted = bool(facts.profile.get("deviation"))
    for rule in RULES if rules is None else rules:
        for problem in rule(facts):
            if accepted and problem.severity == ERROR and problem.code in SAMPLE_CODES:
                # The shortfall was accepted at finalize with a deviation: still listed.
                problem = replace(
                    problem,
                    severity=WARNING,
                    message=f"{problem.message} (accepted at finalize as a deviation)",
                )
            if problem.severity == ERROR and problem.code not in ERROR_CODES:
                problem = replace(problem, severity=WARNING)
            found.append(problem)
    found.sort(key=lambda p: p.severity != ERROR)
    return CheckResult(tuple(found))


def audit_facts(audit: Audit, today: date | None = None) -> Facts:
    """The facts of an open audit, read from its store: the answers' values once (for the
    scores and the sample), their notes only if a note rule asks."""
    values = audit.store.answer_values()
    known = audit.protocol.has_question
    given = [Given(*row) for row in values if known(row[0])]
    store = audit.store
    return Facts(
        protocol=audit.protocol,
        profile=audit.profile,
        subjects=audit.subjects(),
        answered=values,
        read_answers=lambda: [AnswerFact(*row) for row in store.answer_cells()],
        scores=score(audit.protocol, given, audit.purpose),
        today=today or date.today(),
    )


def check_audit(audit: Audit, today: date | None = None) -> CheckResult:
    """The QA check of ``audit``."""
    return run_check(audit_facts(audit, today))
