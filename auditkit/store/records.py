"""The rows an audit file holds, as the engine passes them around (no SQL here)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

ANSWER_IDS = uuid.UUID("6f1c3a52-8d0e-4b7a-9c2f-5a1e7d3b9f40")


def answer_id_for(question_id: str, subject_id: str) -> str:
    """The same answer slot gets the same id on every laptop, so merged files agree on it."""
    return str(uuid.uuid5(ANSWER_IDS, f"{question_id}|{subject_id}"))


def now() -> str:
    """UTC timestamp with microseconds, sortable as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str
    label: str
    role: str = ""
    site_id: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    author: str = ""
    created_at: str = ""


class AnswerRow(NamedTuple):
    """One answer as stored. A named tuple rather than a dataclass: reports and the TUI read
    every answer of an audit (45,500 in the benchmark), and a tuple is built twice as fast."""

    id: str
    question_id: str
    subject_id: str
    value: str | None
    note: str
    author: str
    updated_at: str


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


# Files are hashed and stored in chunks of this size, never held whole in memory.
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileToAttach:
    """One file hashed, ready to be stored: its name, where it is, its size and SHA-256.

    The store copies it from ``path`` chunk by chunk and refuses it if the bytes no longer
    match ``size`` and ``sha256`` (the file changed between hashing and storing)."""

    filename: str
    path: Path
    size: int
    sha256: str
    mime: str


def file_size(size: int) -> str:
    """``850 B``, ``10.0 KB``, ``4.2 MB``: a stored file's size as the CLI and the report
    show it."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
