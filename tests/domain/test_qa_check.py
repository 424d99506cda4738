"""The QA check (auditkit check) and the finalize gate it drives."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from auditkit.audit import Audit, Profile
from auditkit.cli import main
from auditkit.protocol.model import Justification, Protocol
from auditkit.rules.qa_check import audit_facts, run_check
from auditkit.store.audit_file import Store


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


def check_json(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "check", path, "--json")
    assert err == ""
    return code, json.loads(out)


NOTE = "Verified against the signed 2026 policy and the March toolbox-talk sign-in sheets."


def answer_all(audit: Audit, value: str = "yes") -> None:
    """Every expected answer, each with a justification note: per subject for every subject
    the question applies to."""
    for question in audit.protocol.questions:
        if not question.per_subject:
            given = str(question.points) if question.accepts_points else value
            audit.answer(question.id, given, note=NOTE)
            continue
        for subject in audit.subjects(question.subject):
            if question.roles and subject.role not in question.roles:
                continue
            audit.answer(question.id, value, subject=subject.id, note=NOTE)


# -- SECOR: a sample its own questions can satisfy ----------------------------------------------


def test_a_whole_secor_audit_of_a_five_person_company_has_no_sampling_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "secor.audit"
    code, _, err = run(
        capsys,
        *("new", path, "--company", "Prairie Plumbing Ltd", "--protocol", "secor"),
        *("--staff", "senior_manager=1,supervisor=1,worker=3", "--site", "Shop"),
        *("--head-office", "Shop", "--start-date", date.today().isoformat()),
    )
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, "sample", path, "--json")
    plan = json.loads(out)["interviews"]
    assert plan["required"] == 4  # 5 workers: 4 interviews (data/sampling.yaml)
    assert [r["required"] for r in plan["roles"]] == [1, 0, 1, 2]
    with Audit.open(path, write=True) as audit:
        audit.add_subject("interviewee", "O-1", role="senior_manager")
        audit.add_subject("interviewee", "S-1", role="supervisor")
        audit.add_subject("interviewee", "W-1", role="worker")
        audit.add_subject("interviewee", "W-2", role="worker")
        audit.add_subject("incident", "INC-2026-01", fields={"type": "first_aid"})
        answer_all(audit)
    code, data = check_json(capsys, path)
    assert (code, data) == (0, {"ok": True, "problems": []})
    code, out, _ = run(capsys, "finalize", path)
    assert code == 0 and "PASS" in out


def test_secor_managers_are_sampled_with_the_supervisors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "secor.audit"
    staff = "senior_manager=1,manager=1,worker=3"
    run(capsys, "new", path, "--company", "Prairie Plumbing Ltd", "--protocol", "secor")
    assert run(capsys, "profile", path, "--staff", staff)[0] == 0
    roles = json.loads(run(capsys, "sample", path, "--json")[1])["interviews"]["roles"]
    # No SECOR question asks a manager: the manager answers the supervisor questions.
    assert [(r["role"], r["required"]) for r in roles] == [
        ("senior_manager", 1),
        ("manager", 0),
        ("supervisor", 1),
        ("worker", 2),
    ]


# -- the audit: 40 workers, one interviewee per level ----------------------------------


@pytest.fixture
def forty(tmp_path: Path) -> Path:
    """COR, 40 staff, one interviewee per level, everything answered."""
    path = tmp_path / "chinook.audit"
    profile = Profile(
        company="Chinook Mechanical Ltd",
        staff={"senior_manager": 1, "manager": 3, "supervisor": 6, "worker": 30},
        sites=("Shop", "Yard"),
        head_office="Head office",
        start_date=date.today().isoformat(),
    )
    with Audit.create(path, profile) as audit:
        for label, role in (("SM-1", "senior_manager"), ("M-1", "manager")):
            audit.add_subject("interviewee", label, role=role)
        audit.add_subject("interviewee", "S-1", role="supervisor")
        audit.add_subject("interviewee", "W-1", role="worker")
        audit.add_subject("incident", "INC-1", fields={"type": "first_aid"})
        answer_all(audit)
    return path


def test_one_problem_per_level_short(forty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = check_json(capsys, forty)
    assert code == 1 and not data["ok"]
    short = [p for p in data["problems"] if p["code"] == "sample.interviews"]
    assert short == [
        {
            "code": "sample.interviews",
            "severity": "error",
            "question": None,
            "subject": "supervisor",
            "message": "supervisor: 1 of 3 interviews (staff 6)",
        },
        {
            "code": "sample.interviews",
            "severity": "error",
            "question": None,
            "subject": "worker",
            "message": "worker: 1 of 12 interviews (staff 30)",
        },
    ]
    assert [p["code"] for p in data["problems"]] == ["sample.interviews"] * 2


def test_a_level_short_is_a_problem_even_when_the_total_is_met(
    audit: Audit,
) -> None:
    audit.set_staff({"senior_manager": 1, "worker": 9})  # 10: 8 interviews, 1 + 7 workers
    for number in range(1, 9):
        audit.add_subject("interviewee", f"W-{number}", role="worker")
        audit.answer("1.I1", "yes", subject=f"W-{number}")
    problems = [p for p in run_check(audit_facts(audit)).problems if p.code.startswith("sample")]
    assert [(p.code, p.subject, p.message) for p in problems][0] == (
        "sample.interviews",
        "senior_manager",
        "senior manager: 0 of 1 interviews (staff 1)",
    )
    assert sum(p.code == "sample.interviews" for p in problems) == 1


def test_finalize_refuses_while_check_has_errors(
    forty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(forty)
    code, out, err = run(capsys, "finalize", forty)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {forty}: cannot finalize: 2 QA problem(s): sample.interviews")
    assert "--deviation TEXT" in err and err.count("\n") == 1
    assert dump(forty) == before


def test_a_deviation_accepts_the_sample_shortfall_and_is_in_the_report(
    forty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "draft.md"
    assert run(capsys, "export", forty, "--format", "md", "-o", report)[0] == 0
    assert "Would pass on score — not submittable: 2 problems" in report.read_text()
    why = "Night shift cancelled by the employer; the CP accepted the day crew only."
    code, out, err = run(capsys, "finalize", forty, "--deviation", why)
    assert (code, err) == (0, "")
    assert out.startswith(f"finalized {forty}:")
    report = tmp_path / "report.md"
    assert run(capsys, "export", forty, "--format", "md", "-o", report)[0] == 0
    text = report.read_text()
    assert why in text
    assert "worker: 1 of 12 interviews (staff 30)" in text
    for site in ("Shop", "Yard", "Head office (head office)"):
        assert f"Active site: {site}" in text
    assert "not submittable" not in text
    # The check still lists the shortfall, as accepted: no longer an error.
    code, data = check_json(capsys, forty)
    assert code == 0 and data["ok"]
    assert [(p["severity"], p["subject"]) for p in data["problems"]] == [
        ("warning", "supervisor"),
        ("warning", "worker"),
    ]
    assert data["problems"][1]["message"].endswith("(accepted at finalize as a deviation)")


def test_a_deviation_without_a_shortfall_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "secor.audit"
    run(capsys, "new", path, "--company", "Prairie Plumbing Ltd", "--protocol", "secor")
    with Audit.open(path, write=True) as audit:
        audit.set_staff({"senior_manager": 1, "worker": 1})
        audit.set_head_office("Shop")
        audit.add_subject("interviewee", "O-1", role="senior_manager")
        audit.add_subject("interviewee", "W-1", role="worker")
        audit.add_subject("incident", "INC-1", fields={"type": "first_aid"})
        answer_all(audit)
    before = dump(path)
    code, out, err = run(capsys, "finalize", path, "--deviation", "just in case")
    assert (code, out) == (1, "")
    assert err == "error: --deviation: the sample has no shortfall to accept; leave it out\n"
    assert dump(path) == before


def test_a_deviation_does_not_excuse_other_problems(
    forty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Audit.open(forty, write=True) as audit:
        audit.clear_answer("1.D1")
    before = dump(forty)
    code, _, err = run(capsys, "finalize", forty, "--deviation", "crew away")
    assert code == 1 and "1.D1" in err
    assert dump(forty) == before


# -- what each code says ----------------------------------------------------------------------


def test_a_role_only_question_nobody_can_answer_says_so(audit: Audit) -> None:
    audit.add_subject("interviewee", "W-1", role="worker")
    problems = {p.question: p for p in run_check(audit_facts(audit)).problems if p.question}
    assert problems["5.I1"].code == "unanswered"
    assert problems["5.I1"].message == (
        "asked only of supervisor: nobody of that role interviewed "
        "(add an interviewee with --role supervisor)"
    )


def test_the_cp_number_of_site_visits_beyond_30(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Audit.open(audit_path, write=True) as audit:
        for number in range(1, 30):
            audit.add_subject("site", f"Well pad {number:02}")
    code, data = check_json(capsys, audit_path)
    assert any("--sites-required" in p["message"] for p in data["problems"])
    before = dump(audit_path)
    code, _, err = run(capsys, "profile", audit_path, "--sites-required", "40")
    assert code == 1 and err == "error: --sites-required 40: more than the 31 active sites\n"
    assert dump(audit_path) == before
    assert run(capsys, "profile", audit_path, "--sites-required", "11")[0] == 0
    sites = json.loads(run(capsys, "sample", audit_path, "--json")[1])["sites"]
    assert sites["required"] == 11


def justified(protocol: Protocol) -> Protocol:
    """The protocol with ``justification: {every_question: true, na: true}``."""
    return replace(protocol, justification=Justification(every_question=True, na=True))


def test_notes_where_the_protocol_asks_for_them(audit: Audit) -> None:
    audit.answer("1.D1", "7", note="Policy signed by the president on 2026-01-12.")
    audit.answer("5.D1", "no")
    audit.answer("8.D1", "na")
    facts = audit_facts(audit)
    assert not [p for p in run_check(facts).problems if p.code.startswith("note.")]
    facts = audit_facts(audit)
    facts.protocol = justified(audit.protocol)
    found = [(p.code, p.question) for p in run_check(facts).problems if p.code.startswith("note")]
    assert found == [
        ("note.missing", "5.D1"),
        ("note.missing", "8.D1"),
        ("note.na_reason", "8.D1"),
    ]


def test_dates_are_warnings(audit: Audit) -> None:
    audit.update_profile(start_date="2026-01-05", end_date="2026-03-02")
    facts = audit_facts(audit, today=date(2026, 4, 1))
    dates = [p for p in run_check(facts).problems if p.code == "dates"]
    assert [(p.severity, p.message) for p in dates] == [
        ("warning", "data gathering from 2026-01-05 to 2026-03-02: 56 days, over the 45 allowed"),
        (
            "warning",
            "the report (2026-04-01) is later than 21 days after the last on-site day "
            "(2026-03-02); it was due by 2026-03-23",
        ),
    ]


def test_check_prints_one_line_per_problem_and_a_verdict(
    forty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", forty)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "error sample.interviews supervisor: supervisor: 1 of 3 interviews (staff 6)",
        "error sample.interviews worker: worker: 1 of 12 interviews (staff 30)",
        f"{forty}: not submittable: 2 error(s), 0 warning(s)",
    ]


# -- bad inputs: one line, the file unchanged ---------------------------------------------------


QUESTIONNAIRE_SUPERVISOR = (
    *("subject", "add", "FILE", "--kind", "interviewee", "--label", "S-9"),
    *("--role", "supervisor", "--questionnaire"),
)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("profile", "FILE", "--staff", "foreman=3"),
            2,
            "--staff: unknown level 'foreman' (expected one of: senior_manager, manager, "
            "supervisor, worker)",
        ),
        (("profile", "FILE", "--staff", "worker=-2"), 2, "'worker=-2': a count must be 0 or more"),
        (("profile", "FILE", "--staff", "worker=lots"), 2, "'lots' is not a whole number"),
        (("profile", "FILE", "--staff", "worker=0"), 2, "--staff: no one on staff"),
        (("profile", "FILE", "--staff", "worker=3,worker=4"), 2, "--staff names worker twice"),
        (
            ("profile", "FILE", "--interviews-required", "70"),
            1,
            "--interviews-required: the sampling table sets the interviews for an unknown",
        ),
        (("profile", "FILE", "--interviews-required", "-1"), 2, "-1 is not in the range x>=1"),
        (("profile", "FILE", "--head-office", " "), 2, "--head-office needs a site name"),
        (
            QUESTIONNAIRE_SUPERVISOR,
            1,
            "--questionnaire is for workers only: 'S-9' is a supervisor",
        ),
    ],
)
def test_bad_sampling_inputs_are_one_line_and_change_nothing(
    audit_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    code: int,
    message: str,
) -> None:
    before = dump(audit_path)
    got, out, err = run(capsys, *(audit_path if a == "FILE" else a for a in args))
    assert (got, out) == (code, "")
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert dump(audit_path) == before


def test_new_refuses_a_bad_staff_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.audit"
    code, out, err = run(capsys, "new", path, "--company", "X", "--staff", "supervisors=3")
    assert (code, out) == (2, "")
    assert err.startswith("error: --staff: unknown level 'supervisors'") and err.count("\n") == 1
    assert not path.exists()


def test_staff_past_ten_on_a_secor_audit_is_pointed_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "secor.audit"
    run(capsys, "new", path, "--company", "Prairie Plumbing Ltd", "--protocol", "secor")
    code, _, err = run(capsys, "profile", path, "--staff", "senior_manager=1,worker=14")
    assert code == 0
    assert err == (
        "note: a largest headcount of 15 qualifies for COR; this audit stays SECOR "
        "(its protocol does not change)\n"
    )
