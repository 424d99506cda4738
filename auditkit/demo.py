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
from auditkit.store.sidecars import taking_name

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
    documents: dict[str, tuple[str, str]]  # question -> (answer, note): the review so far
    findings: dict[str, tuple[str, ...]]  # question -> what a positive, negative, partial showed
    na_reasons: dict[str, str]  # question -> why it does not apply
    templates: dict[str, dict[str, str]]  # component -> answer -> note template
    scope: dict[str, list[str]]  # question -> the site labels or incident types it applies to


def load_demo_data(path: Path | None = None) -> DemoData:
    """Read the demo's employer, subjects, document review and note phrases."""
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
        documents={str(k): (str(v[0]), str(v[1])) for k, v in raw["documents"].items()},
        findings={str(k): tuple(str(x) for x in v) for k, v in raw["findings"].items()},
        na_reasons={str(k): str(v) for k, v in raw["na"].items()},
        templates={str(k): {str(a): str(t) for a, t in v.items()} for k, v in raw["notes"].items()},
        scope={str(k): [str(x) for x in v] for k, v in raw["scope"].items()},
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
        built_beside(target, "choose another file name", guard=taking_name) as temp,
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
        staff={str(k): int(v) for k, v in p["staff"].items()} if p.get("staff") else None,
        head_office=str(p.get("head_office") or ""),
    )


def _populate(audit: Audit, data: DemoData, rng: random.Random) -> None:
    for person in data.interviewees:
        audit.add_subject("interviewee", person["code"], role=person["role"], site=person["site"])
    for record in data.incidents:
        fields = {k: v for k, v in record.items() if k != "label"}
        audit.add_subject("incident", record["label"], fields=fields)
    subjects = audit.subjects()
    incidents = {r["label"]: r for r in data.incidents}
    # The document review comes first (the follow-up items depend on what it found), then the
    # field work. Sites are toured in order; the demo has toured the first ones only.
    for question_id, (value, note) in data.documents.items():
        audit.answer(question_id, value, note=note)
    sites = [s.id for s in subjects if s.kind == "site"]
    toured = set(sites[: max(1, round(len(sites) * data.progress["infrastructure"]))])
    for question, subject in expected_keys(audit.protocol, subjects):
        if subject is None or question.id not in data.findings:
            continue  # once-per-audit questions are the document review above
        share = data.progress.get(question.component, 0.5)
        if subject.kind == "site":
            if subject.id not in toured:
                continue
            share = 0.9
        if subject.kind == "incident" and incidents[subject.label].get("investigated") is not True:
            continue  # the review of the uninvestigated incidents is still to do
        if rng.random() >= share or audit.cascade_block(question):
            continue
        kind = incidents[subject.label]["type"] if subject.kind == "incident" else subject.label
        applies = question.id not in data.scope or kind in data.scope[question.id]
        if not applies and not (question.na and question.id in data.na_reasons):
            continue
        value = _value(question, data, rng) if applies else "na"
        note = _note(question, subject, value, data, rng)
        audit.answer(question.id, value, subject=subject.id, note=note)


def _value(question: Question, data: DemoData, rng: random.Random) -> str:
    # A partial answer only where the demo has a partial finding to write about.
    partial = question.accepts_partial and len(data.findings[question.id]) > 2
    allowed = {"yes", "no"} | ({"partial"} if partial else set())
    if question.na and question.id in data.na_reasons and question.id not in data.scope:
        allowed.add("na")
    choices = [v for v in data.weights if v in allowed]
    return rng.choices(choices, weights=[data.weights[v] for v in choices])[0]


def _note(
    question: Question, subject: Subject, value: str, data: DemoData, rng: random.Random
) -> str:
    if value == "na":  # the reason is never left out
        who = "N/A for this interviewee" if subject.kind == "interviewee" else subject.label
        return f"{who}: {data.na_reasons[question.id]}."
    if rng.random() < 0.2:
        return ""  # not every answer gets a note in the field
    # Interview notes never identify the person; the others say where or which record.
    where = "" if subject.kind == "interviewee" else subject.label
    positive, negative, *partial = data.findings[question.id]
    template = data.templates[question.component][value]
    note = template.format(
        where=where, positive=positive, negative=negative, partial=partial[0] if partial else ""
    )
    return note[0].upper() + note[1:]
