"""The final report as a Word document the auditor can edit and hand in (python-docx).

Real headings (Heading 1-3 styles, so Word's navigation pane and table of contents work), Word
tables, the element chart as a shaded table, and a header and footer on every page: the protocol
id, version and SHA-256, auditkit's version and the page number; for a draft, the DRAFT line.

The question section can run to tens of thousands of answers, so it is written as one block of
WordprocessingML text and spliced into the saved document in place of a placeholder paragraph,
rather than paragraph by paragraph through the API. The element chart, the table of contents
and the photos are written the same way, and the saved package is finished there
(:mod:`auditkit.export.wordml`); document properties come from the audit.

Every ``w:tcPr``, ``w:pPr`` and ``w:rPr`` keeps the child order of the Office Open XML schema
(Word "repairs" a file whose ``w:shd`` comes before ``w:tcBorders``): properties are added with
:func:`put`, or written in that order by hand.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from auditkit.export.report import ElementLine, QuestionLine, Report
from auditkit.export.trail import EvidenceLine
from auditkit.export.wordml import (
    Photos,
    bookmark,
    chart_xml,
    clean,
    element_anchor,
    para_xml,
    run_xml,
    splice,
    toc_xml,
)

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
RED = RGBColor(0xB3, 0x26, 0x1E)
MUTED = RGBColor(0x5B, 0x66, 0x75)
HEAD_FILL = "DCE4EE"
PLACEHOLDER = "auditkit:questions-go-here"
CHART_PLACEHOLDER = "auditkit:chart-goes-here"
TOC_PLACEHOLDER = "auditkit:contents-go-here"
MONO = "Consolas"
KEEP_WHOLE = 15  # rows: a table this short is never split across pages (longer ones would
# leave most of a page blank)
# Child order of the property elements this module writes (Office Open XML, ECMA-376 Part 1,
# CT_TcPr / CT_PPr / CT_RPr sequences): :func:`put` inserts a child at its place.
SCHEMA_ORDER = {
    "tcPr": [
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ],
    "pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
}


def put(properties: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Add ``child`` to ``properties`` (a ``w:tcPr``, ``w:pPr``) at its schema place, replacing
    one of the same name."""
    order = SCHEMA_ORDER[properties.tag.rsplit("}", 1)[-1]]
    name = child.tag.rsplit("}", 1)[-1]
    for old in properties.findall(child.tag):
        properties.remove(old)
    rank = order.index(name)
    for index, existing in enumerate(properties):
        local = existing.tag.rsplit("}", 1)[-1]
        if local in order and order.index(local) > rank:
            properties.insert(index, child)
            return
    properties.append(child)


def shade(cell: _Cell, fill: str) -> None:
    put(
        cell._tc.get_or_add_tcPr(),
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'),
    )


def field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on every page."""
    run = paragraph.add_run()
    run.font.size, run.font.color.rgb = Pt(7), MUTED
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), code)
    simple.append(run._r)
    paragraph._p.append(simple)


def set_widths(table: Table, widths: tuple[float, ...]) -> None:
    """Fixed column widths (cm), written where both Word and LibreOffice read them."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def add_table(
    doc: DocumentObject,
    head: tuple[str, ...],
    rows: list[tuple[str, ...]],
    widths: tuple[float, ...],
    numeric: frozenset[int] = frozenset(),
    header: bool = True,
) -> Table:
    """A gridded Word table; its shaded header row repeats on every page it spans."""
    lines = [head, *rows] if header else rows
    table = doc.add_table(rows=len(lines), cols=len(head))
    table.style = doc.styles["Table Grid"]
    for r, values in enumerate(lines):
        cells = table.rows[r].cells
        heading = header and r == 0
        for c, value in enumerate(values):
            paragraph = cells[c].paragraphs[0]
            run = paragraph.add_run(clean(value))
            run.bold = heading or (not header and c == 0)
            if c in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if heading:
                shade(cells[c], HEAD_FILL)
    for row in table.rows:  # a row (an amendment, a course) is read whole, never across pages
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    if header:
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    # A short table stays whole on one page (and with the heading before it, which keeps with
    # what follows); a long one at least keeps its header row with its first row.
    together = table.rows[:-1] if len(table.rows) <= KEEP_WHOLE else table.rows[:1]
    for row in together:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    set_widths(table, widths)
    doc.add_paragraph()
    return table  # type: ignore[no-any-return]


