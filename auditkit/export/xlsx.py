"""The audit's data as an Excel workbook: Questions, Answers, Subjects and Actions sheets.

Every sheet has its header in row 1 (bold, frozen, with an autofilter over the data) and typed
cells: numbers are numbers, times are times, N/A and unanswered are empty cells, so a pivot
table or ``SUMIF`` works without cleaning. Summing ``awarded`` and ``possible`` of the Questions
sheet by ``element`` gives exactly what ``auditkit score`` shows: one row per scored item, its
points counted once (the Answers sheet carries no points, only each answer's own percent).
Text cells are strings, never formulas, so a note typed as ``=HYPERLINK(...)`` stays text.

openpyxl writes the workbook (styles, frozen panes, filters, the first data row of each sheet);
the other rows, tens of thousands of answers in a large audit, are spliced into the sheet's XML
as text with the styles openpyxl gave the first row: through openpyxl's cell objects they would
take several seconds (about 15 µs a cell).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import import_module
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from auditkit.audit import Audit
from auditkit.export.report import Report, answer_percent, display_value, read, subject_kind

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0.0"
EPOCH = datetime(1899, 12, 30)  # day 0 of a spreadsheet's date serial numbers

Cell = str | int | float | datetime | None

QUESTIONS = ("element", "id", "text", "awarded", "possible", "percent", "status", "component")
ANSWERS = (
    "question",
    "element",
    "component",
    "subject kind",
    "subject",
    "answer",
    "percent",
    "note",
    "author",
    "updated",
)
SUBJECTS = ("id", "kind", "name", "role", "site", "answers")
ACTIONS = ("id", "item", "element", "priority", "text", "owner", "due", "status")
WIDTHS = {
    "Questions": (14, 8, 70, 9, 9, 9, 11, 16),
    "Answers": (9, 14, 16, 12, 24, 16, 9, 50, 16, 19),
    "Subjects": (38, 12, 26, 16, 26, 9),
    "Actions": (10, 9, 14, 9, 60, 20, 12, 12),
}
FORMATS = {"percent": PERCENT_FORMAT, "updated": TIME_FORMAT}
# Columns that hold numbers or times; every other column holds text (or is empty).
KINDS = {
    "awarded": "number",
    "possible": "number",
    "percent": "number",
    "answers": "number",
    "updated": "time",
}


def timestamp(text: str) -> datetime | str | None:
    """A stored time (``2026-03-02T14:05:33.123Z``) as a naive UTC datetime for a cell."""
    if not text:
        return None
    try:  # the journal writes UTC with a "Z": dropped, the time is naive UTC, as cells hold
        if text.endswith("Z"):
            return datetime.fromisoformat(text[:-1])
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return text


def question_rows(audit: Audit, report: Report | None) -> list[tuple[Cell, ...]]:
    """One row per scored item: its points once, empty where N/A or unanswered."""
    data = report.data if report else read(audit)
    rows: list[tuple[Cell, ...]] = []
    scores = data.scores
    for question in audit.protocol.items:  # stand-alone questions and criteria
        result = scores.items.get(question.id) or scores.questions[question.id]
        scored = result.status == "scored"
        percent = result.awarded * 100 / result.possible if scored and result.possible else None
        rows.append(
            (
                question.element,
                question.id,
                question.text,
                result.awarded if scored else None,
                result.possible if scored else None,
                percent,
                result.status,
                audit.protocol.component_title(question.component),
            )
        )
    return rows


def answer_rows(audit: Audit, report: Report | None) -> list[tuple[Cell, ...]]:
    """One row per recorded answer, interviewees by code, each with its own percent."""
    data = report.data if report else read(audit)
    kinds = {s.id: s.kind for s in data.subjects}
    who = {s_id: (subject_kind(kinds, s_id), name or None) for s_id, name in data.names.items()}
    who[""] = ("audit", None)
    rows: list[tuple[Cell, ...]] = []
    for question in audit.protocol.questions:
        component = audit.protocol.component_title(question.component)
        answers: dict[str | None, tuple[str, float | None]] = {}  # value -> shown, percent
        for row in data.by_question.get(question.id, []):
            answer = answers.get(row.value)
            if answer is None:
                answer = answers[row.value] = (
                    display_value(question, row.value),
                    answer_percent(question, row.value),
                )
            kind, name = who.get(row.subject_id) or ("", row.subject_id)
            rows.append(
                (
                    question.id,
                    question.element,
                    component,
                    kind,
                    name,
                    *answer,
                    row.note or None,
                    row.author or None,
                    timestamp(row.updated_at),
                )
            )
    return rows


def subject_rows(audit: Audit, report: Report | None) -> list[tuple[Cell, ...]]:
    """Every site, interviewee (by code only) and incident record, with its answer count."""
    data = report.data if report else read(audit)
    counts: dict[str, int] = {}
    for row in data.rows:
        if row.value is not None:
            counts[row.subject_id] = counts.get(row.subject_id, 0) + 1
    return [
        (
            s.id,
            s.kind,
            data.names.get(s.id, s.label),
            s.role or None,
            data.names.get(s.site_id) if s.site_id else None,
            counts.get(s.id, 0),
        )
        for s in data.subjects
    ]


def action_rows(audit: Audit) -> list[tuple[Cell, ...]]:
    """The action plan, one row per action, when this version of auditkit keeps one.

    The action plan (issue 13) lives in ``auditkit.rules.actions``; until it is there the
    sheet has its header only.
    """
    try:
        module = import_module("auditkit.rules.actions")
    except ImportError:
        return []
    listing = getattr(module, "actions", None)
    if listing is None:
        return []
    rows: list[tuple[Cell, ...]] = []
    for action in listing(audit):
        values = [getattr(action, name, None) for name in ACTIONS]
        rows.append(tuple(v if isinstance(v, int | float | str) else None for v in values))
    return rows


class SharedStrings:
    """The workbook's shared string table, extended: a text used in many cells (a subject, an
    answer, an element) is stored once and each cell holds its index, as Excel itself writes
    workbooks. The strings openpyxl wrote (headers, first rows) keep their places."""

    def __init__(self, part: bytes | None) -> None:
        self.texts: list[str] = []
        if part:
            for item in ElementTree.fromstring(part).iter(f"{SHEET_NS}si"):
                self.texts.append("".join(t.text or "" for t in item.iter(f"{SHEET_NS}t")))
        self.index = {text: n for n, text in enumerate(self.texts)}

    def __getitem__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.texts)
            self.texts.append(text)
        return found

    def xml(self) -> bytes:
        items = "".join(
            f'<si><t xml:space="preserve">{escape(NOT_XML.sub("", t))}</t></si>' for t in self.texts
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{SHEET_NS[1:-1]}" uniqueCount="{len(self.texts)}">{items}</sst>'
        ).encode()


def converter(kind: str, style: str, strings: SharedStrings) -> Callable[[Cell], str]:
    """How one column's values become ``<c>`` elements (``style`` is `` s="N"`` or "")."""
    empty = f"<c{style}/>"
    text_cells: dict[str, str] = {}

    def text(v: Cell) -> str:
        if v is None:
            return empty
        value = str(v)
        cell = text_cells.get(value)
        if cell is None:
            cell = text_cells[value] = f'<c{style} t="s"><v>{strings[value]}</v></c>'
        return cell

    if kind == "number":
        return lambda v: empty if v is None else f"<c{style}><v>{v!r}</v></c>"
    if kind == "time":

        def serial(v: Cell) -> str:
            if not isinstance(v, datetime):
                return text(v)
            days = (v - EPOCH).total_seconds() / 86400
            return f"<c{style}><v>{days!r}</v></c>"

        return serial
    return text


