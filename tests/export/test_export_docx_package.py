"""The Word file as Word itself checks it: schema element order, document properties, the
chart's exact bars, the contents field, what is kept together, and embedded photos."""

from __future__ import annotations

import base64
import io
import re
import struct
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from docx import Document
from lxml import etree  # type: ignore[import-untyped]

from auditkit.audit import Audit
from auditkit.export import docx as word
from auditkit.export import render, wordml
from auditkit.export.report import build
from auditkit.rules.attachments import add_evidence

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}

# The sequences of ECMA-376 Part 1 (wml.xsd): CT_TcPr, CT_PPr (+ CT_PPrBase), CT_RPr and
# CT_ParaRPr (EG_RPrBase), CT_TblPr, CT_SectPr. Written out here, not taken from the code.
SEQUENCES = {
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
    "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern "
    "position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath rPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar "
    "paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
    "textDirection bidi rtlGutter docGrid printerSettings sectPrChange",
}


def png(width: int, height: int, seed: int = 0) -> bytes:
    """A real PNG (noise, so it does not compress away) of ``width`` × ``height`` pixels."""
    raw = b"".join(
        b"\x00" + bytes((x * 7 + y * 13 + seed * 31) % 251 for x in range(width * 3))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 0))
        + chunk(b"IEND", b"")
    )


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def test_every_property_element_is_in_schema_order(complete: Audit, tmp_path: Path) -> None:
    photo = tmp_path / "kit.png"
    photo.write_bytes(png(40, 30))
    add_evidence(complete, "8.O1", [photo], subject="Yard", caption="first aid kit")
    files = parts(render(complete, "docx"))
    checked = 0
    for name, data in files.items():
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        root = etree.fromstring(data)
        for kind, sequence in SEQUENCES.items():
            order = sequence.split()
            for element in root.iter(W + kind):
                children = [local(child.tag) for child in element if child.tag.startswith(W)]
                unknown = [c for c in children if c not in order]
                assert not unknown, (name, kind, children)
                ranks = [order.index(c) for c in children]
                assert ranks == sorted(ranks), f"{name}: w:{kind} has {children}"
                checked += 1
    assert checked > 500  # the chart's cells, the tables, every paragraph: all were walked


def test_document_properties_come_from_the_audit(complete: Audit) -> None:
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    data = render(complete, "docx")
    after = datetime.now(UTC) + timedelta(seconds=1)
    props = Document(io.BytesIO(data)).core_properties
    assert props.title == build(complete).title
    assert props.author == ", ".join(complete.auditors) and props.author
    created = props.created.replace(tzinfo=UTC)
    assert before <= created <= after
    files = parts(data)
    assert "docProps/thumbnail.jpeg" not in files
    assert b"thumbnail" not in files["_rels/.rels"]
    for name in ("docProps/core.xml", "docProps/app.xml"):
        text = files[name].decode()
        for leftover in ("python-docx", "2013-", "Microsoft Macintosh Word", "Normal.dotm"):
            assert leftover not in text, (name, leftover)
    settings = files["word/settings.xml"].decode()
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" ' in (
        settings
    )
    assert 'w:val="15"' in settings and 'w:val="14"' not in settings


def chart_rows(data: bytes) -> list[tuple[str, int, int]]:
    """(label, filled width, the mark's position) of every chart row, in twips."""
    root = etree.fromstring(parts(data)["word/document.xml"])
    rows = []
    for row in root.iterfind(".//w:tbl/w:tr", NS):
        cells = row.findall("w:tc", NS)
        fills = [c.find("w:tcPr/w:shd", NS) for c in cells]
        if not row.xpath("w:tc/w:tcPr/w:tcBorders/w:top[@w:color='FFFFFF']", namespaces=NS):
            continue  # not a bar: the bars are separated by white borders
        filled, x, marks = 0, 0, []
        for cell, fill in zip(cells[1:-1], fills[1:-1], strict=True):
            width = int(cell.find("w:tcPr/w:tcW", NS).get(W + "w"))
            if cell.find("w:tcPr/w:tcBorders/w:left", NS) is not None:
                marks.append(x)
            if fill is not None and fill.get(W + "fill") != wordml.EMPTY_FILL:
                filled += width
            x += width
        rows.append(("".join(cells[0].itertext()), filled, max(marks)))
    return rows


def test_a_failing_bar_stops_short_of_the_pass_line(complete: Audit) -> None:
    report = build(complete)
    first = report.elements[0]
    shown = (77.7, 79.99, 80.0, 81.3, 100.0, 0.0)
    elements = tuple(
        replace(first, number=n, title=f"E{n}", percent=value, shown=f"{value} %")
        for n, value in enumerate(shown, 1)
    )
    data = word.render(replace(report, elements=elements))
    rows = chart_rows(data)
    assert len(rows) == len(shown)
    for (label, filled, mark), value in zip(rows, shown, strict=True):
        assert mark == report.overall_mark * wordml.BAR_TWIPS // 100, label
        assert abs(filled - value * wordml.BAR_TWIPS / 100) < 1, label  # exact to the twip
        assert (filled < mark) == (value < report.overall_mark), label