def page_furniture(doc: DocumentObject, report: Report) -> None:
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    if report.draft:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(report.draft_note)
        run.bold, run.font.color.rgb, run.font.size = True, RED, Pt(10)
    foot = section.footer.paragraphs[0]
    if report.draft:
        run = foot.add_run(report.draft_note + "\n")
        run.bold, run.font.color.rgb, run.font.size = True, RED, Pt(8)
    run = foot.add_run(clean(report.footer) + " · page ")
    run.font.size, run.font.color.rgb = Pt(7), MUTED
    field(foot, "PAGE")
    run = foot.add_run(" of ")
    run.font.size, run.font.color.rgb = Pt(7), MUTED
    field(foot, "NUMPAGES")


def chart(doc: DocumentObject, report: Report) -> None:
    """Where the chart goes (spliced in by :func:`chart_xml`), and its legend."""
    doc.add_paragraph(CHART_PLACEHOLDER)
    legend = f"Thick blue line: pass mark {report.overall_mark} % overall"
    if report.element_mark is not None:
        legend += f"; thick red line: {report.element_mark} % minimum per element"
    note = doc.add_paragraph().add_run(legend + ". Bars are drawn to the exact score.")
    note.font.size, note.italic = Pt(8), True


# One bulleted answer: "<subject>: <value> — <note>"; the fast path of the largest section.
ANSWER_XML = (
    '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>{who}'
    '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{value}</w:t></w:r>{note}</w:p>'
)
NOTE_XML = (
    '<w:r><w:rPr><w:color w:val="5B6675"/></w:rPr><w:t xml:space="preserve"> — {}</w:t></w:r>'
)
WHO_XML = '<w:r><w:t xml:space="preserve">{}: </w:t></w:r>'


def question_xml(q: QuestionLine, cache: dict[str, str], photos: Photos | None = None) -> str:
    """A question's paragraphs; ``cache`` holds escaped subject names and values, which
    repeat on every question. Photos follow the evidence list."""
    facts = " · ".join(x for x in (q.component, q.methods, q.reference) if x)
    parts = [
        para_xml(run_xml(q.id + "  ", bold=True) + run_xml(q.text), keep=True),
        para_xml(
            run_xml(q.points, bold=True) + run_xml("  " + facts, colour="5B6675", size=18),
            keep=bool(q.answers),
        ),
    ]
    for a in q.answers:
        who = cache.get(a.subject)
        if who is None:
            who = cache[a.subject] = WHO_XML.format(escape(a.subject)) if a.subject else ""
        value = cache.get(a.value)
        if value is None:
            value = cache[a.value] = escape(a.value)
        note = NOTE_XML.format(escape(a.note)) if a.note else ""
        parts.append(ANSWER_XML.format(who=who, value=value, note=note))
    parts += [evidence_xml(item) for item in q.evidence]
    if photos is not None:
        parts += [photos.xml(item) for item in q.evidence]
    parts += [question_xml(part, cache, photos) for part in q.parts]  # a criterion's techniques
    return "".join(parts)


def evidence_xml(item: EvidenceLine) -> str:
    """A bullet under the answers: ``Evidence (Yard): kit.jpg — “caption” · size · SHA``."""
    who = f" ({item.subject})" if item.subject else ""
    caption = f" — “{item.caption}”" if item.caption else ""
    keep = f"{item.size} · SHA-256 ".replace(" ", "\u00a0")  # size and hash on one line
    return para_xml(
        run_xml(f"Evidence{who}: ", colour="5B6675")
        + run_xml(item.filename, bold=True)
        + run_xml(f"{caption} · {keep}", colour="5B6675")
        + run_xml(item.short_sha, colour="5B6675", font=MONO),
        "ListBullet",
    )


