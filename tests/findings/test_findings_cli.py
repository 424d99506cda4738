"""`auditkit finding`, `actions` and `action`: what the auditor sees and what the file holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.rules.findings import sfi_missing
from auditkit.store.audit_file import Store
from auditkit.team.verify import verify_file


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


POLICY_SFI = "Have the president sign and date the H&S policy and post it at both sites."


def test_finding_options_not_given_stay(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "finding", audit_path, "1.D1", "--sfi", POLICY_SFI, "--key")
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, "finding", audit_path, "1.D1", "--priority", "high")
    assert code == 0
    assert POLICY_SFI in out and "KEY SFI" in out and "high" in out
    run(capsys, "finding", audit_path, "1.D1", "--note", "Policy dated 2019; not posted.")
    run(capsys, "finding", audit_path, "1.D1", "--not-key")
    with Store.open(audit_path) as store:
        row = store.findings()["1.D1"]
    assert (row["sfi"], row["priority"], row["key"], row["note"]) == (
        POLICY_SFI,
        "high",
        0,
        "Policy dated 2019; not posted.",
    )
    assert verify_file(audit_path).ok


@pytest.mark.parametrize(
    ("args", "culprit"),
    [
        (("finding", "{f}", "9.X9", "--sfi", "x"), "9.X9"),
        (("action", "{f}", "5.D1", "--owner", "Kim"), "5.D1"),
        (("action", "{f}", "1.D1", "--due", "next week"), "next week"),
        (("action", "{f}", "1.D1", "--due", "2027-02-30"), "2027-02-30"),
    ],
)
def test_bad_input_is_one_line_exit_1_nothing_written(
    audit_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], culprit: str
) -> None:
    run(capsys, "finding", audit_path, "1.D1", "--sfi", POLICY_SFI)
    before = contents(audit_path)
    code, out, err = run(capsys, *(a.format(f=audit_path) for a in args))
    assert code == 1
    assert err.startswith("error: ") and culprit in err and err.count("\n") == 1
    assert contents(audit_path) == before


def test_action_plan_is_one_action_per_sfi(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "actions", audit_path, "--json")
    assert (code, json.loads(out)) == (0, [])
    run(capsys, "finding", audit_path, "1.D1", "--sfi", POLICY_SFI, "--priority", "medium")
    run(capsys, "finding", audit_path, "5.D1", "--sfi", "Repeat the FLHA at each task change.")
    run(capsys, "finding", audit_path, "5.D1", "--priority", "high")
    code, out, err = run(
        capsys, "action", audit_path, "1.D1", "--owner", "Operations manager", "--due", "2027-03-01"
    )
    assert code == 0, err
    run(capsys, "action", audit_path, "1.D1", "--status", "in-progress")
    code, out, _ = run(capsys, "actions", audit_path, "--json")
    plan = json.loads(out)
    assert [a["id"] for a in plan] == ["5.D1", "1.D1"]  # high priority first
    assert plan[1] == {
        "id": "1.D1",
        "item": "1.D1",
        "element": "leadership",
        "priority": "medium",
        "text": POLICY_SFI,
        "owner": "Operations manager",
        "due": "2027-03-01",
        "status": "in-progress",
        "carried": False,
        "overdue": False,
    }
    code, out, _ = run(capsys, "actions", audit_path)
    assert "Operations manager" in out and POLICY_SFI in out
    assert verify_file(audit_path).ok


def test_sfi_missing_lists_answered_items_under_80_percent(audit_path: Path) -> None:
    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "partial")  # 50 %
        audit.answer("8.D1", "yes")  # 100 %: no SFI needed
        assert [item.id for item, _ in sfi_missing(audit)] == ["1.D1"]
        audit.store.set_finding("1.D1", {"sfi": POLICY_SFI})
        assert sfi_missing(audit) == []


def test_findings_on_criteria(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from auditkit.audit import Profile
    from tests.conftest import FIXTURES

    path = tmp_path / "mech.audit"
    Audit.create(path, Profile(company="Acme Ltd", protocol=str(FIXTURES / "mechanics"))).close()
    code, out, err = run(capsys, "finding", path, "1.1", "--sfi", "Walk every crew through it.")
    assert (code, err) == (0, "")
    assert out.startswith("1.1  A written health and safety policy")
    before = contents(path)
    code, _, err = run(capsys, "finding", path, "1.1-D", "--sfi", "x")
    assert code == 1 and "criterion 1.1" in err and contents(path) == before
    with Audit.open(path, write=True) as audit:
        audit.answer("1.1-D", "no")
        audit.answer("2.1-D", "no")
        assert [item.id for item, _ in sfi_missing(audit)] == ["2.1"]  # 1.1 has its SFI


def test_sfi_problems_have_the_check_shape(audit_path: Path) -> None:
    from auditkit.rules.findings import sfi_problems

    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "no")
        (problem,) = sfi_problems(audit)
    assert set(problem) == {"code", "severity", "question", "subject", "message"}
    assert (problem["code"], problem["severity"], problem["question"]) == (
        "sfi.missing",
        "error",
        "1.D1",
    )
    assert "0 of 10 points" in problem["message"]
