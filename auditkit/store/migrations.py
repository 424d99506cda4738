"""The audit file's schema, as an ordered list of sqlite-utils migrations.

Add a migration at the end for every schema change; never edit one that has shipped. A file
whose applied migrations include a name this list lacks was written by a newer auditkit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit.store.lazy_migrations import Migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

APP_ID = "auditkit"
migrations = Migrations(APP_ID)


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("audit").create(
        {
            "id": str,
            "company": str,
            "address": str,
            "contact": str,
            "wcb_account": str,
            "industry_code": str,
            "operations": str,
            "certificate": str,
            "purpose": str,
            "workers": int,
            "headcounts": str,  # JSON list of monthly headcounts
            "start_date": str,
            "end_date": str,
            "auditors": str,  # JSON list of names
            "completed_courses": str,  # JSON list of course ids the company has completed
            "protocol_id": str,
            "protocol_version": str,
            "protocol_sha256": str,
            "created_at": str,
            "finalized_at": str,
        },
        pk="id",
    )
    db.table("protocol_files").create({"name": str, "text": str, "sha256": str}, pk="name")
    db.table("subjects").create(
        {
            "id": str,
            "kind": str,  # site | interviewee | incident
            "label": str,
            "role": str,  # interviewees: senior_manager | manager | supervisor | worker
            "site_id": str,
            "fields": str,  # JSON: incident record fields, free details
            "author": str,
            "created_at": str,
        },
        pk="id",
        not_null={"kind", "label"},
    )
    db.table("subjects").create_index(["kind", "label"], unique=True)
    db.table("answers").create(
        {
            "id": str,
            "question_id": str,
            "subject_id": str,  # "" for questions with subject: none
            "value": str,  # yes | partial | no | na | whole points; NULL = note only
            "note": str,
            "author": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"question_id", "subject_id"},
    )
    db.table("answers").create_index(["question_id", "subject_id"], unique=True)
    db.table("journal").create(
        {
            "seq": int,
            "id": str,
            "at": str,
            "author": str,
            "action": str,
            "entity": str,
            "key": str,
            "before": str,
            "after": str,
            "prev": str,
            "hash": str,
        },
        pk="seq",
    )
    db.table("journal").create_index(["id"], unique=True)
    db.table("journal").create_index(["entity", "key"])


@migrations(name="m002_team")
def m002_team(db: Database) -> None:
    """Team audits: evidence stored in the file, merge provenance, amendment reasons."""
    db.table("evidence_blobs").create(
        {"sha256": str, "size": int, "mime": str, "data": bytes},  # content-addressed
        pk="sha256",
    )
    db.table("evidence").create(
        {
            "id": str,
            "question_id": str,
            "subject_id": str,  # "" for questions with subject: none
            "sha256": str,  # evidence_blobs.sha256
            "filename": str,  # the name the file had when it was attached
            "caption": str,
            "author": str,
            "added_at": str,
        },
        pk="id",
        not_null={"question_id", "subject_id", "sha256"},
    )
    db.table("evidence").create_index(["question_id", "subject_id"])
    # A subject added on two laptops under the same label, unified by a merge: alias -> kept id.
    db.table("subject_aliases").create({"alias": str, "subject_id": str}, pk="alias")
    # JSON list of the entry ids this change replaced
    db.table("journal").add_column("supersedes", str)
    db.table("journal").add_column("reason", str)  # why a finalized audit was changed
    # prev and hash as first written, kept when a merge re-chains the entry
    db.table("journal").add_column("origin_prev", str)
    db.table("journal").add_column("origin_hash", str)


@migrations(name="m003_recommendations")
def m003_recommendations(db: Database) -> None:
    """Training recommendations as the auditor curated them.

    Proposals are recomputed from the scores; only decisions are stored. A decision on a
    catalogue course has the id ``course:<course id>`` so the same decision made on two laptops
    is one row after a merge; a free-text recommendation has a UUID and an empty course_id.
    """
    db.table("recommendations").create(
        {
            "id": str,
            "course_id": str,  # "" for the auditor's own free-text recommendation
            "status": str,  # accepted | dropped | added
            "text": str,  # the free text, or the auditor's note on a decision
            "author": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"course_id", "status"},
    )


@migrations(name="m15_questions_fk")
def m15_questions_fk(db: Database) -> None:
    """Data for other programs (issue 15): a ``questions`` table from the stored protocol, and
    answers with foreign keys to it and to ``subjects``, NULL subject for once-per-audit answers.

    SQLite cannot add a foreign key to a table, so ``answers`` is rebuilt (same columns, rows in
    the same order). The keys are checked when the transaction commits (DEFERRABLE), so tools
    that rewrite several tables in one transaction (merge, import) may write them in any order.
    """
    from auditkit.store.questions import fill_questions

    conn = db.conn
    fill_questions(conn)
    conn.execute(
        "CREATE TABLE answers_m15 (id TEXT PRIMARY KEY, "
        "question_id TEXT NOT NULL REFERENCES questions(id) DEFERRABLE INITIALLY DEFERRED, "
        "subject_id TEXT REFERENCES subjects(id) DEFERRABLE INITIALLY DEFERRED, "
        "value TEXT, note TEXT, author TEXT, updated_at TEXT)"
    )
    conn.execute(
        "INSERT INTO answers_m15 (id, question_id, subject_id, value, note, author, updated_at) "
        "SELECT id, question_id, NULLIF(subject_id, ''), value, note, author, updated_at "
        "FROM answers ORDER BY rowid"
    )
    conn.execute("DROP TABLE answers")
    conn.execute("ALTER TABLE answers_m15 RENAME TO answers")
    # NULLs are distinct in a unique index: the expression keeps one once-per-audit answer.
    conn.execute(
        "CREATE UNIQUE INDEX idx_answers_question_id_subject_id "
        "ON answers (question_id, IFNULL(subject_id, ''))"
    )
    conn.execute("CREATE INDEX idx_answers_subject_id ON answers (subject_id)")


@migrations(name="m12_sampling")
def m12_sampling(db: Database) -> None:
    """Sampling by the employer's real staff, the CP's numbers, the head office, deviations."""
    audit = db.table("audit")
    audit.add_column("staff", str)  # JSON {level: count}; NULL = not declared
    audit.add_column("interviews_required", int)  # the CP's number, from 550 workers
    audit.add_column("sites_required", int)  # the CP's number, beyond 30 sites
    audit.add_column("head_office", str)  # subjects.id of the site that is the head office
    audit.add_column("deviation", str)  # sampling shortfall accepted at finalize, and why
