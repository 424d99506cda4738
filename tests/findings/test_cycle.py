"""The three-year cycle: next year's audit from the last one, compare, and the report's section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.export import render
from auditkit.rules.lifecycle import date_warnings
from auditkit.store.audit_file import Store
from auditkit.team.verify import verify_file


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def last_year(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Last year's audit: 1.D1 half done with an open action, 8.D1 done, the Yard visited."""
    for args in (
        ("profile", audit_path, "--partner", "ACSA", "--auditor-number", "A-2041"),
        ("profile", audit_path, "--start-date", "2025-10-06", "--end-date", "2025-10-17"),
        ("answer", audit_path, "1.D1", "partial"),
        ("answer", audit_path, "8.D1", "no"),
        ("answer", audit_path, "8.O1", "yes", "--subject", "Yard"),
        ("finding", audit_path, "1.D1", "--sfi", "Post the signed policy at the shop."),
        ("finding", audit_path, "8.D1", "--sfi", "Hold and record a fire drill each year."),
        ("action", audit_path, "1.D1", "--owner", "Office manager", "--due", "2026-01-31"),
        ("action", audit_path, "8.D1", "--status", "done"),
    ):
        code, _, err = run(capsys, *args)
        assert code == 0, err
    return audit_path


def test_new_from_carries_the_employer_not_the_dates(
    last_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "year2.audit"
    code, out, err = run(capsys, "new", new, "--from", last_year)
    assert code == 0, err
    assert "maintenance audit" in out and "1 open action(s) carried" in out
    with Audit.open(new) as audit, Audit.open(last_year) as old:
        assert audit.profile["company"] == "Acme Ltd"
        assert audit.profile["partner"] == "ACSA"
        assert audit.profile["auditor_number"] == "A-2041"
        assert audit.auditors == ["Pat Lee"]
        assert audit.purpose == "maintenance"
        assert audit.profile["end_date"] in ("", None)
        assert audit.profile["start_date"] != "2025-10-06"
        assert audit.protocol.sha256 == old.protocol.sha256
        assert [s.label for s in audit.subjects("site")] == ["Yard", "Shop"]
        assert audit.answers() == []
    code, out, _ = run(capsys, "actions", new, "--json")
    (carried,) = json.loads(out)
    assert carried["id"] == "carried:1.D1" and carried["carried"] is True
    assert (carried["owner"], carried["status"]) == ("Office manager", "open")
    assert verify_file(new).ok
    report = render(Audit.open(new), "md").decode()
    assert "## Since the last audit" in report
    assert "Post the signed policy at the shop." in report
    assert "| Shop | not visited yet in this cycle |" in report
    assert "| Yard | 2025-10-06 |" in report
    code, out, _ = run(capsys, "sample", new)
    assert "not visited yet in this cycle (visit first): Shop" in out


def test_compare_json(last_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "year2.audit"
    run(capsys, "new", new, "--from", last_year, "--purpose", "recertification")
    run(capsys, "answer", new, "1.D1", "yes")
    code, out, _ = run(capsys, "compare", last_year, new, "--json")
    assert code == 0
    data = json.loads(out)
    leadership = next(e for e in data["elements"] if e["id"] == "leadership")
    assert (leadership["old"], leadership["new"], leadership["change"]) == (50.0, 100.0, 50.0)
    emergency = next(e for e in data["elements"] if e["id"] == "emergency")
    assert emergency["new"] is None and emergency["change"] is None
    assert set(data["overall"]) == {"old", "new", "change"}


@pytest.mark.parametrize("bad", ["missing", "not-an-audit", "company"])
def test_new_from_refusals_write_nothing(
    last_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    new = tmp_path / "year2.audit"
    source = last_year
    extra: list[object] = []
    if bad == "missing":
        source = tmp_path / "nowhere.audit"
    elif bad == "not-an-audit":
        source = tmp_path / "notes.audit"
        source.write_text("not sqlite")
    else:
        extra = ["--company", "Other Co"]
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(capsys, "new", new, "--from", source, *extra)
    # Two options that cannot go together are a usage error (2); a bad source is refused (1).
    assert code == (2 if bad == "company" else 1)
    assert err.startswith("error: ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_compare_refuses_another_employers_audit(
    last_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.audit"
    from tests.conftest import MINI

    run(capsys, "new", other, "--company", "Bolt Trucking Inc", "--protocol", MINI)
    code, out, err = run(capsys, "compare", last_year, other)
    assert code == 1 and "Bolt Trucking Inc" in err and out == ""


def test_bad_review_date_is_refused(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(audit_path) as store:
        before = store.dump()
    code, _, err = run(capsys, "profile", audit_path, "--review-start", "last spring")
    assert code == 1 and "last spring" in err
    with Store.open(audit_path) as store:
        assert store.dump() == before


def test_date_windows_are_warnings(audit: Audit) -> None:
    from datetime import date

    audit.update_profile(start_date="2026-01-05", end_date="2026-03-02")
    problems = date_warnings(audit, today=date(2026, 4, 1))
    assert [p["code"] for p in problems] == ["dates", "dates"]
    assert all(p["severity"] == "warning" for p in problems)
    assert "56 days" in problems[0]["message"] and "30 days" in problems[1]["message"]
    audit.update_profile(end_date="2026-01-20")
    assert date_warnings(audit, today=date(2026, 2, 1)) == []


def test_an_action_carried_twice_keeps_both(
    last_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year2, year3 = tmp_path / "year2.audit", tmp_path / "year3.audit"
    run(capsys, "new", year2, "--from", last_year)
    run(capsys, "answer", year2, "1.D1", "no")
    run(capsys, "finding", year2, "1.D1", "--sfi", "Sign the policy this month.")
    code, out, err = run(capsys, "new", year3, "--from", year2)
    assert code == 0, err
    _, out, _ = run(capsys, "actions", year3, "--json")
    plan = json.loads(out)
    assert sorted(a["id"] for a in plan) == ["carried:1.D1", "carried:1.D1.2"]
    assert {a["text"] for a in plan} == {
        "Post the signed policy at the shop.",
        "Sign the policy this month.",
    }
