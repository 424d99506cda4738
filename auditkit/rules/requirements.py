"""Which courses a certificate requires, of whom, under which certifying partner.

The rules are the ``requirements`` list of ``data/training.yaml``: per certificate, per partner
(``any`` where the audit's partner has none of its own), per stage (``registration``, the CP's
prerequisite; ``maintenance``, the years between certifications) and per person or employer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditkit.protocol.yaml_source import LineDict, LineList, Problem, load_bytes
from auditkit.resources import data_dir
from auditkit.rules.catalogue import CatalogueInvalid, load_catalogue

ANY = "any"
STAGES = ("registration", "maintenance")
PER = ("person", "employer")
# Partners as auditors write them, to the short name the rules use.
PARTNER_NAMES = {
    "alberta construction safety association": "ACSA",
    "alberta municipal health and safety association": "AMHSA",
    "energy safety canada": "ESC",
    "alberta food processors association": "AFPA",
}


@dataclass(frozen=True)
class Requirement:
    certificate: str
    partner: str
    when: str
    per: str
    who: str
    courses: tuple[str, ...]


def parse_requirements(raw: bytes, filename: str) -> list[Requirement]:
    """The ``requirements`` list; refuses unknown stages, ``per`` values and course ids."""
    data, problems = load_bytes(raw, filename)
    entries = data.get("requirements") if isinstance(data, LineDict) else None
    if entries is None:
        return []
    if not isinstance(entries, LineList):
        raise CatalogueInvalid([Problem(filename, 1, "'requirements' must be a list")])
    known = load_catalogue()
    found = []
    for entry, line in zip(entries, entries.item_lines, strict=True):
        if not isinstance(entry, LineDict):
            problems.append(Problem(filename, line, "a requirement must be a mapping"))
            continue
        courses = entry.get("courses") or []
        when, per = entry.get("when"), entry.get("per")
        if when not in STAGES:
            problems.append(Problem(filename, line, f"when must be one of {', '.join(STAGES)}"))
        if per not in PER:
            problems.append(Problem(filename, line, f"per must be one of {', '.join(PER)}"))
        unknown = [c for c in courses if c not in known]
        if unknown or not courses:
            problems.append(Problem(filename, line, f"unknown or no courses: {unknown}"))
        found.append(
            Requirement(
                certificate=str(entry.get("certificate") or ""),
                partner=str(entry.get("partner") or ANY),
                when=str(when),
                per=str(per),
                who=str(entry.get("who") or ""),
                courses=tuple(str(c) for c in courses),
            )
        )
    if problems:
        raise CatalogueInvalid(problems)
    return found


@cache
def load_requirements(path: Path | None = None) -> list[Requirement]:
    path = path or data_dir() / "training.yaml"
    return parse_requirements(path.read_bytes(), str(path))


def partner_key(partner: str) -> str:
    """``ACSA`` for "ACSA", "acsa" or "Alberta Construction Safety Association"."""
    text = " ".join(partner.lower().split())
    return PARTNER_NAMES.get(text, partner.strip().upper())


def requirements_for(certificate: str, partner: str, purpose: str) -> list[Requirement]:
    """The rules that apply: the partner's own for a certificate and stage, else ``any``'s;
    maintenance rules only for a maintenance audit."""
    key = partner_key(partner) if partner else ""
    stages = ("registration", "maintenance") if purpose == "maintenance" else ("registration",)
    chosen = []
    for stage in stages:
        rules = [r for r in load_requirements() if r.certificate == certificate and r.when == stage]
        own = [r for r in rules if key and r.partner.upper() == key]
        chosen += own or [r for r in rules if r.partner == ANY]
    return chosen


def required_courses(certificate: str, partner: str, purpose: str) -> frozenset[str]:
    """Every course the applicable rules require."""
    return frozenset(c for r in requirements_for(certificate, partner, purpose) for c in r.courses)
