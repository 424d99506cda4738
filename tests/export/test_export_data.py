"""CSV and JSON exports read back with the csv and json modules, and JSON imported again."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.export import export, render
from auditkit.export.jsonio import import_audit
from auditkit.rules.scoring import scores_to_json
from auditkit.store.audit_file import Store
from tests.export.conftest import FORMULA, XSS


def read_csv(audit: Audit) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render(audit, "csv").decode("utf-8-sig"))))


def test_csv_has_one_row_per_answer_and_per_unanswered_question(half: Audit) -> None:
    rows = read_csv(half)
    answered = [r for r in rows if r["answer"]]
    assert len(answered) == len(half.answers()) == 5
    empty = [r for r in rows if not r["answer"]]
    assert {r["question"] for r in empty} == {"8.D1", "5.O1", "5.I1", "5.R1"}
    assert all(r["question status"] == "unanswered" and not r["subject"] for r in empty)
    yard = next(r for r in rows if r["question"] == "8.O1" and r["subject"] == "Yard")
    assert (yard["element"], yard["component"], yard["answer"]) == ("8", "infrastructure", "Yes")
    assert (yard["question points awarded"], yard["question points possible"]) == ("8", "10")
    assert yard["note"] == "'-2 kits short\nsecond line"


def test_csv_percent_is_numeric_and_points_sum_to_the_score(complete: Audit) -> None:
    rows = read_csv(complete)
    percent = {(r["question"], r["subject"]): r["percent"] for r in rows}
    assert percent[("8.O1", "Shop")] == "50" and percent[("8.O1", "Yard")] == "100"
    assert percent[("1.D1", "")] == "70"  # 7 of 10 points
    assert percent[("8.D1", "")] == ""  # N/A
    by_element: dict[str, list[int]] = {}
    for r in rows:  # a pivot by element: every row summed, points counted once per question
        sums = by_element.setdefault(r["element"], [0, 0])
        sums[0] += int(r["question points awarded"] or 0)
        sums[1] += int(r["question points possible"] or 0)
    expected = {
        str(e.number): [e.awarded, e.possible] for e in complete.score().elements if e.possible
    }
    assert {k: v for k, v in by_element.items() if v[1]} == expected
    assert len([r for r in rows if r["question"] == "8.O1"]) == 2


def test_csv_neutralises_formula_cells(half: Audit) -> None:
    notes = {r["question"] + r["subject"]: r["note"] for r in read_csv(half)}
    assert notes["5.D1"] == "'" + FORMULA
    assert notes["8.O1Shop"] == "'@SUM(A1)"
    assert notes["1.D1"] == XSS  # not a formula: left as typed
    cells = [c for r in read_csv(half) for c in r.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def round_trip(audit: Audit, tmp_path: Path) -> Audit:
    exported = export(audit, "json", tmp_path / "out.json")
    import_audit(exported, tmp_path / "copy.audit")
    return Audit.open(tmp_path / "copy.audit")


def test_json_round_trip_is_lossless(half: Audit, tmp_path: Path) -> None:
    half.update_profile(wcb_account="8412339", completed_courses=["lse"])
    with round_trip(half, tmp_path) as copy:
        assert scores_to_json(copy.score()) == scores_to_json(half.score())
        assert copy.answers() == half.answers()  # values, notes, authors, times
        assert copy.subjects() == half.subjects()  # labels, roles, incident fields
        assert copy.profile == half.profile
        assert copy.store.protocol_files() == half.store.protocol_files()
        assert [e.hash for e in copy.store.journal()] == [e.hash for e in half.store.journal()]


def test_json_document_shape(half: Audit) -> None:
    data = json.loads(render(half, "json"))
    assert data["format"] == "auditkit-audit" and data["format_version"] == 1
    assert data["audit"]["auditors"] == ["Pat Lee"]
    assert data["protocol"]["sha256"] == half.protocol.sha256
    assert {r["note"] for r in data["tables"]["answers"]} >= {XSS, FORMULA}
    assert data["scores"] == scores_to_json(half.score())


def test_the_imported_copy_can_be_worked_on(half: Audit, tmp_path: Path) -> None:
    with round_trip(half, tmp_path) as copy:
        copy.close()
    with Audit.open(tmp_path / "copy.audit", write=True) as copy:
        copy.answer("8.D1", "yes")
        assert copy.score().answered == half.score().answered + 1


def tampered(half: Audit, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(render(half, "json"))
    change(data)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["tables"]["answers"][0].update(value="maybe"), "'maybe' for question 1.D1"),
        (lambda d: d["tables"]["answers"][0].update(question_id="9.Z9"), "no such question"),
        (lambda d: d["scores"]["overall"].update(awarded=999), "scores recomputed"),
        (lambda d: d["protocol"]["files"].update({"documents.yaml": "id: x\n"}), "protocol"),
        (lambda d: d.update(format="other"), "not an auditkit JSON export"),
        (lambda d: d["tables"]["answers"][0].update(colour="red"), "unknown column 'colour'"),
        (lambda d: d["schema"].append("m999_future"), "newer auditkit"),
        (
            lambda d: d["tables"]["journal"][2].update(after='{"value":"9","note":""}'),
            "the journal does not verify: journal entry #3",
        ),
        (lambda d: d["tables"]["journal"].pop(1), "does not follow the entry before it"),
        (
            lambda d: d["tables"]["answers"][0].update(note="changed after export"),
            "the rows do not match the journal: answer 1.D1: note",
        ),
    ],
)
def test_a_bad_json_is_refused_and_writes_nothing(
    half: Audit,
    tmp_path: Path,
    change,  # type: ignore[no-untyped-def]
    message: str,
) -> None:
    source = tampered(half, tmp_path, change)
    with pytest.raises(AuditkitError) as refused:
        import_audit(source, tmp_path / "new.audit")
    assert message in str(refused.value) and str(source) in str(refused.value)
    assert not (tmp_path / "new.audit").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".new", "new"))]


def test_import_refuses_an_existing_audit(half: Audit, tmp_path: Path) -> None:
    source = export(half, "json", tmp_path / "out.json")
    before = Store.open(half.path).dump()
    with pytest.raises(AuditkitError, match="already exists; use --force"):
        import_audit(source, Path(half.path))
    assert Store.open(half.path).dump() == before
