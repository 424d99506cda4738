"""The audit file's schema, as an ordered list of sqlite-utils migrations.

Add a migration at the end for every schema change; never edit one that has shipped. A file
whose applied migrations include a name this list lacks was written by a newer auditkit.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

APP_ID = "auditkit"
migrations = Migrations(APP_ID)


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["audit"].create(
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
    db["protocol_files"].create({"name": str, "text": str, "sha256": str}, pk="name")
    db["subjects"].create(
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
    db["subjects"].create_index(["kind", "label"], unique=True)
    db["answers"].create(
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
    db["answers"].create_index(["question_id", "subject_id"], unique=True)
    db["journal"].create(
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
    db["journal"].create_index(["id"], unique=True)
    db["journal"].create_index(["entity", "key"])
