"""Evidence and amendments in the report: every format read back as its reader shows it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table

from auditkit.audit import Audit
from auditkit.export import render
from auditkit.rules.attachments import add_evidence
from auditkit.rules.finalize import finalize
from tests.conftest import write_missing_sfis
from tests.export.conftest import NAME
from tests.export.test_export_text import markdown_as_html, read_html

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8  # 2,056 bytes
SCAN = b"%PDF-1.4 signed policy"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    photo, scan = tmp_path / "kit.png", tmp_path / "policy.pdf"
    photo.write_bytes(PHOTO)
    scan.write_bytes(SCAN)
    return photo, scan


DEVIATION = "The CP agreed to a smaller sample: one supervisor and one worker on shift."


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def docx_text(audit: Audit) -> str:
    """The Word report's paragraphs and table cells in document order, as one line."""
    parts = []
    for block in Document(io.BytesIO(render(audit, "docx"))).iter_inner_content():
        if isinstance(block, Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
        elif block._p.xpath("./w:hyperlink[starts-with(@w:anchor, '_Toc')]"):
            continue  # an entry of the table of contents, which repeats the headings
        else:
            parts.append(block.text)
    return " ".join(" ".join(parts).split())


def seen(audit: Audit) -> dict[str, str]:
    """What a reader sees in each report format, as one line of text."""
    return {
        "html": read_html(render(audit, "html")).visible,
        "md": markdown_as_html(audit).visible,
        "docx": docx_text(audit),
    }


def section(text: str, heading: str, end: str | None = None) -> str:
    start = text.index(heading)
    return text[start : text.index(end, start)] if end else text[start:]


def test_each_question_lists_its_evidence_and_the_appendix_every_file(
    complete: Audit, files: tuple[Path, Path]
) -> None:
    photo, scan = files
    add_evidence(complete, "8.O1", [photo], subject="Yard", caption="first aid kit")
    add_evidence(complete, "1.D1", [scan, photo], caption="policy & kit")
    add_evidence(complete, "1.I1", [scan], subject=NAME)
    for fmt, text in seen(complete).items():
        questions = section(text, "Questions", "Incident review")
        assert (
            f"Evidence (Yard): kit.png — “first aid kit” · 2.0 KB · SHA-256 {sha(PHOTO)[:12]}"
        ) in questions, fmt
        assert (
            f"Evidence: policy.pdf — “policy & kit” · 22 B · SHA-256 {sha(SCAN)[:12]}" in questions
        ), fmt
        assert "Evidence (Worker 1): policy.pdf" in questions, fmt
        appendix = section(text, "Appendix: evidence files")
        assert "2 files, stored in the audit file" in appendix, fmt
        # File, size, the answers it supports, the full SHA-256 the bundle's manifest holds.
        assert f"kit.png 2.0 KB 8.O1 (Yard); 1.D1 {sha(PHOTO)}" in appendix, fmt
        assert f"policy.pdf 22 B 1.D1; 1.I1 (Worker 1) {sha(SCAN)}" in appendix, fmt
        assert NAME not in text, fmt


def test_the_bundle_holds_the_files_the_appendix_lists(
    complete: Audit, files: tuple[Path, Path]
) -> None:
    photo, scan = files
    add_evidence(complete, "1.D1", [scan, photo])
    add_evidence(complete, "8.O1", [photo], subject="Shop", caption="kit")
    shop = complete.find_subject("Shop").id
    with zipfile.ZipFile(io.BytesIO(render(complete, "bundle"))) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        stored = {
            f["sha256"]: (f["name"], f["supports"], bundle.read(f["name"]))
            for f in manifest["files"]
            if f["kind"] == "evidence"
        }
    assert stored == {
        sha(SCAN): (
            f"evidence/{sha(SCAN)[:12]}-policy.pdf",
            [{"question": "1.D1", "subject": "", "caption": ""}],
            SCAN,
        ),
        sha(PHOTO): (
            f"evidence/{sha(PHOTO)[:12]}-kit.png",
            [
                {"question": "1.D1", "subject": "", "caption": ""},
                {"question": "8.O1", "subject": shop, "caption": "kit"},
            ],
            PHOTO,
        ),
    }


def test_without_evidence_the_appendix_says_so(half: Audit) -> None:
    for fmt, text in seen(half).items():
        assert "No evidence files are attached to this audit." in text, fmt
        assert "Evidence (" not in text and "Evidence:" not in text, fmt


@pytest.mark.parametrize("fixture", ["complete", "half"])
def test_a_report_not_finalized_says_it_is_not_final(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    audit = request.getfixturevalue(fixture)
    for fmt, text in seen(audit).items():
        assert "Report status Not final — the audit has not been finalized" in text, fmt
        assert "Auditor sign-off Not final — the audit has not been finalized" in text, fmt
        assert "Amendments" not in text, fmt
        assert ("DRAFT — 4 of 8 scored items unanswered" in text) == (fixture == "half"), fmt


def test_a_finalized_report_lists_every_amendment(
    complete: Audit, files: tuple[Path, Path]
) -> None:
    write_missing_sfis(complete)
    finalize(complete, deviation=DEVIATION)
    at = complete.profile["finalized_at"]
    shown_at = f"{at[:10]} {at[11:16]} UTC"
    for fmt, text in seen(complete).items():
        assert f"Report status Final — finalized {shown_at}; not changed since" in text, fmt
        assert f"No change since the audit was finalized on {shown_at}." in text, fmt
    complete.author = "dana"
    with complete.amending("policy found unsigned"):
        complete.answer("1.D1", "2")
    with complete.amending("worker re-interviewed"):
        complete.answer("1.I1", "no", subject=NAME, note="named the policy")
    with complete.amending("photo of the kit"):
        add_evidence(complete, "8.O1", [files[0]], subject="Yard")
    for fmt, text in seen(complete).items():
        assert "Final — finalized" in text and "amended 3 times since (see Amendments)" in text
        amended = section(text, "Amendments When", "Auditor sign-off")
        assert "When Who What changed Reason" in amended, fmt
        rows = [
            "dana answer 1.D1: 7 -> 2 policy found unsigned",
            "dana answer 1.I1 for Worker 1: partial, note 'could not name the policy' -> "
            "no, note 'named the policy' worker re-interviewed",
            "dana attached 'kit.png' to 8.O1 for Yard photo of the kit",
        ]
        positions = [amended.index(row) for row in rows]
        assert positions == sorted(positions), fmt  # oldest first
        assert amended.count(" UTC dana ") == 3, fmt
        assert NAME not in text, fmt


def test_an_amended_interviewee_is_named_by_code_only(complete: Audit) -> None:
    write_missing_sfis(complete)
    finalize(complete, deviation=DEVIATION)
    worker = complete.find_subject(NAME)
    with complete.amending("name typed by mistake"):
        complete.update_subject(worker.id, label="Jane D.")
    with complete.amending("one more worker"):
        complete.add_subject("interviewee", "John Roe", role="worker")
    for fmt, text in seen(complete).items():
        amended = section(text, "Amendments When", "Auditor sign-off")
        assert "changed Worker 1: label changed name typed by mistake" in amended, fmt
        assert "added Worker 2 one more worker" in amended, fmt
        for name in (NAME, "Jane D.", "John Roe"):
            assert name not in text, (fmt, name)