PREFIX = 3  # leading columns that repeat row after row (an answer's question, element, component)


def rows_xml(
    rows: Sequence[Sequence[Cell]],
    first: int,
    styles: Sequence[str],
    kinds: Sequence[str],
    strings: SharedStrings,
) -> str:
    """Rows numbered from ``first``; cell references are implied by position (allowed by the
    schema, and what every reader does without them)."""
    convert = [converter(k, s, strings) for k, s in zip(kinds, styles, strict=True)]
    head, tail = convert[:PREFIX], convert[PREFIX:]
    out = []
    last: Sequence[Cell] = ()
    prefix = ""
    for number, values in enumerate(rows, first):
        lead = values[:PREFIX]
        if lead != last:
            last = lead
            prefix = "".join([c(v) for c, v in zip(head, lead, strict=False)])
        rest = "".join([c(v) for c, v in zip(tail, values[PREFIX:], strict=True)])
        out.append(f'<row r="{number}">{prefix}{rest}</row>')
    return "".join(out)


def add_sheet(
    book: Workbook, title: str, header: Sequence[str], rows: list[tuple[Cell, ...]]
) -> tuple[str, int]:
    """A sheet with its header and first row written by openpyxl; returns the sheet's title
    and how many rows are left to splice."""
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if rows:
        # openpyxl refuses characters XML cannot hold (a bell typed in a note): dropped, as
        # the spliced rows drop them.
        sheet.append([NOT_XML.sub("", v) if isinstance(v, str) else v for v in rows[0]])
        for column, name in enumerate(header, 1):
            if name in FORMATS:
                sheet.cell(2, column).number_format = FORMATS[name]
    for column, width in enumerate(WIDTHS[title], 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    return title, len(rows) - 1


STRINGS = "xl/sharedStrings.xml"
# Where a workbook that had no shared strings must declare the table spliced in.
DECLARE = {
    "[Content_Types].xml": (
        "</Types>",
        f'<Override PartName="/{STRINGS}" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    "xl/_rels/workbook.xml.rels": (
        "</Relationships>",
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdAuditkitStrings"/>'
        "</Relationships>",
    ),
}
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STYLE = re.compile(r'<c r="([A-Z]+)2"(?: s="(\d+)")?')


def splice(book: bytes, rest: dict[str, tuple[Sequence[str], list[tuple[Cell, ...]]]]) -> bytes:
    """The saved workbook with each sheet's remaining rows added after its row 2."""
    source = zipfile.ZipFile(io.BytesIO(book))
    names = sheet_files(source)
    listed = source.namelist()
    strings = SharedStrings(source.read(STRINGS) if STRINGS in listed else None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename == STRINGS:
                continue  # written last, once every sheet has added its strings
            data = source.read(info)
            title = names.get(info.filename)
            if title in rest and len(rest[title][1]) > 1:
                data = sheet_rows(data.decode(), *rest[title], strings).encode()
            elif STRINGS not in listed and info.filename in DECLARE:  # openpyxl wrote none
                data = data.decode().replace(*DECLARE[info.filename]).encode()
            target.writestr(info, data)
        target.writestr(STRINGS, strings.xml())
    return out.getvalue()


def sheet_rows(
    text: str, header: Sequence[str], rows: list[tuple[Cell, ...]], strings: SharedStrings
) -> str:
    """One sheet's XML with rows 3 onwards added, styled as openpyxl styled row 2."""
    columns = len(header)
    kinds = [KINDS.get(name, "text") for name in header]
    start = text.index('<row r="2"')
    given = dict(STYLE.findall(text[start : text.index("</row>", start)]))
    styles = [
        f' s="{given[letter]}"' if given.get(letter) else ""
        for letter in map(get_column_letter, range(1, columns + 1))
    ]
    end = text.index("</sheetData>")
    text = text[:end] + rows_xml(rows[1:], 3, styles, kinds, strings) + text[end:]
    last = f"{get_column_letter(columns)}{len(rows) + 1}"
    return re.sub(r"<dimension ref=\"[^\"]*\"/>", f'<dimension ref="A1:{last}"/>', text, count=1)


def sheet_files(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name (``xl/worksheets/sheet1.xml``) -> sheet title, from the workbook's own lists."""
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update(
        {rid: target for target, rid in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
    )
    found = {}
    for title, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        found[target if target.startswith("xl/") else f"xl/{target}"] = title
    return found


def render(audit: Audit, report: Report | None = None) -> bytes:
    """The workbook as .xlsx bytes."""
    sheets: dict[str, tuple[Sequence[str], list[tuple[Cell, ...]]]] = {
        "Questions": (QUESTIONS, question_rows(audit, report)),
        "Answers": (ANSWERS, answer_rows(audit, report)),
        "Subjects": (SUBJECTS, subject_rows(audit, report)),
        "Actions": (ACTIONS, action_rows(audit)),
    }
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty "Sheet" every new workbook starts with
    for title, (header, rows) in sheets.items():
        add_sheet(book, title, header, rows)
    book.properties.title = f"Audit data — {audit.profile.get('company') or ''}"
    book.properties.creator = ", ".join(audit.auditors) or "auditkit"
    out = io.BytesIO()
    book.save(out)
    return splice(out.getvalue(), sheets)
