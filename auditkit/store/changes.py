"""Every change an audit file accepts, as a typed value: the store's one write API.

A change is a frozen dataclass; ``Store.apply(change)`` runs its :meth:`Change.write` in one
``BEGIN IMMEDIATE`` … ``COMMIT`` transaction that also appends its journal entry, and returns
what the change produced (the stored answer, the new subject, …). The SQL of every write lives
here, in the store layer, and nowhere else.

To add a write: a dataclass here with the change's inputs, whose ``write`` runs the SQL and
calls ``store._journal(action, entity, key, before, after)`` once per row it changes; then
``store.apply(YourChange(...))`` from the engine (or a thin ``Store`` method that does that).
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from auditkit.errors import AuditkitError
from auditkit.store import journal
from auditkit.store.migrations import APP_ID
from auditkit.store.questions import SUBJECT_IN, SUBJECT_OUT, fill_questions
from auditkit.store.records import (
    CHUNK,
    AnswerRow,
    Evidence,
    FileToAttach,
    Subject,
    answer_id_for,
    now,
)

if TYPE_CHECKING:
    from auditkit.store.audit_file import Store

R = TypeVar("R", covariant=True)

RECOMMENDATION_FIELDS = ("course_id", "status", "text")
EVIDENCE_FIELDS = ("question_id", "subject_id", "sha256", "filename", "caption")


class Change(ABC, Generic[R]):
    """One durable change; run it with ``Store.apply``, never directly."""

    @abstractmethod
    def write(self, store: Store) -> R:
        """Run the SQL and journal it; called inside the store's transaction."""


@dataclass(frozen=True)
class CreateAudit(Change[None]):
    """The first rows of a new file: auditkit's mark, the protocol copy and the profile."""

    audit: Mapping[str, Any]
    protocol_files: Mapping[str, str]

    def write(self, store: Store) -> None:
        store.conn.execute("INSERT INTO meta (key, value) VALUES ('app', ?)", [APP_ID])
        store.conn.executemany(
            "INSERT INTO protocol_files (name, text, sha256) VALUES (?, ?, ?)",
            [
                (name, text, hashlib.sha256(text.encode()).hexdigest())
                for name, text in self.protocol_files.items()
            ],
        )
        store.db.table("audit").insert(dict(self.audit))
        fill_questions(store.conn)
        store._journal("audit.create", "audit", self.audit["id"], None, dict(self.audit))


@dataclass(frozen=True)
class UpdateAudit(Change[None]):
    """Change columns of the audit's profile (values already in stored form)."""

    changes: Mapping[str, Any]
    action: str = "audit.update"

    def write(self, store: Store) -> None:
        before = store.audit()
        changes = dict(self.changes)
        store.db.table("audit").update(before["id"], changes)
        store._journal(
            self.action, "audit", before["id"], {k: before.get(k) for k in changes}, changes
        )


@dataclass(frozen=True)
class Finalize(Change[str]):
    """Lock the audit; returns when. Later changes need a reason (``Store.amending``).

    ``deviation`` (JSON: why the sample falls short, and the shortfalls it accepts) is recorded
    with the lock, in the same journal entry. ``dated`` (a journal-format time) is the
    finalization date the caller states, e.g. the date on a report signed before the audit was
    entered; the journal entry keeps the real time of the write, so both stay on record.
    """

    deviation: str | None = None
    dated: str | None = None

    def write(self, store: Store) -> str:
        audit_id = store.audit()["id"]
        stamp = store._stamp()
        after: dict[str, str] = {"finalized_at": self.dated or stamp}
        if self.deviation is not None:
            after["deviation"] = self.deviation
        columns = ", ".join(f"{key} = ?" for key in after)
        store.conn.execute(f"UPDATE audit SET {columns}", list(after.values()))
        store._journal(
            "audit.finalize",
            "audit",
            audit_id,
            {key: None for key in after},
            after,
            at=stamp,
        )
        return after["finalized_at"]


@dataclass(frozen=True)
class AddSubject(Change[Subject]):
    """A new site, interviewee or incident record (its label unique within its kind)."""

    subject: Subject

    def write(self, store: Store) -> Subject:
        subject = self.subject
        row = {
            "id": subject.id,
            "kind": subject.kind,
            "label": subject.label,
            "role": subject.role,
            "site_id": subject.site_id,
            "fields": journal.dump(subject.fields) or "{}",
            "author": store.author,
            "created_at": now(),
        }
        try:
            store.db.table("subjects").insert(row)
        except sqlite3.IntegrityError:
            raise AuditkitError(
                f"{store.path}: a {subject.kind} labelled {subject.label!r} already exists"
            ) from None
        store._journal("subject.add", "subjects", subject.id, None, row)
        return store._subject(row)


