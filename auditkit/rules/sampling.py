"""Interview and site-visit sampling: the rules of data/sampling.yaml and an audit's progress.

The table (:mod:`auditkit.rules.sampling_table`) maps the workforce in scope (the sum of the
employer's staff by level, else the largest monthly headcount) to the number of interviews; the
most senior person is always interviewed and the rest are spread over managers, supervisors and
workers in proportion to the declared staff. The number of active sites gives the number the
auditor must visit, the head office among them. From a size the table leaves to the Certifying
Partner (``required: cp``), the CP's number is recorded in the profile. A protocol folder may
carry its own ``sampling.yaml``; the audit keeps it with the protocol's other files.

An interviewee counts as interviewed once at least one answer is recorded for them; a site counts
as visited once it has an answer to an observation question (the tour took place).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from auditkit.errors import AnswerRefused, AuditkitError
from auditkit.protocol.model import Protocol
from auditkit.rules.interviews import QUESTIONNAIRE
from auditkit.rules.sampling_table import (
    Band,
    SamplingInvalid,
    SamplingRules,
    load_sampling,
    parse_sampling,
    rules_for,
)
from auditkit.rules.staff import declared_staff as declared_staff  # also importable from here
from auditkit.rules.staff import workforce as workforce
from auditkit.store.records import Subject
from auditkit.vocabulary import ROLES

if TYPE_CHECKING:
    from auditkit.audit import Audit

TOP_LEVEL = "senior_manager"
SPREAD_LEVELS = ("manager", "supervisor", "worker")

__all__ = [
    "Band",
    "InterviewPlan",
    "SampleProgress",
    "SamplingInvalid",
    "SamplingRules",
    "load_sampling",
    "parse_sampling",
    "progress_of",
    "required_interviews",
    "required_sites",
    "rules_for",
    "sample_progress",
]


@dataclass(frozen=True)
class InterviewPlan:
    """The interviews a workforce requires, in all and per level.

    ``total`` is None while the table leaves the number to the CP and the profile lacks it.
    A level's entry in ``by_role`` is None when it is not required by level (no staff declared:
    the rest is required by total only).
    """

    workers: int  # the workforce in scope
    total: int | None
    everyone: bool  # the table asks for every person on the workforce
    by_role: dict[str, int | None]
    questionnaires_max: int  # worker interviews a written questionnaire may replace
    staff: dict[str, int] | None = None
    cp: bool = False  # the table leaves the number to the CP


@dataclass(frozen=True)
class RoleProgress:
    role: str
    required: int | None  # None: not required by level, or the workforce is unknown
    added: int  # interviewees of this level recorded in the audit
    done: int  # of those, with at least one answer (questionnaires beyond the cap left out)
    staff: int | None = None
    questionnaires: int = 0  # of the done, written questionnaires

    @property
    def met(self) -> bool:
        return self.required is None or self.done >= self.required

    @property
    def short(self) -> int:
        return 0 if self.required is None else max(0, self.required - self.done)


@dataclass(frozen=True)
class SampleProgress:
    """Required against done, for interviews (per level) and site visits."""

    workers: int | None  # None: the profile gives neither staff nor headcount
    plan: InterviewPlan | None
    roles: tuple[RoleProgress, ...]
    interviews_done: int
    sites_required: int | None  # None: more sites than the table covers, CP number not set
    sites_visited: tuple[str, ...]  # labels of the sites with an observation answer
    sites_pending: tuple[str, ...]  # labels of the sites not visited yet
    head_office: str | None = None  # label of the site marked head office
    sites_cp: bool = False  # the table leaves the number of visits to the CP

    @property
    def interviews_required(self) -> int | None:
        return self.plan.total if self.plan else None

    @property
    def interviews_met(self) -> bool:
        """Enough interviews in all, and at every level."""
        if self.plan is None or self.plan.total is None or self.interviews_done < self.plan.total:
            return False
        return all(r.met for r in self.roles)

    @property
    def sites(self) -> int:
        return len(self.sites_visited) + len(self.sites_pending)

    @property
    def head_office_visited(self) -> bool:
        return self.head_office is None or self.head_office in self.sites_visited

    @property
    def sites_met(self) -> bool:
        return (
            self.sites_required is not None
            and len(self.sites_visited) >= self.sites_required
            and self.head_office_visited
        )


# -- the profile's sampling facts --------------------------------------------------------------


def _cp_number(profile: Mapping[str, Any], key: str) -> int | None:
    value = profile.get(key)
    return int(value) if value is not None else None


# -- the rules ---------------------------------------------------------------------------------


def _band(bands: Sequence[Band], size: int) -> Band:
    # Validation guarantees contiguous rows from 1 with an open-ended last row.
    return next(band for band in bands if band.covers(size))


def askable_levels(protocol: Protocol | None) -> tuple[str, ...]:
    """The levels some interview question of the protocol asks (all four without a protocol)."""
    if protocol is None:
        return ROLES
    asked = {
        role
        for q in protocol.questions
        if q.subject == "interviewee"
        for role in (q.roles or ROLES)
    }
    return tuple(role for role in ROLES if role in asked) or ROLES


def fold_levels(staff: Mapping[str, int], askable: Sequence[str]) -> dict[str, int]:
    """Staff at a level no question asks, counted with the nearest level that is asked.

    SECOR asks no manager questions: a small employer's managers answer as supervisors (one
    person may hold several roles), so its sample never requires an interview no question can
    record. The senior manager is never folded.
    """
    folded = {role: staff.get(role, 0) for role in ROLES}
    targets = [r for r in SPREAD_LEVELS if r in askable]
    if not targets:
        return folded
    for index, level in enumerate(SPREAD_LEVELS):
        if level in askable or not folded[level]:
            continue
        below = [r for r in SPREAD_LEVELS[index + 1 :] if r in askable]
        target = below[0] if below else targets[-1]
        folded[target] += folded[level]
        folded[level] = 0
    return folded


def split_by_level(total: int, staff: Mapping[str, int]) -> dict[str, int]:
    """Spread ``total`` interviews over the levels in proportion to ``staff``.

    The senior manager always gets one. The rest go to managers, supervisors and workers: a
    level whose exact share is under one still gets one (at least one where there is staff),
    the others share what is left by largest remainder (each within one of its exact share
    wherever the minimums allow), and no level gets more than its staff.
    """
    counts = {role: 0 for role in ROLES}
    if total <= 0:
        return counts
    counts[TOP_LEVEL] = 1
    levels = [r for r in SPREAD_LEVELS if staff.get(r, 0) > 0]
    pool = sum(staff[r] for r in levels)
    rest = min(total - 1, pool)
    if rest <= 0:
        return counts
    exact = {r: Fraction(rest * staff[r], pool) for r in levels}
    small = sorted((r for r in levels if exact[r] < 1), key=lambda r: -staff[r])
    for role in small[:rest]:
        counts[role] = 1
    others = [r for r in levels if exact[r] >= 1]
    left = rest - min(len(small), rest)
    if others and left:
        share_pool = sum(staff[r] for r in others)
        part = {r: Fraction(left * staff[r], share_pool) for r in others}
        for role in others:
            counts[role] = min(staff[role], math.floor(part[role]))
        spare = left - sum(counts[r] for r in others)
        by_remainder = sorted(others, key=lambda r: (counts[r] - part[r], -staff[r]))
        for role in by_remainder:
            if spare <= 0:
                break
            if counts[role] < staff[role]:
                counts[role] += 1
                spare -= 1
    return counts


def required_interviews(
    workers: int,
    rules: SamplingRules | None = None,
    staff: Mapping[str, int] | None = None,
    cp_required: int | None = None,
    askable: Sequence[str] = ROLES,
) -> InterviewPlan:
    """The interviews a workforce of ``workers`` requires, by level when ``staff`` is known.

    ``cp_required`` is the CP's number, used where the table leaves it to the CP.
    """
    if workers < 0:
        raise AuditkitError(f"workforce size must be 0 or more, not {workers}")
    rules = rules or load_sampling()
    band = None if workers == 0 else _band(rules.interviews, workers)
    total: int | None = 0 if band is None else band.count(workers)
    cp = band is not None and band.cp
    if cp:
        total = cp_required
    everyone = band is not None and band.required is None and not band.cp
    by_role: dict[str, int | None]
    if staff is None:
        top = min(1, total) if total is not None else 1
        by_role = {role: (top if role == TOP_LEVEL else None) for role in ROLES}
        spread = max(0, (total or 0) - top)
        questionnaires_max = spread // 2
    else:
        folded = fold_levels(staff, askable)
        if everyone:
            counts = dict(folded)
            counts[TOP_LEVEL] = max(1, folded[TOP_LEVEL])
        elif total is None:
            counts = {role: (1 if role == TOP_LEVEL else 0) for role in ROLES}
        else:
            counts = split_by_level(total, folded)
        by_role = dict(counts)
        if total is None:
            # Until the CP's number is known only the senior manager is required by level.
            by_role = {role: (1 if role == TOP_LEVEL else None) for role in ROLES}
        questionnaires_max = counts.get("worker", 0) // 2
    return InterviewPlan(
        workers=workers,
        total=total,
        everyone=everyone,
        by_role=by_role,
        questionnaires_max=questionnaires_max,
        staff=dict(staff) if staff is not None else None,
        cp=cp,
    )


def required_sites(
    sites: int, rules: SamplingRules | None = None, cp_required: int | None = None
) -> int | None:
    """How many of ``sites`` active work sites the auditor must visit (None: the CP's number,
    not recorded yet)."""
    if sites < 0:
        raise AuditkitError(f"number of sites must be 0 or more, not {sites}")
    if sites == 0:
        return 0
    band = _band((rules or load_sampling()).sites, sites)
    if band.cp:
        return min(cp_required, sites) if cp_required is not None else None
    return band.count(sites)


def sites_left_to_cp(sites: int, rules: SamplingRules) -> bool:
    return sites > 0 and _band(rules.sites, sites).cp


def progress_of(
    protocol: Protocol,
    profile: Mapping[str, Any],
    subjects: Sequence[Subject],
    answered: Collection[Sequence[Any]],
    rules: SamplingRules | None = None,
) -> SampleProgress:
    """Required against done, from the profile, the subjects and the answers with a value
    (rows with the question id first and the subject id second): the one computation behind
    ``sample``, ``check``, the report and the TUI."""
    rules = rules or rules_for(protocol)
    size = workforce(profile)
    staff = declared_staff(profile)
    plan = (
        required_interviews(
            size,
            rules,
            staff=staff,
            cp_required=_cp_number(profile, "interviews_required"),
            askable=askable_levels(protocol),
        )
        if size is not None
        else None
    )
    people = {s.id for s in subjects if s.kind == "interviewee"}
    places = {s.id for s in subjects if s.kind == "site"}
    observed = {q.id for q in protocol.questions if "observation" in q.methods}
    if isinstance(answered, set | frozenset):
        # The TUI's answer keys: look up each subject's questions (a few thousand lookups)
        # rather than scan tens of thousands of answers after every answer.
        asked = [q.id for q in protocol.questions if q.subject == "interviewee"]
        toured = [q.id for q in protocol.questions if q.subject == "site" and q.id in observed]
        interviewed = {s for s in people if any((q, s) in answered for q in asked)}
        visited = {s for s in places if any((q, s) in answered for q in toured)}
    else:
        interviewed = {row[1] for row in answered} & people
        visited = {row[1] for row in answered if row[1] in places and row[0] in observed}
    interviewees = [s for s in subjects if s.kind == "interviewee"]
    roles = []
    for role in ROLES:
        mine = [s for s in interviewees if s.role == role]
        done = [s for s in mine if s.id in interviewed]
        written = sum(1 for s in done if s.fields.get(QUESTIONNAIRE))
        counted = len(done)
        if role == "worker" and plan is not None:
            # Questionnaires beyond half of the worker interviews do not count.
            counted -= max(0, written - plan.questionnaires_max)
        roles.append(
            RoleProgress(
                role=role,
                required=plan.by_role.get(role) if plan else None,
                added=len(mine),
                done=counted,
                staff=staff.get(role) if staff is not None else None,
                questionnaires=written,
            )
        )
    sites = [s for s in subjects if s.kind == "site"]
    head_id = profile.get("head_office") or ""
    head = next((s.label for s in sites if s.id == head_id), None)
    return SampleProgress(
        workers=size,
        plan=plan,
        roles=tuple(roles),
        interviews_done=sum(r.done for r in roles),
        sites_required=required_sites(len(sites), rules, _cp_number(profile, "sites_required")),
        sites_visited=tuple(s.label for s in sites if s.id in visited),
        sites_pending=tuple(s.label for s in sites if s.id not in visited),
        head_office=head,
        sites_cp=sites_left_to_cp(len(sites), rules),
    )


def sample_progress(audit: Audit, rules: SamplingRules | None = None) -> SampleProgress:
    """Required against done for ``audit``: interviews per level and site visits."""
    answered = audit.store.answer_values()
    return progress_of(audit.protocol, audit.profile, audit.subjects(), answered, rules)


def interview_band_is_cp(size: int, rules: SamplingRules) -> bool:
    """Whether the table leaves the interviews for a workforce of ``size`` to the CP."""
    return size > 0 and _band(rules.interviews, size).cp


def check_cp_numbers(
    protocol: Protocol,
    profile: Mapping[str, Any],
    active_sites: int,
    interviews: int | None,
    sites: int | None,
) -> None:
    """Refuse a CP's number where the table sets the number itself, or one above the
    workforce or the active sites (``profile`` as it will be, with the staff being recorded)."""
    rules = rules_for(protocol)
    if interviews is not None:
        size = workforce(profile)
        if size is None or not interview_band_is_cp(size, rules):
            what = f"a workforce of {size}" if size is not None else "an unknown workforce"
            raise AnswerRefused(
                f"--interviews-required: the sampling table sets the interviews for {what}; "
                f"the CP's number applies only where the table leaves it to the CP"
            )
        if interviews > size:
            raise AnswerRefused(
                f"--interviews-required {interviews}: more than the workforce of {size}"
            )
    if sites is not None:
        if not sites_left_to_cp(active_sites, rules):
            raise AnswerRefused(
                f"--sites-required: the sampling table sets the visits for {active_sites} "
                f"active site(s); the CP's number applies only where the table leaves it to "
                f"the CP"
            )
        if sites > active_sites:
            raise AnswerRefused(
                f"--sites-required {sites}: more than the {active_sites} active sites"
            )
