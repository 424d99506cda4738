"""The Word report, read back with python-docx as Word would show it."""

from __future__ import annotations

import io

from docx import Document

from auditkit.audit import Audit
from auditkit.export import render
from auditkit.export.report import build
from tests.export.conftest import NAME, XSS


def open_docx(audit: Audit):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(render(audit, "docx")))


def body_text(doc) -> str:  # type: ignore[no-untyped-def]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_real_headings_and_tables(half: Audit) -> None:
    doc = open_docx(half)
    headings = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith("Head")}
    assert headings["Executive summary"] == "Heading 1"
    assert headings["Questions"] == "Heading 1"
    assert "Heading 2" in {s for t, s in headings.items() if t.startswith("5 Hazard Assessment")}
    elements = next(t for t in doc.tables if t.rows[0].cells[0].text == "#")
    rows = [[c.text for c in r.cells] for r in elements.rows[1:]]
    assert rows[0][:4] == [
        "1",
        "Management Leadership and Organizational Commitment",
        "12 / 20",
        "60.0 %",
    ]


def test_notes_and_answers_are_in_the_question_section(half: Audit) -> None:
    text = body_text(open_docx(half))
    assert XSS in text
    assert "Shop: Partial — @SUM(A1)" in text
    assert "Worker 1: Partial" in text and NAME not in text


def test_draft_and_protocol_footer_on_every_page(half: Audit) -> None:
    doc = open_docx(half)
    report = build(half)
    for section in doc.sections:
        assert "DRAFT — 4 of 8 scored items unanswered" in section.header.paragraphs[0].text
        footer = section.footer.paragraphs[0].text
        assert report.footer in footer and half.protocol.sha256 in footer
        assert "DRAFT" in footer


def test_complete_audit_has_no_draft_mark(complete: Audit) -> None:
    doc = open_docx(complete)
    assert "DRAFT" not in body_text(doc)
    assert all("DRAFT" not in s.header.paragraphs[0].text for s in doc.sections)
    assert complete.protocol.sha256 in doc.sections[0].footer.paragraphs[0].text


def test_control_characters_in_a_note_do_not_break_the_document(half: Audit) -> None:
    half.answer("1.D1", "7", note="bell\x07 and form feed\x0c")
    assert "bell and form feed" in body_text(open_docx(half))
