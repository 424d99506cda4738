"""Photos, PDFs and scans attached to answers, stored inside the audit file.

A file is stored once, under its SHA-256, however many answers it supports; each attachment is
a link (question, subject, file, caption) journaled like any answer. Every path is read before
anything is written, so one missing file means nothing is stored.
"""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.store.audit_file import Store


@dataclass(frozen=True)
class Evidence:
    """One file attached to one answer."""

    id: str
    question_id: str
    subject_id: str
    sha256: str
    filename: str
    caption: str
    size: int
    mime: str
    author: str
    added_at: str


# The largest file one attachment takes (README, "Limits"). A file is streamed into the audit
# in chunks, never held whole in memory; the cap keeps an audit file copyable and exportable.
EVIDENCE_MAX_BYTES = 100 * 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class _Read:
    path: Path
    size: int
    sha256: str


def add_evidence(
    audit: Audit,
    question_id: str,
    paths: Sequence[str | Path],
    subject: str | None = None,
    caption: str = "",
) -> list[Evidence]:
    """Attach each of ``paths`` to the answer of ``question_id`` (for ``subject``).

    Returns the new links; a file already attached to that answer is not attached twice.
    Refuses, storing nothing, an unknown question or subject and any path that cannot be read.
    """
    question = audit.question(question_id)
    subject_id = audit.resolve_subject(question, subject)
    if not paths:
        raise AuditkitError("give at least one file to attach")
    files = [_read(Path(path)) for path in paths]
    store = audit.store
    added: list[Evidence] = []
    with store.write():
        attached = {
            row[0]
            for row in store.conn.execute(
                "SELECT sha256 FROM evidence WHERE question_id = ? AND subject_id = ?",
                [question.id, subject_id],
            )
        }
        for item in files:
            if item.sha256 in attached:
                continue
            attached.add(item.sha256)
            mime = mimetypes.guess_type(item.path.name)[0] or "application/octet-stream"
            _store_blob(store, item, mime)
            link = Evidence(
                str(uuid.uuid4()),
                question.id,
                subject_id,
                item.sha256,
                item.path.name,
                caption.strip(),
                item.size,
                mime,
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


def remove_evidence(audit: Audit, link_id: str) -> None:
    """Detach one file from one answer; the file stays stored while another answer uses it."""
    store = audit.store
    with store.write():
        row = store.conn.execute(
            "SELECT question_id, subject_id, sha256, filename, caption FROM evidence WHERE id = ?",
            [link_id],
        ).fetchone()
        if not row:
            raise AuditkitError(f"{store.path}: no evidence with id {link_id!r}")
        store.conn.execute("DELETE FROM evidence WHERE id = ?", [link_id])
        still_used = store.conn.execute(
            "SELECT 1 FROM evidence WHERE sha256 = ?", [row[2]]
        ).fetchone()
        if not still_used:
            store.conn.execute("DELETE FROM evidence_blobs WHERE sha256 = ?", [row[2]])
        store._journal(
            "evidence.remove",
            "evidence",
            link_id,
            dict(
                zip(
                    ("question_id", "subject_id", "sha256", "filename", "caption"), row, strict=True
                )
            ),
            None,
        )


def evidence(
    store: Store, question_id: str | None = None, subject_id: str | None = None
) -> list[Evidence]:
    """Attached files, optionally of one question (and subject), by question, subject, time."""
    if not _has_evidence(store):
        return []
    sql = (
        "SELECT e.id, e.question_id, e.subject_id, e.sha256, e.filename, e.caption, "
        "b.size, b.mime, e.author, e.added_at FROM evidence e "
        "JOIN evidence_blobs b ON b.sha256 = e.sha256"
    )
    where, params = [], []
    if question_id is not None:
        where.append("e.question_id = ?")
        params.append(question_id)
    if subject_id is not None:
        where.append("e.subject_id = ?")
        params.append(subject_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = store.conn.execute(sql + " ORDER BY e.question_id, e.subject_id, e.added_at", params)
    return [Evidence(*row) for row in rows]


def evidence_by_answer(store: Store) -> dict[tuple[str, str], list[Evidence]]:
    """Attached files grouped by answer (question id, subject id), for reports."""
    grouped: dict[tuple[str, str], list[Evidence]] = {}
    for item in evidence(store):
        grouped.setdefault((item.question_id, item.subject_id), []).append(item)
    return grouped


@dataclass(frozen=True)
class StoredFile:
    """One stored file and every answer it supports (its links, oldest first)."""

    sha256: str
    size: int
    mime: str
    links: tuple[Evidence, ...]

    @property
    def filename(self) -> str:
        """The name it was first attached under."""
        return self.links[0].filename


def stored_files(store: Store) -> list[StoredFile]:
    """Every stored file that supports at least one answer, in the order of first attachment;
    the bytes themselves are read with :func:`read_blob`."""
    links: dict[str, list[Evidence]] = {}
    for item in sorted(evidence(store), key=lambda e: (e.added_at, e.id)):
        links.setdefault(item.sha256, []).append(item)
    return [
        StoredFile(sha, found[0].size, found[0].mime, tuple(found)) for sha, found in links.items()
    ]


def read_blob(store: Store, sha256: str) -> bytes:
    """The stored bytes of one file, by its SHA-256."""
    row = (
        store.conn.execute("SELECT data FROM evidence_blobs WHERE sha256 = ?", [sha256]).fetchone()
        if _has_evidence(store)
        else None
    )
    if not row:
        raise AuditkitError(f"{store.path}: no evidence file {sha256[:12]}…")
    return bytes(row[0])


def file_size(size: int) -> str:
    """``850 B``, ``10.0 KB``, ``4.2 MB``: a stored file's size as the CLI and the report
    show it."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _read(path: Path) -> _Read:
    """Hash one file in chunks (refusing it, named, if it is not a readable regular file of
    at most :data:`EVIDENCE_MAX_BYTES`)."""
    if not path.exists():
        raise AuditkitError(f"{path}: no such file; nothing was attached")
    if not path.is_file():
        raise AuditkitError(f"{path}: not a regular file; nothing was attached")
    size = path.stat().st_size
    if size > EVIDENCE_MAX_BYTES:
        raise AuditkitError(
            f"{path}: {size / 1024 / 1024:,.0f} MB is over the "
            f"{EVIDENCE_MAX_BYTES // 1024 // 1024} MB limit for one evidence file; "
            f"nothing was attached"
        )
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise AuditkitError(f"{path}: cannot read ({exc.strerror}); nothing was attached") from None
    return _Read(path, size, digest.hexdigest())


def _store_blob(store: Store, item: _Read, mime: str) -> None:
    """Copy the file into ``evidence_blobs`` chunk by chunk (inside the caller's transaction);
    a file that changed since it was hashed is refused, and the transaction with it."""
    cursor = store.conn.execute(
        "INSERT OR IGNORE INTO evidence_blobs (sha256, size, mime, data) "
        "VALUES (?, ?, ?, zeroblob(?))",
        [item.sha256, item.size, mime, item.size],
    )
    rowid = cursor.lastrowid
    if cursor.rowcount != 1 or item.size == 0 or rowid is None:
        return  # already stored under this SHA-256 (or empty: zeroblob(0) is the content)
    digest = hashlib.sha256()
    try:
        with (
            item.path.open("rb") as handle,
            store.conn.blobopen("evidence_blobs", "data", rowid) as blob,
        ):
            written = 0
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


def _has_evidence(store: Store) -> bool:
    return bool(
        store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'evidence'"
        ).fetchone()
    )


__all__ = [
    "Evidence",
    "StoredFile",
    "add_evidence",
    "evidence",
    "evidence_by_answer",
    "file_size",
    "read_blob",
    "remove_evidence",
    "stored_files",
]
