"""Interview and site-visit sampling: the rules of data/sampling.yaml and an audit's progress.

The table maps the workforce size (the largest monthly headcount of the review period) to the
number of interviews, split across the four levels by the role shares, and the number of active
sites to the number the auditor must visit. An audit's progress counts an interviewee as
interviewed, and a site as visited, once at least one answer has been recorded for it: interview
questions are answered per interviewee and infrastructure questions per site, so an answer is
the evidence that the interview or the tour took place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from auditkit.errors import AuditkitError
from auditkit.protocol.yaml_source import LineDict, LineList, Problem, load_bytes
from auditkit.resources import data_dir
from auditkit.vocabulary import ROLES

if TYPE_CHECKING:
    from auditkit.audit import Audit

EVERYONE = "all"
TOP_KEYS = {"source", "interviews", "roles", "sites"}
BAND_KEYS = {"min", "max", "required", "percent"}
ROLE_KEYS = {"share", "min"}


class SamplingInvalid(AuditkitError):
    """data/sampling.yaml failed validation; ``problems`` holds every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{self.problems[0]}{more}")


@dataclass(frozen=True)
class Band:
    """One row of a sampling table: sizes ``low..high`` (``high`` None: that size and more).

    The row requires ``required`` units, or ``percent`` of the size rounded up, or (both None)
    every unit.
    """

    low: int
    high: int | None
    required: int | None = None
    percent: int | None = None

    def covers(self, size: int) -> bool:
        return self.low <= size and (self.high is None or size <= self.high)

    def count(self, size: int) -> int:
        if self.percent is not None:
            return math.ceil(Fraction(size * self.percent, 100))
        return size if self.required is None else self.required


@dataclass(frozen=True)
class RoleShare:
    """A level's part of the interviews: a share of what is left after the fixed minimums."""

    role: str
    share: Fraction
    minimum: int


@dataclass(frozen=True)
class SamplingRules:
    interviews: tuple[Band, ...]
    roles: tuple[RoleShare, ...]
    sites: tuple[Band, ...]
    source: str = ""


@dataclass(frozen=True)
class InterviewPlan:
    """The interviews a workforce of ``workers`` requires, in all and per role."""

    workers: int
    total: int
    everyone: bool  # the table asks for every person on the workforce
    by_role: dict[str, int]
    questionnaires_max: int  # worker interviews a written questionnaire may replace


@dataclass(frozen=True)
class RoleProgress:
    role: str
    required: int | None  # None when the workforce size is unknown
    added: int  # interviewees of this role recorded in the audit
    done: int  # of those, with at least one answer

    @property
    def met(self) -> bool:
        return self.required is not None and self.done >= self.required


@dataclass(frozen=True)
class SampleProgress:
    """Required against done, for interviews (per role) and site visits."""

    workers: int | None  # None: the profile does not give the workforce size
    plan: InterviewPlan | None
    roles: tuple[RoleProgress, ...]
    interviews_done: int
    sites_required: int
    sites_visited: tuple[str, ...]  # labels of the sites with at least one answer
    sites_pending: tuple[str, ...]  # labels of the sites not visited yet

    @property
    def interviews_required(self) -> int | None:
        return self.plan.total if self.plan else None

    @property
    def interviews_met(self) -> bool:
        """Enough interviews in all; and per role, unless the table asks for everyone."""
        if self.plan is None or self.interviews_done < self.plan.total:
            return False
        return self.plan.everyone or all(r.met for r in self.roles)

    @property
    def sites(self) -> int:
        return len(self.sites_visited) + len(self.sites_pending)

    @property
    def sites_met(self) -> bool:
        return len(self.sites_visited) >= self.sites_required


# -- loading and validation --------------------------------------------------------------------


