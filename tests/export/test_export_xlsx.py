"""The Excel workbook read back with openpyxl, as a spreadsheet user would use it."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.export import render
from tests.export.conftest import FORMULA, NAME, XSS


def workbook(audit: Audit) -> Workbook:
    return load_workbook(io.BytesIO(render(audit, "xlsx")))


def records(book: Workbook, sheet: str) -> list[dict[str, object]]:
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_sheets_headers_frozen_and_filtered(half: Audit) -> None:
    book = workbook(half)
    assert book.sheetnames == ["Questions", "Answers", "Subjects", "Actions"]
    header = [c.value for c in book["Questions"][1]]
    assert header[:6] == ["element", "id", "text", "awarded", "possible", "percent"]
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet[1][0].font.bold
    assert book["Questions"].auto_filter.ref == f"A1:H{len(half.protocol.questions) + 1}"
    assert [c.value for c in book["Actions"][1]] == [
        "id", "item", "element", "priority", "text", "owner", "due", "status"
    ]  # fmt: skip


def test_summing_questions_by_element_gives_the_score(complete: Audit, capsys) -> None:  # type: ignore[no-untyped-def]
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in records(workbook(complete), "Questions"):
        if row["awarded"] is not None:
            sums[str(row["element"])][0] += int(row["awarded"])  # type: ignore[call-overload]
            sums[str(row["element"])][1] += int(row["possible"])  # type: ignore[call-overload]
    assert main(["score", str(complete.path), "--json"]) == 0
    score = json.loads(capsys.readouterr().out)
    expected = {e["id"]: [e["awarded"], e["possible"]] for e in score["elements"] if e["possible"]}
    assert dict(sums) == expected
    assert sum(a for a, _ in sums.values()) == score["overall"]["awarded"]


def test_cells_are_typed_and_na_or_unanswered_are_empty(half: Audit) -> None:
    half.answer("8.D1", "na")
    book = workbook(half)
    questions = {r["id"]: r for r in records(book, "Questions")}
    assert questions["1.D1"]["awarded"] == 7 and questions["1.D1"]["possible"] == 10
    assert questions["1.D1"]["percent"] == 70.0
    for empty in ("8.D1", "5.O1"):  # N/A, unanswered
        assert [questions[empty][k] for k in ("awarded", "possible", "percent")] == [None] * 3
    assert questions["8.D1"]["status"] == "na" and questions["5.O1"]["status"] == "unanswered"
    answers = records(book, "Answers")
    shop = next(r for r in answers if r["question"] == "8.O1" and r["subject"] == "Shop")
    assert shop["percent"] == 50.0 and isinstance(shop["updated"], datetime)
    assert next(r for r in answers if r["question"] == "8.D1")["percent"] is None
    points = next(r for r in answers if r["question"] == "1.D1")
    assert points["answer"] == "7 of 10 points" and points["percent"] == 70.0


def test_text_stays_text_and_interviewees_appear_by_code(half: Audit) -> None:
    book = workbook(half)
    notes = {(r["question"], r["subject"]): r["note"] for r in records(book, "Answers")}
    assert notes[("5.D1", None)] == FORMULA and notes[("1.D1", None)] == XSS
    assert notes[("8.O1", "Yard")] == "-2 kits short\nsecond line"
    cell = next(c for c in book["Answers"]["H"] if c.value == FORMULA)
    assert cell.data_type == "s"  # a string, not a formula
    seen = [v for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]
    assert NAME not in seen and "Worker 1" in seen
    subjects = {r["name"]: r for r in records(book, "Subjects")}
    assert subjects["Worker 1"]["role"] == "worker" and subjects["Worker 1"]["answers"] == 1


def test_export_command_writes_the_workbook(half_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", str(half_path), "--format", "xlsx"]) == 0
    target = half_path.with_suffix(".xlsx")
    assert f"wrote {target}" in capsys.readouterr().out
    assert load_workbook(target).sheetnames[0] == "Questions"


def test_control_characters_do_not_break_the_workbook(half: Audit) -> None:
    half.answer("1.D1", "7", note="bell\x07 and form feed\x0c")  # the first answer row
    half.answer("8.O1", "no", subject="Shop", note="tab\tstays, escape\x1b goes")
    notes = {r["question"]: r["note"] for r in records(workbook(half), "Answers")}
    assert notes["1.D1"] == "bell and form feed"
    assert "escape goes" in str(
        next(r["note"] for r in records(workbook(half), "Answers") if r["subject"] == "Shop")
    )
