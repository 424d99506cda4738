"""One row per answer, and one per unanswered question, for spreadsheets; safe to open in Excel.

``percent`` is each answer's own compliance as a number (yes 100, partial 50, no 0, points as
a share of the question's; empty for N/A). A scored item's points (awarded and possible) stand
on its first row only (a criterion's on the first row of its first part), the other rows
leaving them empty, so summing the columns (or a pivot by element) gives the score whatever
the rows are sorted by: nothing is counted twice.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
a spreadsheet as a formula (CSV injection), so it is prefixed with an apostrophe, which Excel
and LibreOffice show as plain text. Interviewees appear by their anonymous code, as in the report.
The file is UTF-8 with a byte-order mark so Excel detects the encoding.
"""

from __future__ import annotations

import csv
import io

from auditkit.audit import Audit
from auditkit.export.report import Report, answer_percent, read, subject_kind
from auditkit.protocol.model import Question
from auditkit.rules.scoring import answer_name
from auditkit.text import printable

HEADER = (
    "question",
    "element",
    "element title",
    "component",
    "subject kind",
    "subject",
    "answer",
    "percent",
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


def answer_text(question: Question, value: str | None) -> str:
    """The answer as people read it; empty for a note given without an answer."""
    return "" if value is None else answer_name(question, value)


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
    counted: set[str] = set()  # scored items whose points a row already carries
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
        item = question.criterion or question.id
        points: list[str | int] = ["", ""]
        if scored and item not in counted:  # once per item: a criterion's parts share its points
            points = [result.awarded, result.possible]
        counted.add(item)
        rows = data.by_question.get(question.id, [])
        if not rows:  # unanswered: one row, the answer empty
            writer.writerow([*head, "", "", "", "", *points, result.status, "", "", ""])
            continue
        answers: dict[str | None, tuple[str, str]] = {}  # value -> cells, once per question
        for n, row in enumerate(rows):
            answer = answers.get(row.value)
            if answer is None:
                percent = answer_percent(question, row.value)
                answer = answers[row.value] = (
                    cells[answer_text(question, row.value)],
                    "" if percent is None else f"{percent:g}",
                )
            writer.writerow(
                [
                    *head,
                    subject_kind(kinds, row.subject_id),
                    cells[names.get(row.subject_id, row.subject_id)],
                    *answer,
                    *(points if n == 0 else ("", "")),  # the points once per item
                    result.status,
                    neutralise(row.note),
                    cells[row.author],
                    row.updated_at,
                ]
            )
    # Control characters from stored text shown escaped; the rows keep their CRLF.
    return ("\ufeff" + printable(out.getvalue(), keep_cr=True)).encode()