def questions_xml(elements: tuple[ElementLine, ...], photos: Photos | None = None) -> str:
    """Every question under its element heading, as WordprocessingML paragraphs."""
    blocks = []
    cache: dict[str, str] = {}
    for element in elements:
        shown = element.shown.replace(" ", "\u00a0")  # keep "75.5 %" on one line
        start, end = bookmark(element_anchor(element.number), 10_000 + element.number)
        title = run_xml(f"{element.number} {element.title} — {shown}")
        blocks.append(para_xml(start + title + end, "Heading2"))
        blocks += [question_xml(q, cache, photos) for q in element.questions]
    # Characters XML cannot hold are dropped from the whole block at once (markup has none).
    return clean("".join(blocks))


def headings(doc: DocumentObject, elements: tuple[ElementLine, ...]) -> list[tuple[int, str, str]]:
    """The document's level 1 and 2 headings in order (the element headings of the spliced
    question section included), each bookmarked for the table of contents."""
    found: list[tuple[int, str, str]] = []
    for paragraph in doc.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name in ("Heading 1", "Heading 2"):
            anchor = f"_TocSection{len(found)}"
            start, end = bookmark(anchor, len(found))
            paragraph._p.append(
                parse_xml(start.replace("<w:bookmarkStart ", f"<w:bookmarkStart {nsdecls('w')} "))
            )
            paragraph._p.append(
                parse_xml(end.replace("<w:bookmarkEnd ", f"<w:bookmarkEnd {nsdecls('w')} "))
            )
            found.append((int(name[-1]), paragraph.text, anchor))
        if paragraph.text == PLACEHOLDER:
            found += [(2, f"{e.number} {e.title}", element_anchor(e.number)) for e in elements]
    return found


def properties(doc: DocumentObject, report: Report) -> None:
    """Document properties from the audit; every field of python-docx's template replaced."""
    props = doc.core_properties
    created = (
        datetime.fromisoformat(report.created_at.replace("Z", "+00:00"))
        if (report.created_at)
        else datetime.now(UTC)
    )
    author = clean(", ".join(report.auditors))
    props.title = clean(report.title)
    props.author = author
    props.last_modified_by = author
    props.created = props.modified = created.replace(tzinfo=None)
    props.revision = 1
    props.subject = clean(f"Audit report — {report.company}")
    props.comments = ""
    props.keywords = ""
    props.category = "Health and safety audit"


def summary(doc: DocumentObject, report: Report) -> None:
    doc.add_heading("Executive summary", 1)
    doc.add_paragraph(clean(report.statement))
    verdict = doc.add_paragraph()
    run = verdict.add_run(report.verdict + "  ")
    run.bold, run.font.size = True, Pt(13)
    run.font.color.rgb = RGBColor(0x2E, 0x7D, 0x4F) if report.verdict.startswith("PASS") else RED
    verdict.add_run(clean(" ".join(report.reasons)))
    doc.add_heading("Strengths", 2)
    for strength in report.strengths or ("None recorded yet.",):
        doc.add_paragraph(clean(strength), style="List Bullet")
    doc.add_heading("Highest-priority improvements", 2)
    if not report.improvements:
        doc.add_paragraph("No question has lost points.")
    for n, imp in enumerate(report.improvements, 1):
        title = doc.add_paragraph().add_run(
            f"{n}. Question {imp.question} — element {clean(imp.element)}"
        )
        title.bold = True
        for label, text in (
            ("Deficiency", imp.deficiency),
            ("Corrective action", imp.action),
            ("Benefit", imp.benefit),
        ):
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(clean(text))


def amendments(doc: DocumentObject, report: Report) -> None:
    """The changes made since finalizing; nothing for an audit not finalized."""
    if not report.finalized:
        return
    doc.add_heading("Amendments", 1)
    if not report.amendments:
        doc.add_paragraph(f"No change since the audit was finalized on {report.finalized}.")
        return
    add_table(
        doc,
        ("When", "Who", "What changed", "Reason"),
        [(a.at, a.author, a.change, a.reason) for a in report.amendments],
        (3.2, 2.6, 6.6, 4.6),
    )


