"""The ``questions`` table: the audit's stored protocol as rows other programs can join to.

Answers refer to it (and to ``subjects``) by foreign key, so a database browser such as
Datasette shows each answer's question text and subject label rather than bare ids. It is
derived from ``protocol_files`` (the audit's own protocol copy) and filled whenever that copy
is written: by migration ``m15_questions_fk`` for older files, when a file is created, and on
import. Once-per-audit answers hold a NULL subject; the engine keeps ``""`` in memory, so the
conversion happens here, at the store's edge (:data:`SUBJECT_IN`, :data:`SUBJECT_OUT`).
"""

from __future__ import annotations

import sqlite3

# SQL for the subject column: "" from the engine is stored as NULL, and read back as "".
SUBJECT_IN = "NULLIF(?, '')"
SUBJECT_OUT = "IFNULL(subject_id, '')"
COLUMNS = (
    "id",
    "element",
    "element_number",
    "element_title",
    "component",
    "component_title",
    "subject",
    "text",
    "points",
    "scoring",
    "methods",
    "reference",
    "criterion",
)
CREATE = (
    "CREATE TABLE IF NOT EXISTS questions (id TEXT PRIMARY KEY, element TEXT, "
    "element_number INTEGER, element_title TEXT, component TEXT, component_title TEXT, "
    "subject TEXT, text TEXT, points INTEGER, scoring TEXT, methods TEXT, reference TEXT, "
    "criterion TEXT)"
)


def fill_questions(conn: sqlite3.Connection) -> None:
    """Add a row for every question of the stored protocol (and for any answered question id
    the protocol lacks, so every answer's foreign key holds); rows already there are kept."""
    conn.execute(CREATE)
    files = dict(conn.execute("SELECT name, text FROM protocol_files").fetchall())
    rows: list[tuple[object, ...]] = []
    if files:
        from auditkit.protocol.model import ProtocolInvalid, protocol_from_texts

        try:
            protocol = protocol_from_texts(files, origin="the stored protocol")
        except ProtocolInvalid:
            protocol = None  # opening the audit reports a damaged copy; nothing to list here
        if protocol is not None:
            elements = {e.id: e for e in protocol.elements}
            for q in protocol.questions:
                element = elements.get(q.element)
                rows.append(
                    (
                        q.id,
                        q.element,
                        element.number if element else None,
                        element.title if element else None,
                        q.component,
                        protocol.component_title(q.component),
                        q.subject,
                        q.text,
                        None if q.criterion else q.points,  # a part has none of its own
                        q.scoring,
                        ", ".join(q.methods),
                        q.reference,
                        q.criterion or None,  # a part: the criterion it is scored under
                    )
                )
    marks = ", ".join("?" * len(COLUMNS))
    conn.executemany(
        f"INSERT OR IGNORE INTO questions ({', '.join(COLUMNS)}) VALUES ({marks})", rows
    )
    conn.execute(
        "INSERT OR IGNORE INTO questions (id, text) SELECT DISTINCT question_id, "
        "'(not in the stored protocol)' FROM answers"
    )
