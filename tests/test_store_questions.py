"""The audit file as other programs read it (migration m15): a questions table, foreign keys
from answers to questions and subjects, NULL for once-per-audit answers; older files migrate
when opened for writing and still score, merge and verify."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.export import datasette, render
from auditkit.rules.scoring import scores_to_json
from auditkit.team.verify import verify_file as verify


def fill(audit: Audit) -> None:
    audit.add_subject("interviewee", "W-07", role="worker")
    audit.answer("1.D1", "7", note="Policy signed 2025-01-10")
    audit.answer("8.O1", "partial", subject="Yard", note="one kit short")
    audit.answer("1.I1", "yes", subject="W-07")


def downgrade(path: Path) -> None:
    """Make ``path`` look as a file from before m15 does: no questions table, no foreign
    keys, "" for the subject of once-per-audit answers."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE old_answers (id TEXT PRIMARY KEY, question_id TEXT NOT NULL,
            subject_id TEXT NOT NULL, value TEXT, note TEXT, author TEXT, updated_at TEXT);
        INSERT INTO old_answers SELECT id, question_id, IFNULL(subject_id, ''), value, note,
            author, updated_at FROM answers ORDER BY rowid;
        DROP TABLE answers;
        ALTER TABLE old_answers RENAME TO answers;
        CREATE UNIQUE INDEX idx_answers_question_id_subject_id ON answers (question_id, subject_id);
        DROP TABLE questions;
        DELETE FROM _sqlite_migrations WHERE name = 'm15_questions_fk';
        """
    )
    conn.commit()
    conn.close()


def test_the_file_holds_questions_foreign_keys_and_null_subjects(audit: Audit) -> None:
    fill(audit)
    conn = sqlite3.connect(audit.path)
    keys = {(row[3], row[2], row[4]) for row in conn.execute("PRAGMA foreign_key_list(answers)")}
    assert keys == {("question_id", "questions", "id"), ("subject_id", "subjects", "id")}
    subjects = dict(conn.execute("SELECT question_id, subject_id FROM answers"))
    assert subjects["1.D1"] is None and subjects["8.O1"] is not None
    text, points = conn.execute("SELECT text, points FROM questions WHERE id = '1.D1'").fetchone()
    assert text == audit.protocol.question("1.D1").text and points == 10
    assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == len(
        audit.protocol.questions
    )
    columns = [row[1] for row in conn.execute("PRAGMA table_info(answers)")]
    assert "value" in columns and "note" in columns
    assert conn.execute(
        "SELECT 1 FROM _sqlite_migrations WHERE name = 'm15_questions_fk'"
    ).fetchone()
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_once_per_audit_answers_stay_one_row(audit: Audit) -> None:
    audit.answer("1.D1", "7")
    audit.answer("1.D1", "9", note="recounted")
    audit.clear_answer("5.D1")
    assert [(r.question_id, r.subject_id, r.value) for r in audit.answers()] == [("1.D1", "", "9")]
    audit.clear_answer("1.D1")
    assert audit.answers() == []


def test_an_older_file_migrates_on_open_and_scores_and_verifies(
    audit: Audit, tmp_path: Path
) -> None:
    fill(audit)
    path = Path(audit.path)
    before = scores_to_json(audit.score())
    answers = audit.answers()
    audit.close()
    downgrade(path)
    with Audit.open(path) as old:  # read-only: not migrated, still reads
        assert scores_to_json(old.score()) == before
        assert old.answers() == answers
    with Audit.open(path, write=True) as migrated:
        assert scores_to_json(migrated.score()) == before
        assert migrated.answers() == answers
        migrated.answer("5.D1", "yes")
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT subject_id FROM answers WHERE question_id = '1.D1'").fetchone() == (
        None,
    )
    assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] > 0
    conn.close()
    assert verify(path).ok
    # Merge and import work on the migrated file.
    copy = tmp_path / "copy.audit"
    merged = tmp_path / "merged.audit"
    assert main(["export", str(path), "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    assert main(["import", str(tmp_path / "a.json"), str(copy)]) == 0
    assert main(["merge", str(merged), str(path), str(copy)]) == 0
    assert verify(merged).ok and verify(copy).ok
    with Audit.open(merged) as result:
        assert len(result.answers()) == len(answers) + 1


async def test_datasette_shows_question_text_and_subject_labels(audit: Audit) -> None:
    from datasette.app import Datasette

    fill(audit)
    path = Path(audit.path)
    metadata = datasette.metadata(audit)
    bundled = zipfile.ZipFile(io.BytesIO(render(audit, "bundle")))
    assert json.loads(bundled.read("metadata.json")) == metadata
    ds = Datasette([str(path)], metadata=metadata)
    await ds.invoke_startup()
    name = path.stem
    response = await ds.client.get(f"/{name}/answers.json?_labels=on&_shape=array")
    assert response.status_code == 200
    rows = {row["question_id"]["value"]: row for row in response.json()}
    assert rows["1.D1"]["question_id"]["label"] == audit.protocol.question("1.D1").text
    assert rows["8.O1"]["subject_id"]["label"] == "Yard"
    assert rows["1.D1"]["subject_id"] is None
    page = await ds.client.get(f"/{name}/answers")
    assert "Yard" in page.text and audit.protocol.question("8.O1").text[:40] in page.text
