"""The engine's front door: one audit, its protocol, and every rule an answer must obey.

The CLI and the TUI both work through :class:`Audit`; neither touches SQLite nor computes a
score any other way.
"""

from __future__ import annotations

import getpass
import json
import os
import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from auditkit.errors import AnswerRefused, AuditkitError, NotAnAudit, UsageError
from auditkit.protocol.cache import remember
from auditkit.protocol.model import (
    Protocol,
    Question,
    load_protocol,
    protocol_from_texts,
)
from auditkit.rules.eligibility import certificate_for
from auditkit.rules.incidents import IncidentSummary, clean_fields, summarise
from auditkit.rules.interviews import QUESTIONNAIRE, clean_record
from auditkit.rules.scoring import Given, Scores, item_questions, score, score_item
from auditkit.rules.values import check_values
from auditkit.store.audit_file import AnswerRow, Store, Subject
from auditkit.store.records import Evidence
from auditkit.vocabulary import (
    ANSWER_ALIASES,
    CHOICE_WORDS,
    NA,
    PURPOSES,
    ROLE_ALIASES,
    ROLES,
    SUBJECT_KINDS,
)


def default_author() -> str:
    return os.environ.get("AUDITKIT_AUDITOR") or getpass.getuser()


@dataclass(frozen=True)
class Profile:
    """What ``auditkit new`` (or the Home screen's form) knows about the employer and visit."""

    company: str
    protocol: str = ""
    purpose: str = "certification"
    headcounts: tuple[int, ...] = ()
    auditors: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    address: str = ""
    contact: str = ""
    wcb_account: str = ""
    industry_code: str = ""
    operations: str = ""
    start_date: str = ""
    end_date: str = ""
    partner: str = ""  # the certifying partner (CP)
    auditor_number: str = ""  # the auditor's certification number with the CP
    review_start: str = ""  # the records review period
    review_end: str = ""
    staff: dict[str, int] | None = None  # by level; None: not declared
    head_office: str = ""  # the label of the site that is the head office


def normalise_role(role: str) -> str:
    text = role.strip().lower()
    text = ROLE_ALIASES.get(text, text)
    if text not in ROLES:
        raise AnswerRefused(f"unknown role {role!r} (expected one of: {', '.join(ROLES)})")
    return text


