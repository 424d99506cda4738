"""Photos, PDFs and scans attached to answers, as stored inside the audit file: the reads.

A file is stored once, under its SHA-256, however many answers it supports; each attachment is
a link (question, subject, file, caption) journaled like any answer. Attaching and detaching
are the changes ``AddEvidence`` and ``RemoveEvidence`` (:mod:`auditkit.store.changes`), made
through :mod:`auditkit.rules.attachments`.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.errors import AuditkitError
from auditkit.store.audit_file import Store
from auditkit.store.records import Evidence, file_size


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


def blob_row(store: Store, sha256: str) -> tuple[int, str, bytes] | None:
    """(size, mime, bytes) of one stored file, or None (also in a file from before evidence)."""
    if not _has_evidence(store):
        return None
    row = store.conn.execute(
        "SELECT size, mime, data FROM evidence_blobs WHERE sha256 = ?", [sha256]
    ).fetchone()
    return (int(row[0]), str(row[1]), bytes(row[2])) if row else None


def _has_evidence(store: Store) -> bool:
    return bool(
        store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'evidence'"
        ).fetchone()
    )


__all__ = [
    "Evidence",
    "StoredFile",
    "evidence",
    "evidence_by_answer",
    "file_size",
    "read_blob",
    "stored_files",
]
