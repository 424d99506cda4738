"""An interview's record: date, position (a job title) and shift, kept with the interviewee,
refused by name when wrong, and shown in the report's scope so QA sees the spread."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.export import render
from auditkit.store.audit_file import Store


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_record_is_kept_with_the_interviewee(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        *("subject", "add", audit_path, "--kind", "interviewee", "--label", "WK-01"),
        *("--role", "worker", "--questionnaire", "--field", "date=2026-11-30"),
        *("--field", "position=  Landscape   labourer ", "--field", "shift=night"),
    )
    assert code == 0, err
    with Audit.open(audit_path) as audit:
        person = audit.find_subject("WK-01", "interviewee")
    assert person.fields == {
        "date": "2026-11-30",
        "position": "Landscape labourer",
        "shift": "night",
        "questionnaire": True,
    }


def test_an_edited_record_keeps_the_questionnaire_flag(audit: Audit) -> None:
    person = audit.add_subject("interviewee", "WK-02", role="worker", questionnaire=True)
    audit.update_subject(person.id, fields={"shift": "day", "date": "2026-12-01"})
    assert audit.find_subject("WK-02", "interviewee").fields == {
        "shift": "day",
        "date": "2026-12-01",
        "questionnaire": True,
    }


@pytest.mark.parametrize(
    ("field", "culprit"),
    [
        ("date=last Tuesday", "interview date 'last Tuesday' is not a date"),
        ("type=serious", "unknown interview field 'type'"),
        ("position=" + "x" * 61, "interview position 'xxxxxxxxxxxxxxxxxxxx'… is 61 characters"),
        ("shift", "--field 'shift': expected KEY=VALUE"),
    ],
)
def test_a_bad_record_is_refused_by_name_and_writes_nothing(
    audit_path: Path, capsys: pytest.CaptureFixture[str], field: str, culprit: str
) -> None:
    with Store.open(audit_path) as store:
        before = store.dump()
    code, out, err = run(
        capsys,
        *("subject", "add", audit_path, "--kind", "interviewee", "--label", "WK-03"),
        *("--role", "worker", "--field", field),
    )
    assert code in (1, 2) and out == ""
    assert err.startswith("error: ") and culprit in err and err.count("\n") == 1
    with Store.open(audit_path) as store:
        assert store.dump() == before


def test_a_site_still_has_no_record_fields(audit: Audit) -> None:
    with pytest.raises(Exception, match="a site has no record fields"):
        audit.add_subject("site", "Crew site", fields={"shift": "day"})


def test_the_report_shows_the_spread_across_shifts_and_the_dates(audit: Audit) -> None:
    for code, shift, day in [
        ("WK-01", "day", "2026-11-30"),
        ("WK-02", "night", "2026-12-01"),
        ("WK-03", "day", "2026-11-30"),
        ("WK-04", "", ""),
        ("WK-05", "night", "2026-12-01"),  # added, never interviewed: not counted
    ]:
        record = {"shift": shift, "date": day}
        audit.add_subject("interviewee", code, role="worker", fields=record)
        if code != "WK-05":
            audit.answer("1.I1", "yes", subject=code)
    report = render(audit, "md").decode()
    assert "| Interviews by shift | day 2, night 1, not recorded 1 |" in report
    assert "| Interview dates | 2026-11-30 to 2026-12-01 |" in report


def test_subject_update_corrects_a_record_and_says_what_it_holds(
    audit: Audit, audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit.add_subject("interviewee", "WK-06", role="worker", fields={"shift": "nihgt"})
    audit.close()
    code, out, err = run(
        capsys,
        "subject",
        "update",
        audit_path,
        "WK-06",
        "--field",
        "shift=night",
        "--field",
        "position=Rigger",
    )
    assert (code, err) == (0, "")
    assert out == "position: Rigger\nshift: night\n"
    code, out, _ = run(capsys, "subject", "update", audit_path, "WK-06", "--field", "position=")
    assert (code, out) == (0, "shift: night\n")  # an empty value clears the field


@pytest.mark.parametrize(
    ("args", "culprit"),
    [
        (["WK-06", "--field", "date=soon"], "interview date 'soon' is not a date"),
        (["WK-99", "--field", "shift=day"], "unknown subject 'WK-99'"),
        (["Yard", "--field", "shift=day"], "a site has no record fields"),
        (["WK-06"], "Missing option '--field'"),
    ],
)
def test_subject_update_refusals_write_nothing(
    audit: Audit,
    audit_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    culprit: str,
) -> None:
    audit.add_subject("interviewee", "WK-06", role="worker")
    audit.close()
    with Store.open(audit_path) as store:
        before = store.dump()
    code, out, err = run(capsys, "subject", "update", audit_path, *args)
    assert code in (1, 2) and out == "" and culprit in err and err.count("\n") == 1
    with Store.open(audit_path) as store:
        assert store.dump() == before
