"""What backs the report: the evidence files and the amendments made after finalizing.

Read through the engine's APIs (:mod:`auditkit.store.evidence`,
:mod:`auditkit.rules.finalize`) and turned
into display-ready lines, subjects named as the rest of the report names them (interviewees by
code), so every format says the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from auditkit.audit import Audit
from auditkit.rules.finalize import amendments
from auditkit.store.evidence import Evidence, evidence_by_answer, file_size, stored_files

SHORT_SHA = 12  # hex digits; the bundle names each file evidence/<these digits>-<name>


class EvidenceLine(NamedTuple):
    """One file attached to one answer, as listed under its question."""

    filename: str
    caption: str
    subject: str  # "" for a once-per-audit question
    short_sha: str
    size: str
    sha256: str = ""
    mime: str = ""


# Image types every report format shows inline (Word embeds them, HTML as data: URIs), known by
# their first bytes rather than the stored MIME type, which comes from the file's name.
PHOTO_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
)


def photo_type(data: bytes) -> str | None:
    """``image/jpeg``, ``image/png`` or ``image/gif`` when ``data`` is one, else None."""
    return next((mime for magic, mime in PHOTO_MAGIC if data.startswith(magic)), None)


def is_photo(item: EvidenceLine) -> bool:
    """Whether ``item`` was stored as a photo a report can show (checked again on its bytes)."""
    return item.mime in {"image/jpeg", "image/png", "image/gif"}


@dataclass(frozen=True)
class EvidenceFile:
    """One stored file in the evidence appendix: what it is and every answer it supports."""

    filename: str
    size: str
    mime: str
    sha256: str
    supports: tuple[str, ...]  # "8.O1 (Yard)", "1.D1"


@dataclass(frozen=True)
class AmendmentLine:
    """One change made after finalizing: when, who, what, why."""

    at: str
    author: str
    change: str
    reason: str


def when(stamp: str) -> str:
    """A journal time (``2026-03-02T14:05:33.123456Z``) as people read it: to the minute."""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return stamp


def evidence_lines(audit: Audit, names: Mapping[str, str]) -> dict[str, tuple[EvidenceLine, ...]]:
    """Question id -> its evidence, the subjects in report order, then by time attached."""
    order = {subject_id: i for i, subject_id in enumerate(names)}
    per_question: dict[str, list[Evidence]] = {}
    for (question_id, _), items in evidence_by_answer(audit.store).items():
        per_question.setdefault(question_id, []).extend(items)
    return {
        question_id: tuple(
            EvidenceLine(
                item.filename or "",
                item.caption or "",
                names.get(item.subject_id, item.subject_id),
                item.sha256[:SHORT_SHA],
                file_size(item.size),
                item.sha256,
                item.mime or "",
            )
            for item in sorted(items, key=lambda e: (order.get(e.subject_id, -1), e.added_at))
        )
        for question_id, items in per_question.items()
    }


def evidence_files(audit: Audit, names: Mapping[str, str]) -> tuple[EvidenceFile, ...]:
    """Every stored file with the answers it supports and its full SHA-256."""
    return tuple(
        EvidenceFile(
            item.filename or "",
            file_size(item.size),
            item.mime or "",
            item.sha256,
            tuple(
                f"{link.question_id} ({names.get(link.subject_id, link.subject_id)})"
                if link.subject_id
                else link.question_id
                for link in item.links
            ),
        )
        for item in stored_files(audit.store)
    )


def amendment_lines(audit: Audit, names: Mapping[str, str]) -> tuple[AmendmentLine, ...]:
    """The changes made since finalizing, oldest first, interviewees by code."""
    return tuple(
        AmendmentLine(when(a.at), a.author or "(unknown)", a.change, a.reason)
        for a in amendments(audit, names)
    )
