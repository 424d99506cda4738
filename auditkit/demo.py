"""The demo audit: a fictitious Alberta employer, half-way through a COR certification audit.

Everything is built through :class:`~auditkit.audit.Audit`, like the CLI and the TUI would, from
``data/demo.yaml`` and a seeded random generator, so the same seed always gives the same
answers, notes and subjects (only ids and timestamps differ).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditkit.audit import Audit, Profile
from auditkit.errors import AuditkitError
from auditkit.files import built_beside
from auditkit.protocol.model import Question
from auditkit.resources import data_dir
from auditkit.rules.progress import expected_keys
from auditkit.store.audit_file import Subject

DEMO_SEED = 2026
DEFAULT_FILE = "demo.audit"


@dataclass(frozen=True)
class DemoData:
    """The parsed ``data/demo.yaml``."""

    profile: dict[str, Any]
    sites: list[str]
    interviewees: list[dict[str, str]]
    incidents: list[dict[str, Any]]
    progress: dict[str, float]
    weights: dict[str, int]
    notes: dict[str, Any]  # component -> answer -> templates; "na" -> templates
    examples: dict[str, list[str]]  # element id -> facts


def load_demo_data(path: Path | None = None) -> DemoData:
    """Read the demo's employer, subjects and note templates."""
    source = path or data_dir() / "demo.yaml"
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AuditkitError(f"{source}: cannot read the demo data ({exc})") from None
    return DemoData(
        profile=raw["profile"],
        sites=list(raw["sites"]),
        interviewees=raw["interviewees"],
        incidents=raw["incidents"],
        progress=raw["progress"],
        weights={str(k): int(v) for k, v in raw["answers"].items()},
        notes=raw["notes"],
        examples={str(k): list(v) for k, v in raw["examples"].items()},
    )


def build_demo(path: str | Path, seed: int = DEMO_SEED, protocol: str = "cor") -> Path:
    """Create the demo audit at ``path`` (refused if it exists) and return the path.

    The file is built under a temporary name and renamed when complete, so it appears whole
    or not at all; per-answer fsyncs are skipped while building because an interrupted build
    leaves only the temporary file, which is removed.
    """
    target = Path(path)
    if target.exists():
        raise AuditkitError(f"{target}: already exists; choose another file name")
    data = load_demo_data()
    with (
        built_beside(target, "choose another file name") as temp,
        Audit.create(temp, _profile(data, protocol)) as audit,
    ):
        audit.store.skip_fsync()
        _populate(audit, data, random.Random(seed))
    return target


def _profile(data: DemoData, protocol: str) -> Profile:
    p = data.profile
    return Profile(
        company=p["company"],
        protocol=protocol,
        purpose=p["purpose"],
        headcounts=tuple(p["headcounts"]),
        auditors=tuple(p["auditors"]),
        sites=tuple(data.sites),
        address=p["address"],
        contact=p["contact"],
        wcb_account=p["wcb_account"],
        industry_code=p["industry_code"],
        operations=p["operations"].strip(),
        start_date=p["start_date"],
        end_date=p["end_date"],
    )


def _populate(audit: Audit, data: DemoData, rng: random.Random) -> None:
    for person in data.interviewees:
        audit.add_subject("interviewee", person["code"], role=person["role"], site=person["site"])
    for record in data.incidents:
        fields = {k: v for k, v in record.items() if k != "label"}
        audit.add_subject("incident", record["label"], fields=fields)
    subjects = audit.subjects()
    # Sites are toured in order; the demo has toured the first ones only.
    sites = [s.id for s in subjects if s.kind == "site"]
    toured = set(sites[: max(1, round(len(sites) * data.progress["infrastructure"]))])
    for question, subject in expected_keys(audit.protocol, subjects):
        share = data.progress.get(question.component, 0.5)
        if subject is not None and subject.kind == "site":
            if subject.id not in toured:
                continue
            share = 0.9
        if rng.random() >= share or audit.cascade_block(question):
            continue  # not reached yet, or scored by cascade (its parent scored 0 or is N/A)
        value = _value(question, data, rng)
        note = _note(question, subject, value, data, rng)
        audit.answer(question.id, value, subject=subject.id if subject else None, note=note)


def _value(question: Question, data: DemoData, rng: random.Random) -> str:
    choices = [v for v in data.weights if v != "na" or question.na]
    value = rng.choices(choices, weights=[data.weights[v] for v in choices])[0]
    if question.accepts_points and value == "partial" and question.points > 2:
        # Range questions answered once are often scored in points, not yes/partial/no.
        return str(rng.randint(question.points // 3, question.points - 1))
    if value == "partial" and not question.accepts_partial:
        return "no"  # a yes-no indicator: a half-answer is a negative one
    return value


def _note(
    question: Question, subject: Subject | None, value: str, data: DemoData, rng: random.Random
) -> str:
    if rng.random() < 0.25:
        return ""  # not every answer gets a note in the field
    if subject is None:
        where = "head office"
    elif subject.kind == "interviewee":
        where = "this interviewee's work"  # notes never identify the person
    else:
        where = subject.label
    if value == "na":
        templates = data.notes["na"]
    else:
        by_answer = data.notes[question.component]
        templates = by_answer.get(value, by_answer["partial"])  # points read as partial
    note = str(rng.choice(templates)).format(
        where=where, example=rng.choice(data.examples[question.element])
    )
    return note[0].upper() + note[1:]