class Audit:
    """An open audit file and the protocol it was created with."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path
        self.profile: dict[str, Any] = store.audit()
        self.protocol: Protocol = self._stored_protocol()
        store.author = default_author()

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, write: bool = False) -> Audit:
        return cls(Store.open(path, write=write))

    @classmethod
    def create(
        cls,
        path: str | Path,
        profile: Profile,
        author: str | None = None,
        stored: Protocol | None = None,
    ) -> Audit:
        """A new audit file; ``stored`` is a protocol already loaded (a previous audit's copy)
        instead of ``profile.protocol``."""
        if not profile.company.strip():
            raise UsageError("--company must not be empty")
        if profile.purpose not in PURPOSES:
            raise UsageError(
                f"unknown purpose {profile.purpose!r} (expected one of: {', '.join(PURPOSES)})"
            )
        if any(n < 0 for n in profile.headcounts):
            raise UsageError("headcounts must be whole numbers >= 0")
        staff_total = sum(profile.staff.values()) if profile.staff else None
        # Without monthly headcounts, the declared staff is the best headcount there is.
        counts = profile.headcounts or ((staff_total,) if staff_total else ())
        certificate = certificate_for(counts).certificate if counts else "COR"
        protocol = stored or load_protocol(profile.protocol or certificate.lower())
        protocol.pass_rule(profile.purpose)
        if len(set(profile.sites)) != len(profile.sites):
            raise UsageError("each --site must have a different name")
        row = {
            "id": str(uuid.uuid4()),
            "company": profile.company.strip(),
            "address": profile.address,
            "contact": profile.contact,
            "wcb_account": profile.wcb_account,
            "industry_code": profile.industry_code,
            "operations": profile.operations,
            "certificate": protocol.certificate,
            "purpose": profile.purpose,
            "workers": max(profile.headcounts) if profile.headcounts else staff_total,
            "staff": json.dumps(profile.staff) if profile.staff else None,
            "headcounts": json.dumps(list(profile.headcounts)),
            "start_date": profile.start_date or date.today().isoformat(),
            "end_date": profile.end_date,
            "auditors": json.dumps(list(profile.auditors)),
            "completed_courses": "[]",
            "protocol_id": protocol.id,
            "protocol_version": protocol.version,
            "protocol_sha256": protocol.sha256,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finalized_at": None,
            "partner": profile.partner,
            "auditor_number": profile.auditor_number,
            "review_start": profile.review_start,
            "review_end": profile.review_end,
        }
        who = author or (profile.auditors[0] if profile.auditors else default_author())
        store = Store.create(path, row, dict(protocol.files), author=who)
        remember(protocol)  # so opening the new audit need not parse its protocol again
        audit = cls(store)
        store.author = who
        for site in profile.sites:
            audit.add_subject("site", site)
        if profile.head_office.strip():
            audit.set_head_office(profile.head_office)
        return audit

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Audit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stored_protocol(self) -> Protocol:
        files = self.store.protocol_files()
        if not files:
            raise NotAnAudit(f"{self.path}: the audit's protocol copy is missing")
        protocol = protocol_from_texts(files, origin=f"{self.path}:protocol")
        if protocol.sha256 != self.profile["protocol_sha256"]:
            raise NotAnAudit(f"{self.path}: the stored protocol does not match its SHA-256")
        return protocol

    def amending(self, reason: str | None) -> AbstractContextManager[None]:
        """``with audit.amending(reason):`` every change inside records why a finalized audit
        was changed (and is refused without one)."""
        return self.store.amending(reason)

    @property
    def author(self) -> str:
        return self.store.author

    @author.setter
    def author(self, name: str) -> None:
        self.store.author = name

    # -- profile ---------------------------------------------------------------------------

    @property
    def purpose(self) -> str:
        return str(self.profile["purpose"])

    @property
    def auditors(self) -> list[str]:
        return list(json.loads(self.profile.get("auditors") or "[]"))

    @property
    def headcounts(self) -> list[int]:
        return list(json.loads(self.profile.get("headcounts") or "[]"))

    def update_profile(self, **changes: Any) -> None:
        encoded = {
            k: json.dumps(list(v)) if isinstance(v, list | tuple) else v for k, v in changes.items()
        }
        self.store.update_audit(encoded)
        self.profile = self.store.audit()

    def set_staff(self, staff: dict[str, int]) -> None:
        """Record the employer's staff by level (every level; a level not given is 0)."""
        full = {role: int(staff.get(role, 0)) for role in ROLES}
        unknown = set(staff) - set(ROLES)
        if unknown:
            raise UsageError(f"--staff: unknown level {sorted(unknown)[0]!r}")
        if any(n < 0 for n in full.values()) or not sum(full.values()):
            raise UsageError("--staff: counts must be 0 or more, at least one of them above 0")
        self.update_profile(staff=json.dumps(full))

    def set_head_office(self, label: str) -> Subject:
        """Mark the site ``label`` as the head office (added as an active site if it is new)."""
        label = label.strip()
        if not label:
            raise UsageError("--head-office needs a site name")
        found = self.store.subjects_named(label, "site")
        site = found[0] if found else self.add_subject("site", label)
        if self.profile.get("head_office") != site.id:
            self.update_profile(head_office=site.id)
        return site

    # -- subjects --------------------------------------------------------------------------

    def subjects(self, kind: str | None = None) -> list[Subject]:
        return self.store.subjects(kind)

    def find_subject(self, ref: str, kind: str | None = None) -> Subject:
        """A subject by its id or its label (labels are unique per kind)."""
        matches = self.store.subjects_named(ref, kind)
        if not matches:
            what = kind or "subject"
            raise AnswerRefused(f"unknown {what} {ref!r} in {self.path}")
        if len(matches) > 1:
            raise AnswerRefused(f"{ref!r} names several subjects; use the subject's id")
        return matches[0]

    def add_subject(
        self,
        kind: str,
        label: str,
        role: str = "",
        site: str = "",
        fields: dict[str, Any] | None = None,
        questionnaire: bool = False,
    ) -> Subject:
        if kind not in SUBJECT_KINDS:
            raise UsageError(f"unknown kind {kind!r} (expected one of: {', '.join(SUBJECT_KINDS)})")
        label = label.strip()
        if not label:
            raise AnswerRefused("a subject needs a non-empty --label")
        if kind == "interviewee":
            if not role:
                raise AnswerRefused(f"interviewee {label!r} needs a --role ({', '.join(ROLES)})")
            role = normalise_role(role)
        elif role:
            raise AnswerRefused(f"--role is only for interviewees, not a {kind}")
        site_id = self.find_subject(site, "site").id if site else ""
        if kind == "incident":
            fields = clean_fields(fields or {})
        elif kind == "interviewee":
            fields = clean_record(fields or {})  # date, position, shift
        elif fields:
            raise AnswerRefused(f"a {kind} has no record fields")
        if questionnaire:
            if kind != "interviewee" or role != "worker":
                raise AnswerRefused(
                    f"--questionnaire is for workers only: {label!r} is "
                    f"{'a ' + role.replace('_', ' ') if role else 'a ' + kind}; managers and "
                    f"supervisors are interviewed in person"
                )
            fields = {**(fields or {}), QUESTIONNAIRE: True}
        subject = Subject(
            id=str(uuid.uuid4()),
            kind=kind,
            label=label,
            role=role,
            site_id=site_id,
            fields=dict(fields or {}),
        )
        return self.store.add_subject(subject)

    def update_subject(self, subject_id: str, **changes: Any) -> Subject:
        """Change a subject's label, role, site or record fields (an incident's record, an
        interview's date, position and shift)."""
        current = self.find_subject(subject_id)
        if "role" in changes:
            if current.kind != "interviewee":
                raise AnswerRefused(f"--role is only for interviewees, not a {current.kind}")
            changes["role"] = normalise_role(changes["role"])
        if "fields" in changes:
            if current.kind == "incident":
                changes["fields"] = clean_fields({**current.fields, **changes["fields"]})
            elif current.kind == "interviewee":
                kept = {k: v for k, v in current.fields.items() if k == QUESTIONNAIRE}
                record = {k: v for k, v in current.fields.items() if k != QUESTIONNAIRE}
                changes["fields"] = {**clean_record({**record, **changes["fields"]}), **kept}
            else:
                raise AnswerRefused(f"a {current.kind} has no record fields")
        return self.store.update_subject(current.id, changes)

    def incident_summary(self) -> IncidentSummary:
        return summarise(s.fields for s in self.subjects("incident"))

    # -- answers ---------------------------------------------------------------------------

    def question(self, question_id: str) -> Question:
        if self.protocol.has_criterion(question_id):
            parts = ", ".join(q.id for q in self.protocol.parts(question_id))
            raise AnswerRefused(
                f"{question_id} is a criterion of protocol {self.protocol.id}; answer its "
                f"parts: {parts}"
            )
        if not self.protocol.has_question(question_id):
            raise AnswerRefused(f"unknown question {question_id!r} in protocol {self.protocol.id}")
        return self.protocol.question(question_id)

    def parse_value(self, question: Question, raw: str) -> str:
        """Normalise an answer (``yes|partial|no|na`` or points) or refuse it, naming why."""
        text = raw.strip().lower()
        text = ANSWER_ALIASES.get(text, text)
        if text == "partial" and not question.accepts_partial:
            raise AnswerRefused(
                f"question {question.id} takes yes, no or na (a positive or negative "
                f"indicator), not partial"
            )
        if text in CHOICE_WORDS:
            return text
        if text == NA:
            if not question.na:
                raise AnswerRefused(f"question {question.id} may not be marked N/A")
            return text
        try:
            points = int(text)
        except ValueError:
            raise AnswerRefused(
                f"answer {raw!r} for question {question.id}: expected yes, "
                f"partial, no, na or a number of points"
            ) from None
        if question.criterion:
            raise AnswerRefused(
                f"question {question.id} is a part of criterion {question.criterion}; it takes "
                f"{self._choices(question)}, not points (the criterion holds the points)"
            )
        if not question.accepts_points:
            raise AnswerRefused(
                f"question {question.id} takes {self._choices(question)}, not points"
            )
        if not 0 <= points <= question.points:
            raise AnswerRefused(
                f"{raw!r} is out of range for question {question.id} (0..{question.points} points)"
            )
        return str(points)

    @staticmethod
    def _choices(question: Question) -> str:
        return "yes, no or na" if question.yes_no else "yes, partial, no or na"

    def cascade_block(self, question: Question) -> str:
        """Why answering ``question`` is refused by a cascade ("" when it is not): its scored
        item's parent is answered with 0 points, or is N/A."""
        item = question.criterion or question.id
        parent = self.protocol.depends_on(item)
        if not parent:
            return ""
        given = [
            Given(*row)
            for row in self.store.answer_values_for(item_questions(self.protocol, parent))
        ]
        result = score_item(self.protocol, given, parent)
        what = (
            f"question {question.id} (part of criterion {item})"
            if question.criterion
            else f"question {item}"
        )
        if result.status == "scored" and result.awarded == 0:
            return (
                f"{what} depends on {parent}, which scored 0 of {result.possible} points: "
                f"it is scored by cascade; change {parent} first"
            )
        if result.status == "na":
            return f"{what} depends on {parent}, which is N/A: it is N/A by cascade"
        return ""

    def resolve_subject(self, question: Question, subject: str | None) -> str:
        """The subject id an answer to ``question`` is for ("" for subject: none)."""
        if not question.per_subject:
            if subject:
                raise AnswerRefused(
                    f"question {question.id} is answered once for the audit; it takes no --subject"
                )
            return ""
        if not subject:
            raise AnswerRefused(
                f"question {question.id} is answered per {question.subject}; give --subject"
            )
        found = self.find_subject(subject)
        if found.kind != question.subject:
            raise AnswerRefused(
                f"subject {found.label!r} is a {found.kind}; question "
                f"{question.id} is answered per {question.subject}"
            )
        if question.roles and found.role not in question.roles:
            raise AnswerRefused(
                f"interviewee {found.label!r} is a {found.role}; question "
                f"{question.id} asks {', '.join(question.roles)}"
            )
        return found.id

    def answer(
        self, question_id: str, value: str, subject: str | None = None, note: str | None = None
    ) -> AnswerRow:
        """Validate and durably record one answer (and its note, when given)."""
        question = self.question(question_id)
        normalised = self.parse_value(question, value)
        subject_id = self.resolve_subject(question, subject)
        blocked = self.cascade_block(question)
        if blocked:
            raise AnswerRefused(blocked)
        return self.store.set_answer(question.id, subject_id, normalised, note)

    def set_note(self, question_id: str, note: str, subject: str | None = None) -> AnswerRow:
        question = self.question(question_id)
        subject_id = self.resolve_subject(question, subject)
        return self.store.set_answer(question.id, subject_id, None, note)

    def clear_answer(self, question_id: str, subject: str | None = None) -> None:
        question = self.question(question_id)
        self.store.clear_answer(question.id, self.resolve_subject(question, subject))

    def answers(self) -> list[AnswerRow]:
        return self.store.answers()

    def data_version(self) -> int:
        """A number that changes when another process writes to the file (see Store)."""
        return self.store.data_version()

    def reload_profile(self) -> dict[str, Any]:
        """The profile as the file holds it now (after another process changed it)."""
        self.profile = self.store.audit()
        return self.profile

    def answer_row(self, question_id: str, subject_id: str = "") -> AnswerRow | None:
        """One stored answer (value and note), or None."""
        return self.store.answer_row(question_id, subject_id)

    def restore_answer(
        self, question_id: str, subject_id: str, previous: tuple[str | None, str] | None
    ) -> AnswerRow | None:
        """Undo a change to one answer: its value and note as they were (``previous``), or no
        answer when None. A new journal entry, ``answer.undo``."""
        return self.store.restore_answer(question_id, subject_id, previous)

    def evidence(
        self, question_id: str | None = None, subject_id: str | None = None
    ) -> list[Evidence]:
        """Files attached to answers, optionally to one question (and subject)."""
        from auditkit.store.evidence import evidence

        return evidence(self.store, question_id, subject_id)

    def evidence_by_answer(self) -> dict[tuple[str, str], list[Evidence]]:
        """Attached files grouped by answer (question id, subject id)."""
        from auditkit.store.evidence import evidence_by_answer

        return evidence_by_answer(self.store)

    def evidence_bytes(self, sha256: str) -> bytes:
        """The stored bytes of one attached file, by its SHA-256 (to open or copy it out)."""
        from auditkit.store.evidence import read_blob

        return read_blob(self.store, sha256)

    def seal(self) -> str | None:
        """The seal of a finalized audit (the SHA-256 of the journal entry that finalized it,
        which ``verify --seal`` checks a copy against), or None while it is not finalized."""
        from auditkit.team.seal import seal_of

        sealed = seal_of(self.store)
        return sealed.finalized if sealed else None

    def meta(self, key: str) -> str | None:
        """Small state kept in the file (the TUI's last question, who audits on this laptop)."""
        return self.store.meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self.store.set_meta(key, value)

    def given(self) -> list[Given]:
        known = self.protocol.has_question
        return [Given(*row) for row in self.store.answer_values() if known(row[0])]

    def score(self) -> Scores:
        return self.score_of(self.given())

    def score_of(self, given: list[Given]) -> Scores:
        """The scores of ``given``; a stored value the protocol forbids is refused, naming the
        file and the question."""
        try:
            check_values(self.protocol, given)  # a value the protocol forbids is never scored
        except AnswerRefused as exc:
            raise AnswerRefused(f"{self.path}: {exc}") from None
        return score(self.protocol, given, self.purpose)


# No employer has more; a number past SQLite's 64-bit integers would fail deep in the store.
MAX_HEADCOUNT = 10_000_000


def parse_staff(values: Sequence[str]) -> dict[str, int]:
    """Staff by level from ``["senior_manager=1,manager=2", "worker=30"]``; a level not named
    is 0. Refuses an unknown level, a count that is not a whole number >= 0, a level named twice
    and a staff of no one."""
    staff: dict[str, int] = {}
    for part in (p.strip() for text in values for p in text.split(",")):
        if not part:
            continue
        level, sep, count = part.partition("=")
        if not sep:
            raise UsageError(f"--staff {part!r}: expected LEVEL=N ({', '.join(ROLES)})")
        text = level.strip().lower()
        role = ROLE_ALIASES.get(text, text)
        if role not in ROLES:
            raise UsageError(
                f"--staff: unknown level {level.strip()!r} (expected one of: {', '.join(ROLES)})"
            )
        try:
            number = int(count)
        except ValueError:
            raise UsageError(f"--staff {part!r}: {count.strip()!r} is not a whole number") from None
        if number < 0:
            raise UsageError(f"--staff {part!r}: a count must be 0 or more")
        if role in staff:
            raise UsageError(f"--staff names {role} twice")
        staff[role] = number
    full = {role: staff.get(role, 0) for role in ROLES}
    if not sum(full.values()):
        raise UsageError("--staff: no one on staff; give at least one level with N >= 1")
    return full


def parse_headcounts(values: Sequence[str]) -> tuple[int, ...]:
    """Monthly headcounts from ``["8", "9,12"]`` or ``["8 9 12"]``: commas or spaces between."""
    counts: list[int] = []
    for value in (part for text in values for part in text.replace(",", " ").split()):
        try:
            number = int(value)
        except ValueError:
            raise UsageError(f"headcount {value!r} is not a whole number") from None
        if number < 0:
            raise UsageError(f"headcount {value!r} must be 0 or more")
        if number > MAX_HEADCOUNT:
            raise UsageError(f"headcount {value!r} is more than {MAX_HEADCOUNT:,} workers")
        counts.append(number)
    return tuple(counts)


__all__ = ["MAX_HEADCOUNT", "Audit", "AuditkitError", "Profile", "parse_headcounts", "parse_staff"]
