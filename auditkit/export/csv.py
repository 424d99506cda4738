"""One row per answer, for spreadsheets; safe to open in Excel.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
a spreadsheet as a formula (CSV injection), so it is prefixed with an apostrophe, which Excel
and LibreOffice show as plain text. Interviewees appear by their anonymous code, as in the report.
The file is UTF-8 with a byte-order mark so Excel detects the encoding.
"""

from __future__ import annotations

import csv
import io

from auditkit.audit import Audit
from auditkit.export.report import Report, answers_by_question, display_value, subject_names

HEADER = ("question", "element", "element title", "component", "subject kind", "subject",
          "answer", "question points awarded", "question points possible", "question status",
          "note", "author", "updated")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render(audit: Audit, report: Report | None = None) -> bytes:
    """Every recorded answer with its question's score, as CSV bytes."""
    scores = audit.score()
    subjects = audit.subjects()
    names = subject_names(subjects)
    kinds = {s.id: s.kind for s in subjects}
    elements = {e.id: e for e in audit.protocol.elements}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    by_question = answers_by_question(audit.answers(), names)
    for question in audit.protocol.questions:  # protocol order, subjects in the order added
        result = scores.questions[question.id]
        element = elements[question.element]
        for row in by_question.get(question.id, []):
            writer.writerow([neutralise(v) for v in (
                question.id, element.number, element.title, question.component,
                kinds.get(row.subject_id, "audit" if not row.subject_id else ""),
                names.get(row.subject_id, row.subject_id), display_value(question, row.value),
                result.awarded if result.status == "scored" else "",
                result.possible if result.status == "scored" else "",
                result.status, row.note, row.author, row.updated_at)])
    return ("\ufeff" + out.getvalue()).encode()
