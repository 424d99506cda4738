"""The demo audit: a fictitious Alberta employer, half-way through a COR certification audit.

Everything is built through :class:`~auditkit.audit.Audit`, like the CLI and the TUI would, from
``data/demo.yaml`` and a seeded random generator, so the same seed always gives the same
answers, notes and subjects (only ids and timestamps differ).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from auditkit.audit import Audit, Profile
from auditkit.errors import AuditkitError
from auditkit.files import built_beside
from auditkit.protocol.model import Question
from auditkit.resources import data_dir
from auditkit.rules.actions import set_action
from auditkit.rules.cycle import new_from
from auditkit.rules.finalize import finalize
from auditkit.rules.findings import draft_sfi, item_of, set_finding, sfi_missing
from auditkit.rules.interviews import RECORD_FIELDS
from auditkit.rules.progress import expected_keys
from auditkit.rules.qa_check import check_audit
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
    sfis: dict[str, dict[str, Any]]  # item -> the auditor's SFI, priority, key flag
    previous: dict[str, Any]  # last year's audit: dates, sites visited, documents, actions


def load_demo_data(path: Path | None = None) -> DemoData:
    """Read the demo's employer, subjects, document review and note phrases."""
    source = path or data_dir() / "demo.yaml"
    # libyaml where PyYAML has it: the pure-Python loader took a fifth of the demo's build.
    loader = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)
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
        sfis={str(k): dict(v) for k, v in (raw.get("sfis") or {}).items()},
        previous=dict(raw.get("previous") or {}),
    )


def build_demo(path: str | Path, seed: int = DEMO_SEED, protocol: str = "cor") -> Path:
    """Create the demo audit at ``path`` (refused if it exists) and return the path.

    Last year's audit of the same employer is written beside it (``demo-2025.audit``) and the
    demo is started from it, as ``auditkit new --from`` would. Both files are built under
    temporary names and renamed when complete, so they appear whole or not at all; per-answer
    fsyncs are skipped while building because an interrupted build leaves only the temporary
    files, which are removed.
    """
    target = Path(path)
    if target.exists():
        raise AuditkitError(f"{target}: already exists; choose another file name")
    data = load_demo_data()
    rng = random.Random(seed)
    last = previous_path(target, data)
    if data.previous and last.exists():
        raise AuditkitError(f"{last}: already exists; choose another file name for the demo")
    with built_beside(target, "choose another file name", guard=taking_name) as temp:
        if not data.previous:
            with Audit.create(temp, _profile(data, protocol)) as audit:
                audit.store.skip_fsync()
                audit.store.commit_on_close()
                _populate(audit, data, rng)
                _write_sfis(audit, data)
            return target
        with built_beside(last, "choose another file name for the demo") as last_temp:
            with Audit.create(last_temp, _profile(data, protocol, last_year=True)) as old:
                old.store.skip_fsync()
                old.store.commit_on_close()
                old.update_profile(
                    completed_courses=list(data.profile.get("completed_courses", []))
                )
                _populate_last_year(old, data, random.Random(seed - 1))
            with new_from(temp, last_temp, data.profile["purpose"]) as audit:
                audit.store.skip_fsync()
                audit.store.commit_on_close()
                p = data.profile
                audit.update_profile(
                    start_date=p["start_date"],
                    end_date=p["end_date"],
                    review_start=str(p.get("review_start") or ""),
                    review_end=str(p.get("review_end") or ""),
                )
                _populate(audit, data, rng)
                _write_sfis(audit, data)
                _write_missing_notes(audit, data)
    return target


def previous_path(target: Path, data: DemoData | None = None) -> Path:
    """Where the demo keeps last year's audit: ``demo-2025.audit`` beside ``demo.audit``."""
    suffix = str((data or load_demo_data()).previous.get("file_suffix") or "-previous")
    return target.with_name(f"{target.stem}{suffix}{target.suffix}")


def _populate_last_year(audit: Audit, data: DemoData, rng: random.Random) -> None:
    """Last year's audit, complete and finalized as the CP accepted it: the document review as
    this year's but where it was worse (and the elements this year's has not reached yet), the
    interviews and the field work at the sites toured then, every incident record of its review
    period, an SFI on every item under the threshold, the action plan as the employer updated
    it since, and the report's date."""
    last = data.previous
    documents = {**data.documents}
    documents.update({str(k): (str(v[0]), str(v[1])) for k, v in last["documents"].items()})
    actions = list(last["actions"])
    year = replace(
        data,
        documents=documents,
        incidents=list(last["incidents"]),
        interviewees=list(last["interviewees"]),
        findings={
            **data.findings,
            **{str(k): tuple(str(x) for x in v) for k, v in last["findings"].items()},
        },
        sfis={str(a["item"]): dict(a) for a in actions},
    )
    _populate(audit, year, rng, toured_labels=list(last["sites_visited"]), complete=True)
    for action in actions:  # one per SFI of the report, as the employer has kept it since
        set_finding(
            audit,
            action["item"],
            note=str(action.get("note") or "") or None,
            sfi=action["sfi"],
            priority=action["priority"],
            key=bool(action.get("key", False)),
        )
        set_action(
            audit, action["item"], owner=action["owner"], due=action["due"], status=action["status"]
        )
    _write_sfis(audit, year, drafts=False)  # refuses an item under the threshold left without
    _write_missing_notes(audit, year)
    finalize(audit, dated=datetime.fromisoformat(str(last["finalized"])))