@dataclass(frozen=True)
class UpdateSubject(Change[Subject]):
    """Change a subject's label, role, site or record fields."""

    subject_id: str
    changes: Mapping[str, Any]

    def write(self, store: Store) -> Subject:
        before = store._subject_row(self.subject_id)
        changes = dict(self.changes)
        if "fields" in changes:
            changes["fields"] = journal.dump(changes["fields"]) or "{}"
        store.db.table("subjects").update(self.subject_id, changes)
        store._journal(
            "subject.update",
            "subjects",
            self.subject_id,
            {k: before[k] for k in changes},
            changes,
        )
        return store._subject({**before, **changes})


@dataclass(frozen=True)
class SetAnswer(Change[AnswerRow]):
    """Record (or replace) one answer. ``value=None`` keeps the value, ``note=None`` the note."""

    question_id: str
    subject_id: str
    value: str | None
    note: str | None = None

    def write(self, store: Store) -> AnswerRow:
        stamp = store._stamp()
        existing = store.conn.execute(
            f"SELECT id, value, note FROM answers WHERE question_id = ? AND {SUBJECT_OUT} = ?",
            (self.question_id, self.subject_id),
        ).fetchone()
        if existing:
            answer_id, old_value, old_note = existing
            value = old_value if self.value is None else self.value
            note = old_note if self.note is None else self.note
            store.conn.execute(
                "UPDATE answers SET value = ?, note = ?, author = ?, updated_at = ? WHERE id = ?",
                (value, note, store.author, stamp, answer_id),
            )
            before: dict[str, Any] | None = {"value": old_value, "note": old_note}
        else:
            answer_id = answer_id_for(self.question_id, self.subject_id)
            value, note = self.value, self.note or ""
            store.conn.execute(
                "INSERT INTO answers (id, question_id, subject_id, value, note, author, "
                f"updated_at) VALUES (?, ?, {SUBJECT_IN}, ?, ?, ?, ?)",
                (answer_id, self.question_id, self.subject_id, value, note, store.author, stamp),
            )
            before = None
        store._journal(
            "answer.set",
            "answers",
            f"{self.question_id}|{self.subject_id}",
            before,
            {"value": value, "note": note},
            at=stamp,
        )
        return AnswerRow(
            answer_id, self.question_id, self.subject_id, value, note, store.author, stamp
        )


@dataclass(frozen=True)
class ClearAnswer(Change[None]):
    """Remove one answer. ``even_if_absent`` journals the clear anyway: a decision (picking a
    conflict's cleared side) must replace every head even when no row is left to delete."""

    question_id: str
    subject_id: str
    even_if_absent: bool = False

    def write(self, store: Store) -> None:
        key = f"{self.question_id}|{self.subject_id}"
        existing = store.conn.execute(
            f"SELECT value, note FROM answers WHERE question_id = ? AND {SUBJECT_OUT} = ?",
            (self.question_id, self.subject_id),
        ).fetchone()
        if not existing:
            if self.even_if_absent:
                store._journal("answer.clear", "answers", key, None, None)
            return
        store.conn.execute(
            f"DELETE FROM answers WHERE question_id = ? AND {SUBJECT_OUT} = ?",
            (self.question_id, self.subject_id),
        )
        store._journal(
            "answer.clear", "answers", key, {"value": existing[0], "note": existing[1]}, None
        )


@dataclass(frozen=True)
class SetMeta(Change[None]):
    """Small UI state (e.g. the last question shown); journaled like everything else."""

    key: str
    value: str

    def write(self, store: Store) -> None:
        old = store.conn.execute("SELECT value FROM meta WHERE key = ?", [self.key]).fetchone()
        store.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [self.key, self.value]
        )
        store._journal("meta.set", "meta", self.key, old[0] if old else None, self.value)


@dataclass(frozen=True)
class SetRecommendation(Change[None]):
    """Record (or replace) one training decision or free-text recommendation."""

    row_id: str
    course_id: str
    status: str
    text: str

    def write(self, store: Store) -> None:
        stamp = store._stamp()
        existing = store.conn.execute(
            "SELECT course_id, status, text FROM recommendations WHERE id = ?", [self.row_id]
        ).fetchone()
        after = {"course_id": self.course_id, "status": self.status, "text": self.text}
        if existing:
            store.conn.execute(
                "UPDATE recommendations SET status = ?, text = ?, author = ?, "
                "updated_at = ? WHERE id = ?",
                (self.status, self.text, store.author, stamp, self.row_id),
            )
            before = dict(zip(RECOMMENDATION_FIELDS, existing, strict=True))
        else:
            store.conn.execute(
                "INSERT INTO recommendations (id, course_id, status, text, author, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.row_id, self.course_id, self.status, self.text, store.author, stamp, stamp),
            )
            before = None
        store._journal(
            "recommendation.set", "recommendations", self.row_id, before, after, at=stamp
        )


