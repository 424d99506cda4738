"""Attaching photos, PDFs and scans to answers: which answer, which files, then one change.

Every path is hashed before anything is written, so one missing file means nothing is stored;
the store keeps each file once under its SHA-256 (see :mod:`auditkit.store.evidence`).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.store.changes import AddEvidence, RemoveEvidence
from auditkit.store.records import CHUNK, Evidence, FileToAttach

# The largest file one attachment takes (README, "Limits"). A file is streamed into the audit
# in chunks, never held whole in memory; the cap keeps an audit file copyable and exportable.
EVIDENCE_MAX_BYTES = 100 * 1024 * 1024


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
    files = tuple(read_file(Path(path)) for path in paths)
    return audit.store.apply(AddEvidence(question.id, subject_id, files, caption))


def remove_evidence(audit: Audit, link_id: str) -> None:
    """Detach one file from one answer; the file stays stored while another answer uses it."""
    audit.store.apply(RemoveEvidence(link_id))


def read_file(path: Path) -> FileToAttach:
    """Hash one file in chunks, or refuse it, named, if it is not a readable regular file of
    at most :data:`EVIDENCE_MAX_BYTES` (the store copies it in chunks too)."""
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
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileToAttach(path.name, path, size, digest.hexdigest(), mime)
