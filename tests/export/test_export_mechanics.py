"""The report of a second-edition audit: criteria with their parts by technique, % positive
indicators for interview parts, cascaded items labelled — the same in every format."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.cli import main
from tests.conftest import FIXTURES


@pytest.fixture
def mech_audit(tmp_path: Path) -> Path:
    path = tmp_path / "mech.audit"
    profile = Profile(
        company="Foothills Roofing Ltd", protocol=str(FIXTURES / "mechanics"), sites=("Yard",)
    )
    with Audit.create(path, profile, author="Pat Lee") as audit:
        for label in ("W1", "W2", "W3"):
            audit.add_subject("interviewee", label, role="worker")
        audit.answer("1.1-D", "yes", note="Policy signed 2026-01-12 by the president")
        audit.answer("1.1-I", "yes", subject="W1")
        audit.answer("1.1-I", "yes", subject="W2")
        audit.answer("1.1-I", "no", subject="W3", note="Could not say where it is posted")
        audit.answer("2.1-D", "no", note="No formal hazard assessment for roofing crews")
    return path


def test_markdown_shows_parts_by_technique_and_cascades(mech_audit: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert main(["export", str(mech_audit), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text()
    criterion = text.index("**1.1** A written health and safety policy")
    block = text[criterion : text.index("**1.2**")]
    assert "**8 / 10** · Criterion · documentation, interview" in block  # (1 + 2/3) / 2 of 10
    assert "> **1.1-D** Is the policy signed" in block and "compliance 100.0 %" in block
    assert "> **1.1-I**" in block and "**2 of 3 positive (66.7 %)** · Staff interviews" in block
    assert "Worker 3: No — Could not say where it is posted" in block
    assert "**0 / 10 by cascade from 2.1** · Criterion" in text
    assert "**0 / 10 by cascade from 2.1** · Document review" in text  # 2.4
    assert "**N/A by cascade from 2.1** · Infrastructure inspection" in text  # 2.5
    assert "not scored: by cascade from 2.1" in text  # 2.2's parts


def test_html_and_word_say_the_same(mech_audit: Path, tmp_path: Path) -> None:
    html, docx = tmp_path / "r.html", tmp_path / "r.docx"
    assert main(["export", str(mech_audit), "--format", "html", "-o", str(html)]) == 0
    assert main(["export", str(mech_audit), "--format", "docx", "-o", str(docx)]) == 0
    page = html.read_text()
    assert '<div class=parts><div class="q"><div><span class="id">1.1-D</span>' in page
    assert "2 of 3 positive (66.7 %)" in page and "N/A by cascade from 2.1" in page
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode()
    assert "2 of 3 positive (66.7 %)" in body and "0 / 10 by cascade from 2.1" in body


def test_spreadsheets_count_a_criterion_once(
    mech_audit: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Summing the points of the xlsx Questions sheet or of the CSV by element gives the score:
    a criterion is one row of the sheet, and its points stand on one CSV row, not one per part."""
    import csv
    import io
    import json

    from openpyxl import load_workbook

    assert main(["score", str(mech_audit), "--json"]) == 0
    score = json.loads(capsys.readouterr().out)
    expected = {e["id"]: [e["awarded"], e["possible"]] for e in score["elements"] if e["possible"]}
    xlsx, table = tmp_path / "m.xlsx", tmp_path / "m.csv"
    assert main(["export", str(mech_audit), "--format", "xlsx", "-o", str(xlsx)]) == 0
    assert main(["export", str(mech_audit), "--format", "csv", "-o", str(table)]) == 0
    rows = list(load_workbook(xlsx)["Questions"].iter_rows(values_only=True))
    sheet: dict[str, list[int]] = {}
    for element, _, _, awarded, possible, *_ in rows[1:]:
        if awarded is not None:
            sums = sheet.setdefault(str(element), [0, 0])
            sums[0], sums[1] = sums[0] + int(awarded), sums[1] + int(possible)  # type: ignore[call-overload]
    assert sheet == expected
    assert len(rows) - 1 == score["questions"]  # one row per scored item
    assert "1.1-D" not in [r[1] for r in rows] and "1.1" in [r[1] for r in rows]
    reader = csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig")))
    points = sum(int(r["question points possible"] or 0) for r in reader)
    assert points == score["overall"]["possible"]
