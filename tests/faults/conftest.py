"""Helpers for the fault suite: a field audit to abuse, child processes, and the checks that
prove a file came through intact (SQLite integrity, the journal's own verification, and every
answer a writer reported as saved)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.team.verify import verify_file
from tests.conftest import MINI

RECORDER = Path(__file__).with_name("recorder.py")
REPO = Path(__file__).resolve().parents[2]
# One saved answer as the recorder reports it: (question id, subject id) -> answer number.
Slot = tuple[str, str]


def make_field_audit(path: Path) -> Path:
    """The mini protocol with two sites, an interviewee of every role and two incidents."""
    with Audit.create(
        path,
        Profile(
            company="Acme Ltd", protocol=str(MINI), sites=("Yard", "Shop"), auditors=("Pat Lee",)
        ),
    ) as audit:
        for label, role in (
            ("SM-1", "senior_manager"),
            ("M-1", "manager"),
            ("S-1", "supervisor"),
            ("W-1", "worker"),
            ("S-2", "supervisor"),
            ("W-2", "worker"),
        ):
            audit.add_subject("interviewee", label, role=role)
        for label in ("INC-1", "INC-2"):
            audit.add_subject("incident", label, fields={"type": "first_aid"})
    return path


@pytest.fixture
def field_audit(tmp_path: Path) -> Path:
    return make_field_audit(tmp_path / "field.audit")


def child_env() -> dict[str, str]:
    """The environment of a child process: this checkout importable, whatever the cwd."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def recorder(
    path: Path, first: int, count: int | None = None, subjects: str | None = None
) -> subprocess.Popen[str]:
    """Start the recorder child on ``path`` (see recorder.py)."""
    args = [sys.executable, str(RECORDER), str(path), str(first)]
    args += [str(count)] if count is not None else []
    args += ["--subjects", subjects] if subjects else []
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()
    )


def reported(stdout: str) -> list[tuple[int, Slot, str]]:
    """(number, slot, value) of every ``saved`` line the recorder printed in full."""
    saved = []
    for line in stdout.splitlines(keepends=True):
        parts = line.rstrip("\n").split("\t")
        # A line cut short by the kill has no newline yet: the answer was not reported.
        if line.endswith("\n") and parts[0] == "saved" and len(parts) == 5:
            saved.append((int(parts[1]), (parts[2], parts[3]), parts[4]))
    return saved


def integrity(path: Path) -> str:
    """SQLite's full integrity check, as one string (``ok`` when the file is sound)."""
    with closing(sqlite3.connect(path)) as conn:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def _number(note: str) -> int:
    """The answer number of a note ``n<number>`` (anything after a space is padding)."""
    return int(note[1:].split(" ", 1)[0])


def stored_numbers(path: Path) -> dict[Slot, int]:
    """Slot -> the answer number in its note (the recorder's ``n<number>``)."""
    with Audit.open(path) as audit:
        return {
            (a.question_id, a.subject_id): _number(a.note)
            for a in audit.answers()
            if a.note.startswith("n")
        }


def journal_numbers(path: Path) -> set[tuple[Slot, int]]:
    """Every (slot, answer number) the journal recorded as set."""
    with Audit.open(path) as audit:
        found = set()
        for entry in audit.store.journal("answers"):
            after = entry.after_data()
            if entry.action == "answer.set" and after and after["note"].startswith("n"):
                question_id, _, subject_id = entry.key.partition("|")
                found.add(((question_id, subject_id), _number(after["note"])))
        return found


def assert_intact(path: Path, saved: list[tuple[int, Slot, str]]) -> None:
    """The file is sound, its journal verifies, and every reported answer is in it."""
    assert integrity(path) == "ok"
    report = verify_file(path)
    assert report.ok, report.problems[:5]
    stored = stored_numbers(path)
    last: dict[Slot, int] = {}
    for number, slot, _ in saved:
        last[slot] = max(number, last.get(slot, -1))
    # A slot may hold a later answer the writer saved but was killed before reporting.
    lost = {slot: n for slot, n in last.items() if stored.get(slot, -1) < n}
    assert not lost, f"reported as saved but missing: {lost}"
    history = journal_numbers(path)
    missing = [(slot, n) for n, slot, _ in saved if (slot, n) not in history]
    assert not missing, f"reported as saved but not in the journal: {missing[:5]}"


def fingerprint(folder: Path) -> dict[str, str]:
    """Name -> SHA-256 of every file under ``folder``: proves nothing was written or added."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
