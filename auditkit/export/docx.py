"""The final report as a Word document the auditor can edit and hand in (python-docx).

Real headings (Heading 1-3 styles, so Word's navigation pane and table of contents work), Word
tables, the element chart as a shaded table, and a header and footer on every page: the protocol
id, version and SHA-256, auditkit's version and the page number; for a draft, the DRAFT line.

The question section can run to tens of thousands of answers, so it is written as one block of
WordprocessingML text and spliced into the saved document in place of a placeholder paragraph,
rather than paragraph by paragraph through the API.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from auditkit.export.report import ElementLine, QuestionLine, Report
from auditkit.export.trail import EvidenceLine

# Characters XML 1.0 cannot hold; python-docx refuses them, so they are dropped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
RED = RGBColor(0xB3, 0x26, 0x1E)
MUTED = RGBColor(0x5B, 0x66, 0x75)
HEAD_FILL = "DCE4EE"
FILLS = {"Meets": "2E7D4F", "Below minimum": "B3261E", "Not scored": "9AA4B1"}
EMPTY_FILL = "EEF2F7"
STEPS = 20  # chart resolution: one cell per 5 %
PLACEHOLDER = "auditkit:questions-go-here"
MONO = "Consolas"


def clean(text: object) -> str:
    return NOT_XML.sub("", str(text))


def shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
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
    """A shaded table: one row per element, one cell per 5 %; pass marks as thick borders."""
    marks = {report.overall_mark * STEPS // 100: "1F4E79"}
    if report.element_mark is not None:
        marks[report.element_mark * STEPS // 100] = "B3261E"
    table = doc.add_table(rows=len(report.elements), cols=STEPS + 2)
    for row, element in zip(table.rows, report.elements, strict=True):
        cells = row.cells
        cells[0].paragraphs[0].paragraph_format.keep_with_next = True
        label = cells[0].paragraphs[0].add_run(clean(f"{element.number} {element.title}"))
        label.font.size = Pt(8)
        filled = round((element.percent or 0) * STEPS / 100)
        for step in range(STEPS):
            cell = cells[step + 1]
            shade(cell, FILLS[element.status] if step < filled else EMPTY_FILL)
            # White top and bottom borders separate the bars; a coloured left one marks a pass
            # mark at that step.
            left = (
                f'<w:left w:val="single" w:sz="18" w:color="{marks[step]}"/>'
                if step in marks
                else ""
            )
            cell._tc.get_or_add_tcPr().append(
                parse_xml(
                    f'<w:tcBorders {nsdecls("w")}><w:top w:val="single" w:sz="24" '
                    f'w:color="FFFFFF"/>{left}<w:bottom w:val="single" w:sz="24" '
                    f'w:color="FFFFFF"/></w:tcBorders>'
                )
            )
        value = cells[STEPS + 1].paragraphs[0].add_run(element.shown)
        value.font.size = Pt(8)
    set_widths(table, (5.5, *([0.45] * STEPS), 2.0))
    legend = f"Thick blue line: pass mark {report.overall_mark} % overall"
    if report.element_mark is not None:
        legend += f"; thick red line: {report.element_mark} % minimum per element"
    note = doc.add_paragraph().add_run(legend + ". Each cell is 5 %.")
    note.font.size, note.italic = Pt(8), True


def run_xml(text: str, bold: bool = False, colour: str = "", size: int = 0, font: str = "") -> str:
    props = (
        (f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>' if font else "")
        + ("<w:b/>" if bold else "")
        + (f'<w:color w:val="{colour}"/>' if colour else "")
        + (f'<w:sz w:val="{size}"/>' if size else "")
    )
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para_xml(runs: str, style: str = "", keep: bool = False) -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep else "")
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{runs}</w:p>"


# One bulleted answer: "<subject>: <value> — <note>"; the fast path of the largest section.
ANSWER_XML = (
    '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>{who}'
    '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{value}</w:t></w:r>{note}</w:p>'
)
NOTE_XML = (
    '<w:r><w:rPr><w:color w:val="5B6675"/></w:rPr><w:t xml:space="preserve"> — {}</w:t></w:r>'
)
WHO_XML = '<w:r><w:t xml:space="preserve">{}: </w:t></w:r>'


def question_xml(q: QuestionLine, cache: dict[str, str]) -> str:
    """A question's paragraphs; ``cache`` holds escaped subject names and values, which
    repeat on every question."""
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
    parts += [question_xml(part, cache) for part in q.parts]  # a criterion's techniques
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


def questions_xml(elements: tuple[ElementLine, ...]) -> str:
    """Every question under its element heading, as WordprocessingML paragraphs."""
    blocks = []
    cache: dict[str, str] = {}
    for element in elements:
        shown = element.shown.replace(" ", "\u00a0")  # keep "75.5 %" on one line
        blocks.append(para_xml(run_xml(f"{element.number} {element.title} — {shown}"), "Heading2"))
        blocks += [question_xml(q, cache) for q in element.questions]
    # Characters XML cannot hold are dropped from the whole block at once (markup has none).
    return clean("".join(blocks))


def splice(document: bytes, block: str) -> bytes:
    """``document`` with the placeholder paragraph replaced by ``block``.

    Tens of thousands of answer paragraphs would cost seconds as python-docx objects (parse,
    proxies, serialisation); as text spliced into word/document.xml they cost a string copy.
    """
    source = zipfile.ZipFile(io.BytesIO(document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                mark = text.index(PLACEHOLDER)
                start = max(text.rfind("<w:p>", 0, mark), text.rfind("<w:p ", 0, mark))
                end = text.index("</w:p>", mark) + len("</w:p>")
                data = (text[:start] + block + text[end:]).encode()
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


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
    doc.core_properties.title = clean(report.title)
    page_furniture(doc, report)
    doc.add_heading(clean(report.title), 0)
    if report.draft:
        run = doc.add_paragraph().add_run(report.draft_note)
        run.bold, run.font.color.rgb = True, RED
    add_table(doc, ("", ""), [(k, v) for k, v in report.cover if v], (4.5, 12.5), header=False)
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
        (0.9, 5.5, 2, 1.8, 1.9, 2.5, 2.4),
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
    doc.add_paragraph().add_run(f"{report.status}.").bold = True
    doc.add_paragraph().add_run(f"Report generated {report.generated}.").italic = True
    signatures = add_table(
        doc,
        ("Auditor", "Signature", "Date"),
        [(a, "", "") for a in report.auditors or ("",)],
        (6, 7, 4),
    )
    for row in signatures.rows[1:]:
        row.height = Cm(1.2)  # room to sign
    evidence_appendix(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return splice(out.getvalue(), questions_xml(report.elements))