def _write_missing_notes(audit: Audit, data: DemoData) -> None:
    """A justification note on every answered item the QA check finds without one: the item's
    finding note, written from what its first answer found (as the auditor would, back at the
    office, from the field notes)."""
    subjects = {s.id: s for s in audit.subjects()}
    missing = {p.question for p in check_audit(audit).problems if p.code == "note.missing"}
    items: dict[str, str] = {}  # question -> its scored item (item_of scans the protocol)
    for row in audit.answers():
        if row.question_id not in items:
            items[row.question_id] = item_of(audit.protocol, row.question_id).id
        item = items[row.question_id]
        subject = subjects.get(row.subject_id)
        if item not in missing or row.value in (None, "na") or subject is None:
            continue
        question = audit.protocol.question(row.question_id)
        if question.id not in data.findings or row.value not in data.templates[question.component]:
            continue
        note = _note(question, subject, row.value, data, _always)
        set_finding(audit, item, note=note)
        missing.discard(item)


class _Always(random.Random):
    """A generator whose first draw always writes the note."""

    def random(self) -> float:
        return 1.0


_always = _Always()


def _write_sfis(audit: Audit, data: DemoData, drafts: bool = True) -> None:
    """An SFI on every answered item under the SFI threshold: the auditor's words from
    demo.yaml, else (``drafts``) the item's own target (a first draft the auditor kept).
    Without ``drafts`` an item with no written SFI is refused: a finalized audit's SFIs are
    the auditor's own."""
    for item, _ in sfi_missing(audit):
        written = data.sfis.get(item.id)
        if written is None and not drafts:
            raise AuditkitError(f"demo data: no SFI written for {item.id} in last year's audit")
        if written is None:
            set_finding(audit, item.id, sfi=draft_sfi(item, []))
            continue
        set_finding(
            audit,
            item.id,
            note=str(written.get("note") or "") or None,
            sfi=str(written["sfi"]),
            priority=str(written.get("priority") or ""),
            key=bool(written.get("key", False)),
        )


def _profile(data: DemoData, protocol: str, last_year: bool = False) -> Profile:
    p = data.profile
    last = data.previous if last_year else {}
    return Profile(
        company=p["company"],
        protocol=protocol,
        purpose=last.get("purpose") or p["purpose"],
        headcounts=tuple(p["headcounts"]),
        auditors=tuple(p["auditors"]),
        sites=tuple(data.sites),
        address=p["address"],
        contact=p["contact"],
        wcb_account=p["wcb_account"],
        industry_code=p["industry_code"],
        operations=p["operations"].strip(),
        start_date=last.get("start_date") or p["start_date"],
        end_date=last.get("end_date") or p["end_date"],
        partner=str(p.get("partner") or ""),
        auditor_number=str(p.get("auditor_number") or ""),
        review_start=str(last.get("review_start") or p.get("review_start") or ""),
        review_end=str(last.get("review_end") or p.get("review_end") or ""),
        staff={str(k): int(v) for k, v in p["staff"].items()} if p.get("staff") else None,
        head_office=str(p.get("head_office") or ""),
    )


def _populate(
    audit: Audit,
    data: DemoData,
    rng: random.Random,
    toured_labels: list[str] | None = None,
    complete: bool = False,
) -> None:
    """Subjects and answers; ``complete`` asks every question of every subject (sites: the
    toured ones) instead of the share of the field work done so far."""
    for person in data.interviewees:
        audit.add_subject(
            "interviewee",
            person["code"],
            role=person["role"],
            site=person["site"],
            questionnaire=bool(person.get("questionnaire", False)),
            fields={k: str(person[k]) for k in RECORD_FIELDS if person.get(k)},
        )
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
    if toured_labels is not None:
        toured = {s.id for s in subjects if s.kind == "site" and s.label in toured_labels}
    for question, subject in expected_keys(audit.protocol, subjects):
        if subject is None or question.id not in data.findings:
            continue  # once-per-audit questions are the document review above
        share = 1.0 if complete else data.progress.get(question.component, 0.5)
        if subject.kind == "site":
            if subject.id not in toured:
                continue
            share = 1.0 if complete else 0.9
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
