"""The final report as a Word document the auditor can edit and hand in (python-docx).

Real headings (Heading 1-3 styles, so Word's navigation pane and table of contents work), Word
tables, the element chart as a shaded table, and a header and footer on every page: the protocol
id, version and SHA-256, auditkit's version and the page number; for a draft, the DRAFT line.

The question section can run to tens of thousands of answers, so it is written as one block of
WordprocessingML text and spliced into the saved document in place of a placeholder paragraph,
rather than paragraph by paragraph through the API. The element chart and the table of contents
are spliced the same way (exact cell widths need a grid no API call writes), and the package is
finished there too: document properties from the audit, no template thumbnail, Word 2013+
compatibility.

Every ``w:tcPr``, ``w:pPr`` and ``w:rPr`` keeps the child order of the Office Open XML schema
(Word "repairs" a file whose ``w:shd`` comes before ``w:tcBorders``): properties are added with
:func:`put`, or written in that order by hand.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.image.image import Image
from docx.image.jpeg import Jpeg
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree  # type: ignore[import-untyped]

from auditkit.export.report import ElementLine, QuestionLine, Report
from auditkit.export.trail import EvidenceLine, is_photo, photo_type

# Characters XML 1.0 cannot hold; python-docx refuses them, so they are dropped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
RED = RGBColor(0xB3, 0x26, 0x1E)
MUTED = RGBColor(0x5B, 0x66, 0x75)
HEAD_FILL = "DCE4EE"
FILLS = {"Meets": "2E7D4F", "Below minimum": "B3261E", "Not scored": "9AA4B1"}
EMPTY_FILL = "EEF2F7"
PLACEHOLDER = "auditkit:questions-go-here"
CHART_PLACEHOLDER = "auditkit:chart-goes-here"
TOC_PLACEHOLDER = "auditkit:contents-go-here"
MONO = "Consolas"
KEEP_WHOLE = 15  # rows: a table this short is never split across pages (longer ones would
# leave most of a page blank)
# The chart's bar is 5,000 twentieths of a point (8.8 cm) wide: 50 per percent, so a pass mark
# falls on a whole unit and a bar that ends below it (77.7 %: 3,885) always ends before its line.
BAR_TWIPS = 5000
LABEL_TWIPS, VALUE_TWIPS = 3200, 1000
PHOTO_WIDTH, PHOTO_HEIGHT = Cm(11), Cm(7.5)  # the largest a photo is shown; never enlarged

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


def clean(text: object) -> str:
    return NOT_XML.sub("", str(text))


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


def bar_end(percent: float | None) -> int:
    """Where a bar ends, in twips from the bar's start: never past the exact value."""
    return int(min(max(percent or 0.0, 0.0), 100.0) * BAR_TWIPS // 100)


def chart_cell(width: int, span: int, fill: str, left: str, body: str, extra: str = "") -> str:
    """One table cell, its properties in schema order (tcW, gridSpan, tcBorders, shd, tcMar,
    vAlign)."""
    borders = (
        '<w:tcBorders><w:top w:val="single" w:sz="24" w:color="FFFFFF"/>'
        + (f'<w:left w:val="single" w:sz="18" w:color="{left}"/>' if left else "")
        + '<w:bottom w:val="single" w:sz="24" w:color="FFFFFF"/></w:tcBorders>'
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
        + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
        + (borders if fill else "")
        + (f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else "")
        + f'{extra}<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc>'
    )


def chart_xml(report: Report) -> str:
    """One row per element: a bar to the exact score, with the pass marks as thick lines.

    The grid has a column edge wherever any bar ends or a mark stands, so each bar is one cell
    (or a few, split at the marks) exactly as wide as its score.
    """
    marks = {report.overall_mark * BAR_TWIPS // 100: "1F4E79"}
    if report.element_mark is not None:
        marks[report.element_mark * BAR_TWIPS // 100] = "B3261E"
    edges = sorted({0, BAR_TWIPS, *marks, *(bar_end(e.percent) for e in report.elements)})
    column = {edge: i for i, edge in enumerate(edges)}
    grid = [LABEL_TWIPS, *(b - a for a, b in zip(edges, edges[1:], strict=False)), VALUE_TWIPS]
    pad = '<w:tcMar><w:left w:w="0" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tcMar>'
    rows = []
    for n, element in enumerate(report.elements):
        keep = "<w:keepNext/>" if n < len(report.elements) - 1 else ""
        empty = f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0"/></w:pPr></w:p>'

        def text(value: str, keep: str = keep) -> str:
            return (
                f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0"/></w:pPr>'
                f"{run_xml(value, size=16)}</w:p>"
            )

        end = bar_end(element.percent)
        cuts = sorted({0, BAR_TWIPS, end, *marks})
        cells = [chart_cell(LABEL_TWIPS, 1, "", "", text(f"{element.number} {element.title}"), pad)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            fill = FILLS[element.status] if b <= end else EMPTY_FILL
            cells.append(chart_cell(b - a, column[b] - column[a], fill, marks.get(a, ""), empty))
        cells.append(chart_cell(VALUE_TWIPS, 1, "", "", text(" " + element.shown)))
        rows.append(
            '<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="400"/></w:trPr>'
            + "".join(cells)
            + "</w:tr>"
        )
    total = sum(grid)
    return clean(
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
        + "</w:tblGrid>"
        + "".join(rows)
        + "</w:tbl>"
    )


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


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from a JPEG's start-of-frame segment, or None."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return (width, height) if width and height else None
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


class Photos:
    """Embeds photos in the document being built: each file once (python-docx reuses an image
    part by its hash), shown scaled down to fit, under every question it supports."""

    def __init__(self, doc: DocumentObject, report: Report) -> None:
        self.part = doc.part
        self.blob = report.blob
        self.count = 0
        # By SHA-256: a photo supporting several answers is read and measured once.
        self.images: dict[str, tuple[str, Image] | None] = {}

    def image(self, data: bytes) -> tuple[str, Image] | None:
        """The relationship id and image of ``data``, added to the package once."""
        try:
            return self.part.get_or_add_image(io.BytesIO(data))
        except (InvalidImageStreamError, UnexpectedEndOfFileError):
            return None  # a damaged file: listed with its hash, not shown
        except UnrecognizedImageError:
            pass
        # python-docx knows a JPEG only by a JFIF or Exif header; many cameras and scanners
        # write neither, so the size is read from the frame header instead.
        size = jpeg_size(data)
        if size is None:
            return None
        image = Image(data, "photo.jpg", Jpeg(size[0], size[1], 72, 72))
        parts = self.part.package.image_parts
        part = parts._get_by_sha1(image.sha1) or parts._add_image_part(image)
        return self.part.relate_to(part, RT.IMAGE), image

    def xml(self, item: EvidenceLine) -> str:
        """The photo of ``item`` and its caption, or "" when it is not an image Word shows."""
        if not is_photo(item):
            return ""
        if item.sha256 not in self.images:
            data = self.blob(item.sha256)
            self.images[item.sha256] = self.image(data) if photo_type(data) else None
        found = self.images[item.sha256]
        if found is None:
            return ""
        rid, image = found
        width, height = image.width, image.height
        scale = min(1.0, PHOTO_WIDTH / max(width, 1), PHOTO_HEIGHT / max(height, 1))
        self.count += 1
        # Drawing ids only need to be unique in the document; nothing else here uses them.
        inline = CT_Inline.new_pic_inline(
            1000 + self.count,
            rid,
            clean(item.filename) or "photo",
            Emu(int(width * scale)),
            Emu(int(height * scale)),
        )
        drawing = etree.tostring(inline, encoding="unicode")
        who = f" ({item.subject})" if item.subject else ""
        caption = f"Photo {self.count}{who}: {item.caption or item.filename}"
        return (
            f'<w:p><w:pPr><w:keepNext/><w:spacing w:before="60" w:after="0"/></w:pPr>'
            f"<w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>"
            + para_xml(run_xml(caption), "Caption")
        )


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


def bookmark(name: str, number: int) -> tuple[str, str]:
    """The start and end of a bookmark, which a contents entry's page number points at."""
    return (
        f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>',
        f'<w:bookmarkEnd w:id="{number}"/>',
    )


def element_anchor(number: int) -> str:
    return f"_TocElement{number}"


def toc_xml(headings: list[tuple[int, str, str]]) -> str:
    """A table of contents field (headings 1-2). Until it is updated it lists the headings,
    each linked to its bookmark; Word rebuilds it with page numbers when it opens the file
    (``updateFields``; LibreOffice: Tools → Update → Update All)."""
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    paragraphs = []
    for n, (level, text, anchor) in enumerate(headings):
        indent = '<w:ind w:left="440"/>' if level > 1 else ""
        paragraphs.append(
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="40"/>{indent}</w:pPr>'
            f'{begin if n == 0 else ""}<w:hyperlink w:anchor="{anchor}" w:history="1">'
            f"{run_xml(text)}</w:hyperlink></w:p>"
        )
    paragraphs.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    return clean("".join(paragraphs))


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


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>auditkit</Application><DocSecurity>0</DocSecurity>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
THUMBNAIL_REL = re.compile(r'<Relationship [^>]*Target="docProps/thumbnail\.jpeg"/>')


def settings(text: str) -> str:
    """Word 2013+ layout (not Word 2010 compatibility mode), no preview picture saved, and
    fields (the table of contents) brought up to date when Word opens the file."""
    text = text.replace(
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/'
        'office/word" w:val="14"/>',
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/'
        'office/word" w:val="15"/>',
    ).replace("<w:savePreviewPicture/>", "")
    return text.replace("<w:compat>", '<w:updateFields w:val="true"/><w:compat>', 1)


def splice_blocks(text: str, blocks: dict[str, str]) -> str:
    """``text`` (word/document.xml) with each placeholder's paragraph replaced by its block."""
    for placeholder, block in blocks.items():
        mark = text.index(placeholder)
        start = max(text.rfind("<w:p>", 0, mark), text.rfind("<w:p ", 0, mark))
        end = text.index("</w:p>", mark) + len("</w:p>")
        text = text[:start] + block + text[end:]
    return text


def splice(document: bytes, blocks: dict[str, str]) -> bytes:
    """``document`` with each placeholder paragraph replaced by its block, and the package
    finished: the template's thumbnail and application properties dropped, settings set.

    Tens of thousands of answer paragraphs would cost seconds as python-docx objects (parse,
    proxies, serialisation); as text spliced into word/document.xml they cost a string copy.
    """
    source = zipfile.ZipFile(io.BytesIO(document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            name = info.filename
            if name == "docProps/thumbnail.jpeg":
                continue
            data = source.read(info)
            if name == "word/document.xml":
                data = splice_blocks(data.decode(), blocks).encode()
            elif name == "word/settings.xml":
                data = settings(data.decode()).encode()
            elif name == "docProps/app.xml":
                data = APP_XML.encode()
            elif name == "_rels/.rels":
                data = THUMBNAIL_REL.sub("", data.decode()).encode()
            # Photos are compressed already: stored as they are, they cost a copy, not a pass.
            method = zipfile.ZIP_STORED if name.startswith("word/media/") else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compress_type=method)
    return out.getvalue()


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
