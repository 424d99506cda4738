"""Helpers for team tests: copies of one audit as a lead hands them out, and their contents."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from auditkit.audit import Audit, Profile
from tests.conftest import write_missing_sfis

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
# Tables whose rows make up an audit's content (rowid order aside).
CONTENT_TABLES = (
    "audit",
    "subjects",
    "subject_aliases",
    "answers",
    "evidence",
    "evidence_blobs",
    "recommendations",
    "journal",
    "meta",
)


def new_audit(
    path: Path, sites: tuple[str, ...] = ("Shop",), company: str = "Acme Ltd", **profile: Any
) -> Path:
    """An audit on the mini protocol, created by the lead; ``profile`` sets other fields."""
    Audit.create(
        path,
        Profile(company=company, protocol=str(MINI), sites=sites, auditors=("Lead",), **profile),
        author="lead",
    ).close()
    return path


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def edit(path: Path, author: str) -> Audit:
    """The audit at ``path`` open for writing by ``author``."""
    audit = Audit.open(path, write=True)
    audit.author = author
    return audit


def content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the content tables, sorted: equal content means equal audits."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"'), key=repr)
            for table in CONTENT_TABLES
        }


def answers(path: Path) -> dict[tuple[str, str], tuple[str | None, str]]:
    """(question, subject label or "") -> (value, note), as a user reads them."""
    with Audit.open(path) as audit:
        labels = {s.id: s.label for s in audit.subjects()}
        return {
            (a.question_id, labels.get(a.subject_id, a.subject_id)): (a.value, a.note)
            for a in audit.answers()
        }


def complete(audit: Audit) -> None:
    """Answer every question of the mini protocol once, with the interview sample of a staff
    of one senior manager and one supervisor (so the QA check lets it finalize)."""
    audit.set_staff({"senior_manager": 1, "supervisor": 1})
    audit.add_subject("interviewee", "SM1", role="senior_manager")
    audit.answer("1.I1", "yes", subject="SM1")
    audit.add_subject("interviewee", "S1", role="supervisor")
    audit.add_subject("incident", "INC-1", fields={"type": "first_aid"})
    for question, value, subject in (
        ("1.D1", "8", None),
        ("5.D1", "yes", None),
        ("8.D1", "yes", None),
        ("8.O1", "yes", "Shop"),
        ("5.O1", "partial", "Shop"),
        ("1.I1", "yes", "S1"),
        ("5.I1", "no", "S1"),
        ("5.R1", "yes", "INC-1"),
    ):
        audit.answer(question, value, subject=subject)
    write_missing_sfis(audit)


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    """A fresh audit with one site, as the lead creates it before handing out copies."""
    return new_audit(tmp_path / "lead.audit")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Run the CLI as a user would; returns (exit code, stdout, stderr)."""
    from auditkit.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err
