"""``metadata.json`` for Datasette: the audit file browsed with labels, not bare ids.

``datasette acme.audit -m metadata.json`` (the file from the export bundle) names the database
after the audit, describes each table and column, and tells Datasette which column labels a
row of ``questions`` (its text) and of ``subjects`` (its label), so the ``answers`` table shows
"1.D1 — Is there a written health and safety policy…" and "Yard" through its foreign keys.
Datasette names a database after its file, so the metadata is keyed by the audit file's stem.
"""

from __future__ import annotations

import json
from typing import Any

from auditkit.audit import Audit

TABLES: dict[str, dict[str, Any]] = {
    "questions": {
        "label_column": "text",
        "description": "Every question of the audit's stored protocol.",
        "columns": {
            "element": "Element id (element_number and element_title name it)",
            "subject": "What the question is asked of: site, interviewee, incident or none",
            "points": "Points the question is worth (empty for a part: its criterion holds them)",
            "criterion": "For a part, the criterion it is scored under",
            "scoring": "range (partial credit) or all-or-nothing",
        },
    },
    "subjects": {
        "label_column": "label",
        "description": "Sites, interviewees (by the code typed on site) and incident records.",
        "columns": {"kind": "site, interviewee or incident", "site_id": "The interviewee's site"},
    },
    "answers": {
        "description": "One row per question and subject answered; the subject is empty (NULL) "
        "for questions answered once for the audit.",
        "columns": {
            "value": "yes, partial, no, na, or a number of points; empty for a note alone",
            "note": "The auditor's note",
            "updated_at": "When the answer was last changed (UTC)",
        },
        "sort_desc": "updated_at",
    },
    "journal": {
        "description": "Every change, in order, each entry chained to the one before by "
        "SHA-256 (auditkit verify checks the chain).",
    },
    "evidence": {"description": "Files attached to answers (the bytes are in evidence_blobs)."},
}


def metadata(audit: Audit) -> dict[str, Any]:
    """Datasette metadata for ``audit``'s file."""
    company = str(audit.profile.get("company") or "")
    return {
        "title": f"{audit.protocol.certificate} audit — {company}",
        "description": f"{audit.protocol.title}, {audit.purpose} audit, opened with auditkit.",
        "databases": {audit.path.stem: {"tables": TABLES}},
    }


def render(audit: Audit) -> bytes:
    """``metadata.json`` as UTF-8 bytes."""
    return json.dumps(metadata(audit), indent=2, ensure_ascii=False).encode()