def _whole(value: Any, least: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _parse_bands(
    entries: Any, line: int, what: str, filename: str, problems: list[Problem]
) -> tuple[Band, ...]:
    """Rows contiguous and ascending from 1, the last open-ended, the count never falling."""
    if not isinstance(entries, LineList) or not entries:
        problems.append(Problem(filename, line, f"{what}: expected a non-empty list of rows"))
        return ()
    bands: list[Band] = []
    expected_low, previous = 1, 0
    last = len(entries) - 1
    for index, (entry, row_line) in enumerate(zip(entries, entries.item_lines, strict=True)):
        where = f"{what} row {index + 1}"
        if not isinstance(entry, LineDict):
            problems.append(Problem(filename, row_line, f"{where}: expected a mapping"))
            return ()
        for key in entry:
            if key not in BAND_KEYS or (key == "percent" and what != "sites"):
                problems.append(Problem(filename, row_line, f"{where}: unknown key {key!r}"))
        low, high = entry.get("min"), entry.get("max")
        if not _whole(low, 1):
            problems.append(
                Problem(filename, row_line, f"{where}: 'min' must be a whole number >= 1")
            )
            return ()
        if low != expected_low:
            problems.append(
                Problem(
                    filename,
                    row_line,
                    (
                        f"{where}: starts at {low}, expected {expected_low} "
                        f"(rows must be contiguous and ascending from 1)"
                    ),
                )
            )
        if "max" not in entry:
            if index != last:
                problems.append(
                    Problem(filename, row_line, (f"{where}: only the last row may leave out 'max'"))
                )
        elif index == last:
            problems.append(
                Problem(
                    filename,
                    row_line,
                    (f"{where}: the last row must leave out 'max' so that every size has a row"),
                )
            )
        if "max" in entry and not (_whole(high, 1) and high >= low):
            problems.append(
                Problem(filename, row_line, f"{where}: 'max' must be a whole number >= min ({low})")
            )
            return ()
        band = _parse_count(entry, low, high, where, what, filename, row_line, problems)
        if band is None:
            return ()
        # The smallest size of the row is where a falling count would first show.
        count = band.count(low)
        if count < previous:
            problems.append(
                Problem(
                    filename,
                    row_line,
                    (
                        f"{where}: requires {count} at {low}, fewer than the {previous} of the row "
                        f"before; the count must not fall as the size grows"
                    ),
                )
            )
        bands.append(band)
        previous = band.count(high) if high is not None else count
        expected_low = (high or low) + 1
    return tuple(bands)


def _parse_count(
    entry: LineDict,
    low: int,
    high: int | None,
    where: str,
    what: str,
    filename: str,
    line: int,
    problems: list[Problem],
) -> Band | None:
    required, percent = entry.get("required"), entry.get("percent")
    if ("required" in entry) == ("percent" in entry):
        wanted = "'required' (a number or all) or 'percent'" if what == "sites" else "'required'"
        problems.append(Problem(filename, line, f"{where}: give exactly one of {wanted}"))
        return None
    if "percent" in entry:
        if not (_whole(percent, 1) and percent <= 100):
            problems.append(Problem(filename, line, f"{where}: 'percent' must be 1..100"))
            return None
        return Band(low, high, percent=percent)
    if required == EVERYONE:
        return Band(low, high)
    if not _whole(required, 1):
        problems.append(
            Problem(
                filename, line, (f"{where}: 'required' must be a whole number >= 1 or {EVERYONE!r}")
            )
        )
        return None
    if required > low:
        problems.append(
            Problem(
                filename,
                line,
                (f"{where}: requires {required}, more than the {low} at the start of the row"),
            )
        )
        return None
    return Band(low, high, required=required)


def _parse_roles(
    entries: Any, line: int, filename: str, problems: list[Problem]
) -> tuple[RoleShare, ...]:
    if not isinstance(entries, LineDict) or not entries:
        problems.append(Problem(filename, line, "roles: expected a mapping of role to share"))
        return ()
    roles: list[RoleShare] = []
    for role, rule in entries.items():
        role_line = entries.line_of(role)
        if role not in ROLES:
            problems.append(
                Problem(
                    filename,
                    role_line,
                    (f"roles: unknown role {role!r} (expected one of: {', '.join(ROLES)})"),
                )
            )
            continue
        if not isinstance(rule, LineDict):
            problems.append(Problem(filename, role_line, f"roles: {role}: expected a mapping"))
            continue
        for key in rule:
            if key not in ROLE_KEYS:
                problems.append(
                    Problem(filename, rule.line_of(key), f"roles: {role}: unknown key {key!r}")
                )
        share, minimum = rule.get("share", 0), rule.get("min", 0)
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            problems.append(
                Problem(
                    filename,
                    rule.line_of("share"),
                    f"roles: {role}: 'share' must be a number from 0 to 1",
                )
            )
            continue
        if not _whole(minimum, 0):
            problems.append(
                Problem(
                    filename,
                    rule.line_of("min"),
                    f"roles: {role}: 'min' must be a whole number >= 0",
                )
            )
            continue
        # str() first so 0.15 becomes exactly 3/20, and the shares can sum to exactly 1.
        roles.append(RoleShare(role, Fraction(str(share)), minimum))
    if roles and len(roles) == len(entries) and sum(r.share for r in roles) != 1:
        total = float(sum(r.share for r in roles))
        problems.append(Problem(filename, line, f"roles: the shares add up to {total:g}, not 1"))
    return tuple(roles)


def parse_sampling(raw: bytes, filename: str) -> SamplingRules:
    """Validate a sampling file; raises :class:`SamplingInvalid` with every problem."""
    data, problems = load_bytes(raw, filename)
    if data is None:
        raise SamplingInvalid(problems)
    if not isinstance(data, LineDict):
        raise SamplingInvalid(
            [Problem(filename, 1, "expected a mapping with 'interviews', 'roles' and 'sites'")]
        )
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(filename, data.line_of(key), f"unknown key {key!r}"))
    problems += [
        Problem(filename, 1, f"missing {key!r}")
        for key in ("interviews", "roles", "sites")
        if key not in data
    ]
    # A missing section is reported once, above; the others are still checked.
    rules = SamplingRules(
        interviews=_parse_bands(
            data["interviews"], data.line_of("interviews"), "interviews", filename, problems
        )
        if "interviews" in data
        else (),
        roles=_parse_roles(data["roles"], data.line_of("roles"), filename, problems)
        if "roles" in data
        else (),
        sites=_parse_bands(data["sites"], data.line_of("sites"), "sites", filename, problems)
        if "sites" in data
        else (),
        source=str(data.get("source") or ""),
    )
    if problems:
        raise SamplingInvalid(problems)
    return rules


