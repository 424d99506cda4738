"""WordprocessingML written as text for the Word report: what python-docx has no API for, or
would take seconds to build as objects.

The element chart (a grid with a column edge wherever a bar ends or a pass mark stands, so each
bar is exactly as wide as its score), the table of contents field, photos (each file embedded
once, scaled down to fit, with a caption), and the finishing of the saved package: the
placeholders replaced, the template's thumbnail and application properties dropped, Word 2013+
layout, fields updated on opening. Every property element is written in the schema's order.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from docx.document import Document as DocumentObject
from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.image.image import Image
from docx.image.jpeg import Jpeg
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu
from lxml import etree  # type: ignore[import-untyped]

from auditkit.export.report import Report
from auditkit.export.trail import EvidenceLine, is_photo, photo_type

# Characters XML 1.0 cannot hold; python-docx refuses them, so they are dropped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FILLS = {"Meets": "2E7D4F", "Below minimum": "B3261E", "Not scored": "9AA4B1"}
EMPTY_FILL = "EEF2F7"
# The chart's bar is 5,000 twentieths of a point (8.8 cm) wide: 50 per percent, so a pass mark
# falls on a whole unit and a bar that ends below it (77.7 %: 3,885) always ends before its line.
BAR_TWIPS = 5000
LABEL_TWIPS, VALUE_TWIPS = 3200, 1000
PHOTO_WIDTH, PHOTO_HEIGHT = Cm(11), Cm(7.5)  # the largest a photo is shown; never enlarged


def clean(text: object) -> str:
    return NOT_XML.sub("", str(text))


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