@dataclass(frozen=True)
class RemoveRecommendation(Change[None]):
    """Delete one decision or free-text recommendation."""

    row_id: str

    def write(self, store: Store) -> None:
        existing = store.conn.execute(
            "SELECT course_id, status, text FROM recommendations WHERE id = ?", [self.row_id]
        ).fetchone()
        if not existing:
            raise AuditkitError(f"{store.path}: no recommendation with id {self.row_id!r}")
        store.conn.execute("DELETE FROM recommendations WHERE id = ?", [self.row_id])
        store._journal(
            "recommendation.remove",
            "recommendations",
            self.row_id,
            dict(zip(RECOMMENDATION_FIELDS, existing, strict=True)),
            None,
        )


@dataclass(frozen=True)
class AddEvidence(Change[list[Evidence]]):
    """Attach files to one answer, each stored once under its SHA-256; a file already attached
    to that answer is skipped. One journal entry per new link, all in one transaction."""

    question_id: str
    subject_id: str
    files: tuple[FileToAttach, ...] = field(default=())
    caption: str = ""

    def write(self, store: Store) -> list[Evidence]:
        attached = {
            row[0]
            for row in store.conn.execute(
                "SELECT sha256 FROM evidence WHERE question_id = ? AND subject_id = ?",
                [self.question_id, self.subject_id],
            )
        }
        added: list[Evidence] = []
        for item in self.files:
            if item.sha256 in attached:
                continue
            attached.add(item.sha256)
            _store_blob(store, item)
            link = Evidence(
                str(uuid.uuid4()),
                self.question_id,
                self.subject_id,
                item.sha256,
                item.filename,
                self.caption.strip(),
                item.size,
                item.mime,
                store.author,
                store._stamp(),
            )
            store.conn.execute(
                "INSERT INTO evidence (id, question_id, subject_id, sha256, filename, caption, "
                "author, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    link.id,
                    link.question_id,
                    link.subject_id,
                    link.sha256,
                    link.filename,
                    link.caption,
                    link.author,
                    link.added_at,
                ],
            )
            store._journal(
                "evidence.add",
                "evidence",
                link.id,
                None,
                {
                    "question_id": link.question_id,
                    "subject_id": link.subject_id,
                    "sha256": link.sha256,
                    "filename": link.filename,
                    "caption": link.caption,
                    "size": link.size,
                },
                at=link.added_at,
            )
            added.append(link)
        return added


def _store_blob(store: Store, item: FileToAttach) -> None:
    """Copy the file into ``evidence_blobs`` chunk by chunk (inside the change's transaction);
    a file that changed since it was hashed is refused, and the transaction with it."""
    cursor = store.conn.execute(
        "INSERT OR IGNORE INTO evidence_blobs (sha256, size, mime, data) "
        "VALUES (?, ?, ?, zeroblob(?))",
        [item.sha256, item.size, item.mime, item.size],
    )
    rowid = cursor.lastrowid
    if cursor.rowcount != 1 or item.size == 0 or rowid is None:
        return  # already stored under this SHA-256 (or empty: zeroblob(0) is the content)
    digest = hashlib.sha256()
    written = 0
    try:
        with (
            item.path.open("rb") as handle,
            store.conn.blobopen("evidence_blobs", "data", rowid) as blob,
        ):
            while written < item.size and (chunk := handle.read(min(CHUNK, item.size - written))):
                blob.write(chunk)
                digest.update(chunk)
                written += len(chunk)
    except OSError as exc:
        raise AuditkitError(
            f"{item.path}: cannot read ({exc.strerror}); nothing was attached"
        ) from None
    if written != item.size or digest.hexdigest() != item.sha256:
        raise AuditkitError(f"{item.path}: changed while it was attached; nothing was attached")


@dataclass(frozen=True)
class RemoveEvidence(Change[None]):
    """Detach one file from one answer; the file stays stored while another answer uses it."""

    link_id: str

    def write(self, store: Store) -> None:
        row = store.conn.execute(
            "SELECT question_id, subject_id, sha256, filename, caption FROM evidence WHERE id = ?",
            [self.link_id],
        ).fetchone()
        if not row:
            raise AuditkitError(f"{store.path}: no evidence with id {self.link_id!r}")
        store.conn.execute("DELETE FROM evidence WHERE id = ?", [self.link_id])
        still_used = store.conn.execute(
            "SELECT 1 FROM evidence WHERE sha256 = ?", [row[2]]
        ).fetchone()
        if not still_used:
            store.conn.execute("DELETE FROM evidence_blobs WHERE sha256 = ?", [row[2]])
        store._journal(
            "evidence.remove",
            "evidence",
            self.link_id,
            dict(zip(EVIDENCE_FIELDS, row, strict=True)),
            None,
        )
