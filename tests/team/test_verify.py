"""verify: a clean file passes with a summary; any edit made with raw SQLite is named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditkit.rules.attachments import add_evidence
from tests.team.conftest import edit, run


@pytest.fixture
def worked(lead: Path, tmp_path: Path) -> Path:
    """An audit with subjects, answers, a note and an attached photo."""
    photo = tmp_path / "kit.jpg"
    photo.write_bytes(b"\xff\xd8 first aid kit")
    with edit(lead, "pat") as audit:
        audit.add_subject("site", "Yard")
        audit.add_subject("interviewee", "W1", role="worker")
        audit.answer("8.O1", "yes", subject="Yard", note="kit stocked")
        audit.answer("1.I1", "partial", subject="W1")
        audit.answer("1.D1", "7")
        add_evidence(audit, "8.O1", [photo], subject="Yard", caption="kit")
        audit.update_profile(contact="J. Smith")
    return lead


def sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement)
    conn.close()


def verify(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    return run(capsys, "verify", path)


def test_a_clean_file_verifies_with_a_one_line_summary(
    worked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = verify(capsys, worked)
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert "verified" in out and "3 answers, 3 subjects, 1 evidence link(s)" in out


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        (
            "UPDATE answers SET value = 'no' WHERE question_id = '8.O1'",
            "answer 8.O1 for site 'Yard': value is 'no' in the table but 'yes' in the journal",
        ),
        (
            "UPDATE answers SET note = '' WHERE question_id = '8.O1'",
            "answer 8.O1 for site 'Yard': note is '' in the table but 'kit stocked'",
        ),
        (
            "DELETE FROM answers WHERE question_id = '1.D1'",
            "answer 1.D1: in the journal but not in the table (deleted outside auditkit)",
        ),
        (
            "INSERT INTO answers (id, question_id, subject_id, value, note, author, updated_at) "
            "VALUES ('x', '5.D1', '', 'yes', '', 'pat', '2026-01-01')",
            "answer 5.D1: in the table but not in the journal (inserted outside auditkit)",
        ),
        (
            "UPDATE subjects SET label = 'Back yard' WHERE label = 'Yard'",
            "label is 'Back yard' in the table but 'Yard' in the journal",
        ),
        (
            "DELETE FROM subjects WHERE label = 'W1'",
            "subject interviewee 'W1': in the journal but not in the table",
        ),
        (
            "INSERT INTO subjects (id, kind, label, role, site_id, fields, author, created_at) "
            "VALUES ('s', 'site', 'Ghost', '', '', '{}', 'x', '')",
            "subject site 'Ghost': in the table but not in the journal",
        ),
        (
            "UPDATE audit SET contact = 'Someone else'",
            "the audit profile: contact is 'Someone else' in the table but 'J. Smith'",
        ),
        (
            "UPDATE journal SET after = replace(after, 'yes', 'no') WHERE action = 'answer.set'",
            "its contents do not match its hash (edited outside auditkit)",
        ),
        (
            "DELETE FROM journal WHERE seq = 4",
            "does not follow the entry before it (an entry was deleted or inserted",
        ),
        (
            "INSERT INTO journal (seq, id, at, author, action, entity, key, before, after, "
            "prev, hash) VALUES (1000, 'j', '2030', 'x', 'answer.set', 'answers', '5.D1|', NULL, "
            "'{\"value\":\"yes\"}', 'p', 'h')",
            "journal entry #1000 (answer.set 5.D1|, 2030): does not follow the entry before it",
        ),
        (
            "UPDATE evidence SET caption = 'other'",
            "evidence link 'kit.jpg' on answer 8.O1 for site 'Yard': caption is 'other'",
        ),
        (
            "UPDATE evidence_blobs SET data = x'00'",
            "its contents do not match its SHA-256 (changed outside auditkit)",
        ),
    ],
)
def test_raw_sqlite_edits_are_named(
    worked: Path, capsys: pytest.CaptureFixture[str], statement: str, named: str
) -> None:
    sql(worked, statement)
    code, out, err = verify(capsys, worked)
    assert code == 1 and out == ""
    assert "verification FAILED" in err.splitlines()[0]
    assert named in err


def test_not_an_audit_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    code, out, err = verify(capsys, path)
    assert code == 1 and out == "" and err.count("\n") == 1 and "notes.txt" in err


def test_a_changed_protocol_copy_is_named(worked: Path) -> None:
    from auditkit.team.verify import verify_file

    sql(worked, "UPDATE protocol_files SET text = text || ' ' WHERE name = 'documents.yaml'")
    problems = verify_file(worked).problems
    assert problems == [
        "protocol file documents.yaml: its text does not match its SHA-256 "
        "(changed outside auditkit)"
    ]