@cache
def load_sampling(path: Path | None = None) -> SamplingRules:
    """The bundled sampling rules (or the ones at ``path``), validated."""
    path = path or data_dir() / "sampling.yaml"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuditkitError(f"{path}: cannot read the sampling rules ({exc.strerror})") from None
    return parse_sampling(raw, str(path))


# -- the rules ---------------------------------------------------------------------------------


def _band(bands: Sequence[Band], size: int) -> Band:
    # Validation guarantees contiguous rows from 1 with an open-ended last row.
    return next(band for band in bands if band.covers(size))


def split_by_role(total: int, roles: Sequence[RoleShare]) -> dict[str, int]:
    """Spread ``total`` interviews over the roles.

    Roles without a share (the senior manager) get their minimum first; the rest is shared out
    by the shares, rounding by largest remainder so the parts add up to ``total``. Then every
    role is raised to its minimum, while the total allows, by taking from the role with the most
    interviews above its own minimum.
    """
    counts = {r.role: 0 for r in roles}
    left = total
    for rule in roles:
        if not rule.share:
            counts[rule.role] = min(rule.minimum, left)
            left -= counts[rule.role]
    shared = [r for r in roles if r.share]
    exact = {r.role: r.share * left for r in shared}
    for rule in shared:
        counts[rule.role] = math.floor(exact[rule.role])
    spare = left - sum(counts[r.role] for r in shared)
    by_remainder = sorted(shared, key=lambda r: (counts[r.role] - exact[r.role], -r.share))
    for rule in by_remainder[:spare]:
        counts[rule.role] += 1
    for rule in shared:
        while counts[rule.role] < rule.minimum:
            donors = [d for d in shared if d is not rule and counts[d.role] > d.minimum]
            if not donors:
                break
            donor = max(donors, key=lambda d: counts[d.role] - d.minimum)
            counts[donor.role] -= 1
            counts[rule.role] += 1
    return counts


def required_interviews(workers: int, rules: SamplingRules | None = None) -> InterviewPlan:
    """The interviews a workforce of ``workers`` (largest monthly headcount) requires."""
    if workers < 0:
        raise AuditkitError(f"workforce size must be 0 or more, not {workers}")
    rules = rules or load_sampling()
    if workers == 0:
        band, total = None, 0
    else:
        band = _band(rules.interviews, workers)
        total = band.count(workers)
    by_role = split_by_role(total, rules.roles)
    return InterviewPlan(
        workers=workers,
        total=total,
        everyone=band is not None and band.required is None,
        by_role=by_role,
        questionnaires_max=by_role.get("worker", 0) // 2,
    )


def required_sites(sites: int, rules: SamplingRules | None = None) -> int:
    """How many of ``sites`` active work sites the auditor must visit."""
    if sites < 0:
        raise AuditkitError(f"number of sites must be 0 or more, not {sites}")
    if sites == 0:
        return 0
    return _band((rules or load_sampling()).sites, sites).count(sites)


def sample_progress(audit: Audit, rules: SamplingRules | None = None) -> SampleProgress:
    """Required against done for ``audit``: interviews per role and site visits.

    The workforce size is the profile's ``workers`` (largest monthly headcount); when the
    profile lacks it, nothing is required yet and ``workers`` is None.
    """
    rules = rules or load_sampling()
    workers = audit.profile.get("workers")
    plan = required_interviews(int(workers), rules) if workers is not None else None
    answered = {a.subject_id for a in audit.answers() if a.value is not None}
    interviewees = audit.subjects("interviewee")
    roles = tuple(
        RoleProgress(
            role=role,
            required=plan.by_role.get(role, 0) if plan else None,
            added=sum(1 for s in interviewees if s.role == role),
            done=sum(1 for s in interviewees if s.role == role and s.id in answered),
        )
        for role in ROLES
    )
    sites = audit.subjects("site")
    return SampleProgress(
        workers=plan.workers if plan else None,
        plan=plan,
        roles=roles,
        interviews_done=sum(r.done for r in roles),
        sites_required=required_sites(len(sites), rules),
        sites_visited=tuple(s.label for s in sites if s.id in answered),
        sites_pending=tuple(s.label for s in sites if s.id not in answered),
    )
