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
from auditkit.export.report import Report, display_value, read
from auditkit.text import printable

HEADER = (
    "question",
    "element",
    "element title",
    "component",
    "subject kind",
    "subject",
    "answer",
    "question points awarded",
    "question points possible",
    "question status",
    "note",
    "author",
    "updated",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Cells(dict[str, str]):
    """Neutralised cells by their text: subject names, answers and authors repeat on every
    question, so each is neutralised once."""

    def __missing__(self, text: str) -> str:
        self[text] = neutralise(text)
        return self[text]


def render(audit: Audit, report: Report | None = None) -> bytes:
    """Every recorded answer with its question's score, as CSV bytes."""
    data = report.data if report else read(audit)
    scores, names = data.scores, data.names
    kinds = {s.id: s.kind for s in data.subjects}
    elements = {e.id: e for e in audit.protocol.elements}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    cells = Cells()
    for question in audit.protocol.questions:  # protocol order, subjects in the order added
        # A part's rows carry its criterion's score (the part has no points of its own).
        result = (
            scores.items[question.criterion]
            if question.criterion
            else scores.questions[question.id]
        )
        element = elements[question.element]
        scored = result.status == "scored"
        # The question's own cells are the same on each of its rows: neutralised once.
        head = [
            neutralise(v) for v in (question.id, element.number, element.title, question.component)
        ]
        tail = [result.awarded if scored else "", result.possible if scored else "", result.status]
        writer.writerows(
            [
                *head,
                kinds.get(row.subject_id, "" if row.subject_id else "audit"),
                cells[names.get(row.subject_id, row.subject_id)],
                cells[display_value(question, row.value)],
                *tail,
                neutralise(row.note),
                cells[row.author],
                row.updated_at,
            ]
            for row in data.by_question.get(question.id, [])
        )
    # Control characters from stored text shown escaped; the rows keep their CRLF.
    return ("\ufeff" + printable(out.getvalue(), keep_cr=True)).encode()