def evidence_appendix(doc: DocumentObject, report: Report) -> None:
    """Every evidence file with the answers it supports and its full SHA-256."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Appendix: evidence files", 1)
    if not report.evidence:
        doc.add_paragraph("No evidence files are attached to this audit.")
        return
    count = len(report.evidence)
    doc.add_paragraph(
        f"{count} file{'s' if count > 1 else ''}, stored in the audit file; the "
        f"export bundle holds each as evidence/<first 12 digits of its SHA-256>-"
        f"<name>."
    )
    table = add_table(
        doc,
        ("File", "Size", "Supports", "SHA-256"),
        [(f.filename, f.size, "; ".join(f.supports), f.sha256) for f in report.evidence],
        (4.2, 1.8, 4.4, 6.6),
        frozenset({1}),
    )
    for row in table.rows[1:]:  # 64 hex digits fit a 6.6 cm column on two lines at 7 pt
        run = row.cells[3].paragraphs[0].runs[0]
        run.font.name, run.font.size = MONO, Pt(7)


def render(report: Report) -> bytes:
    """The report as a .docx file."""
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10)
    properties(doc, report)
    page_furniture(doc, report)
    doc.add_heading(clean(report.title), 0)
    if report.draft:
        run = doc.add_paragraph().add_run(report.draft_note)
        run.bold, run.font.color.rgb = True, RED
    add_table(doc, ("", ""), [(k, v) for k, v in report.cover if v], (4.5, 12.5), header=False)
    doc.add_paragraph("Contents", style="TOC Heading")
    doc.add_paragraph(TOC_PLACEHOLDER)
    summary(doc, report)
    doc.add_heading("Scope and method", 1)
    add_table(
        doc,
        ("What", "Done", "Required"),
        [(r.what, r.done, r.required or "—") for r in report.scope],
        (10, 3.5, 3.5),
        frozenset({1, 2}),
    )
    doc.add_heading("Element scores", 1)
    add_table(
        doc,
        ("#", "Element", "Points", "Score", "Minimum", "Status", "Answered"),
        [
            (
                str(e.number),
                e.title,
                f"{e.awarded} / {e.possible}",
                e.shown,
                f"{e.minimum} %" if e.minimum is not None else "—",
                e.status,
                e.answered,
            )
            for e in report.elements
        ],
        (0.9, 4.8, 2.3, 1.9, 2.6, 2.6, 2.4),
        frozenset({0, 2, 3, 4, 6}),
    )
    chart(doc, report)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Questions", 1)
    doc.add_paragraph(PLACEHOLDER)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Incident review", 1)
    add_table(doc, ("Figure", "Count"), list(report.incidents), (10, 7), frozenset({1}))
    doc.add_heading("Training recommendations", 1)
    if report.recommendations:
        add_table(
            doc,
            ("Course", "Provider", "Why", "Questions"),
            [
                (r.title, r.provider, r.reason, ", ".join(r.questions) or "—")
                for r in report.recommendations
            ],
            (5, 4, 4.5, 3.5),
        )
    else:
        doc.add_paragraph("No training recommended.")
    amendments(doc, report)
    doc.add_heading("Auditor sign-off", 1)
    status_line = doc.add_paragraph()
    status_line.add_run(f"{report.status}.").bold = True
    generated = doc.add_paragraph()
    generated.add_run(f"Report generated {report.generated}.").italic = True
    for paragraph in (status_line, generated):  # the heading, these lines and the table: one page
        paragraph.paragraph_format.keep_with_next = True
    signatures = add_table(
        doc,
        ("Auditor", "Signature", "Date"),
        [(a, "", "") for a in report.auditors or ("",)],
        (6, 7, 4),
    )
    for row in signatures.rows[1:]:
        row.height = Cm(1.2)  # room to sign
    evidence_appendix(doc, report)
    blocks = {
        TOC_PLACEHOLDER: toc_xml(headings(doc, report.elements)),
        CHART_PLACEHOLDER: chart_xml(report),
        PLACEHOLDER: questions_xml(report.elements, Photos(doc, report)),
    }
    out = io.BytesIO()
    doc.save(out)
    return splice(out.getvalue(), blocks)