def test_the_markdown_chart_never_draws_a_failing_bar_to_the_mark(complete: Audit) -> None:
    from auditkit.export import markdown

    report = build(complete)
    line = replace(report.elements[0], percent=77.7)
    bar = markdown.bar(line)
    mark_column = report.overall_mark * markdown.BAR_WIDTH // 100
    assert bar[mark_column - 1] not in "█"  # the cell before the mark is not full
    assert bar.count("█") == 15 and bar[15] == "▌"
    assert markdown.bar(replace(line, percent=80.0)).count("█") == mark_column


def test_a_contents_field_lists_the_headings(half: Audit) -> None:
    root = etree.fromstring(parts(render(half, "docx"))["word/document.xml"])
    instructions = " ".join(root.xpath("//w:instrText/text()", namespaces=NS))
    assert 'TOC \\o "1-2"' in instructions
    entries = [
        "".join(p.xpath("w:hyperlink//w:t/text()", namespaces=NS))
        for p in root.xpath("//w:p[w:hyperlink[@w:anchor]]", namespaces=NS)
    ]
    assert entries[:2] == ["Executive summary", "Strengths"]
    assert "5 Hazard Assessment" in entries and "Auditor sign-off" in entries
    anchors = set(root.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    assert set(root.xpath("//w:hyperlink/@w:anchor", namespaces=NS)) <= anchors
    assert "updateFields" in parts(render(half, "docx"))["word/settings.xml"].decode()


def test_the_sign_off_heading_stays_with_its_table(half: Audit) -> None:
    doc = Document(io.BytesIO(render(half, "docx")))
    body = list(doc.iter_inner_content())
    start = next(
        i
        for i, b in enumerate(body)
        if getattr(b, "text", "") == "Auditor sign-off" and b.style.name == "Heading 1"
    )
    table_at = next(i for i in range(start, len(body)) if hasattr(body[i], "rows"))
    assert body[start].style.paragraph_format.keep_with_next
    for paragraph in body[start + 1 : table_at]:
        assert paragraph.paragraph_format.keep_with_next, paragraph.text
    table = body[table_at]
    for row in table.rows[:-1]:
        assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)


def test_photos_are_embedded_under_their_question_with_a_caption(
    complete: Audit, tmp_path: Path
) -> None:
    image = png(600, 400)
    photo = tmp_path / "extinguisher.png"
    photo.write_bytes(image)
    add_evidence(complete, "8.O1", [photo], subject="Yard", caption="Extinguisher tag current")
    add_evidence(complete, "5.D1", [photo])  # the same file for a second answer
    data = render(complete, "docx")
    files = parts(data)
    media = [name for name in files if name.startswith("word/media/")]
    assert len(media) == 1 and files[media[0]] == image  # stored once, byte for byte
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    pictures = [i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic")]
    assert len(pictures) == 2
    question_at = next(i for i, t in enumerate(texts) if t.startswith("8.O1 "))
    next_question = next(
        i
        for i in range(question_at + 1, len(texts))
        if re.match(r"\d+\.[A-Z]+\d+  ", texts[i]) or texts[i] == "Incident review"
    )
    assert any(question_at < i < next_question for i in pictures)
    caption = texts[pictures[-1] + 1] if pictures[-1] > question_at else ""
    assert caption == "Photo 2 (Yard): Extinguisher tag current"
    assert doc.paragraphs[pictures[-1] + 1].style.name == "Caption"
    shape = doc.inline_shapes[0]
    assert shape.width <= wordml.PHOTO_WIDTH and shape.height <= wordml.PHOTO_HEIGHT
    assert abs(shape.width / shape.height - 1.5) < 0.01  # scaled, not stretched

    html = render(complete, "html").decode()
    uri = "data:image/png;base64," + base64.b64encode(image).decode()
    assert html.count(uri) == 2
    assert "<figcaption>Photo 2 (Yard): Extinguisher tag current</figcaption>" in html


def test_photos_grow_the_word_file_by_no_more_than_their_bytes(
    complete: Audit, tmp_path: Path
) -> None:
    without = len(render(complete, "docx"))
    images = [png(300, 200, seed) for seed in range(4)]
    for n, image in enumerate(images):
        path = tmp_path / f"p{n}.png"
        path.write_bytes(image)
        add_evidence(complete, "8.O1", [path], subject="Yard")
        add_evidence(complete, "5.O1", [path], subject="Yard")  # each shown twice
    grown = len(render(complete, "docx")) - without
    assert grown <= sum(len(i) for i in images) + 2_000 * 8  # 8 pictures' markup and captions


def test_a_jpeg_without_jfif_or_exif_header_is_measured_from_its_frame() -> None:
    frame = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 480, 640) + b"\x03" + b"\x00" * 9
    table = b"\xff\xdb\x00\x04\x00\x00"
    assert wordml.jpeg_size(b"\xff\xd8" + table + frame + b"\xff\xd9") == (640, 480)
    assert wordml.jpeg_size(b"not a jpeg") is None
