"""The command line as a user and a script see it: output, exit codes, and untouched files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit.cli import main
from auditkit.store.audit_file import Store
from tests.conftest import MINI


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


@pytest.fixture
def worker(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(
        capsys,
        "subject",
        "add",
        audit_path,
        "--kind",
        "interviewee",
        "--label",
        "W-01",
        "--role",
        "worker",
    )
    assert code == 0
    return out.strip()


def test_new_then_answer_then_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.audit"
    code, out, err = run(
        capsys,
        "new",
        path,
        "--company",
        "Acme Ltd",
        "--protocol",
        MINI,
        "--site",
        "Yard",
        "--auditor",
        "Pat Lee",
        "--workers",
        "40",
    )
    assert (code, err) == (0, "")
    assert (
        out == f"created {path}: Mini test protocol (COR, certification), 8 questions, 1 site(s)\n"
    )
    assert run(capsys, "answer", path, "1.D1", "7", "--note", "signed")[1] == "saved 1.D1: 7\n"
    assert (
        run(capsys, "answer", path, "8.O1", "Partial", "--subject", "Yard")[1]
        == "saved 8.O1 for Yard: partial\n"
    )
    code, out, _ = run(capsys, "score", path, "--json")
    data = json.loads(out)
    assert data["overall"] == {"awarded": 12, "possible": 20, "percent": 60.0}
    assert data["complete"] is False and data["answered"] == 2 and data["questions"] == 8
    assert [e["id"] for e in data["elements"]] == ["leadership", "hazard_assessment", "emergency"]
    assert data["pass"] == {
        "rule": {"purpose": "certification", "overall": 80, "element": 50},
        "passed": False,
        "failed_elements": [],
    }
    code, out, _ = run(capsys, "score", path)
    assert "Overall" in out and "60.0 %" in out and "FAIL so far" in out
    assert "INCOMPLETE: 6 of 8 scored items unanswered" in out


def test_subject_add_prints_only_the_id_and_both_refs_work(
    audit_path: Path, worker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(worker) == 36 and worker.count("-") == 4
    assert run(capsys, "answer", audit_path, "1.I1", "yes", "--subject", worker)[0] == 0
    assert run(capsys, "answer", audit_path, "1.I1", "no", "--subject", "W-01")[0] == 0
    with Store.open(audit_path) as store:
        assert [(a.question_id, a.subject_id, a.value) for a in store.answers()] == [
            ("1.I1", worker, "no")
        ]


def test_questions_json(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = json.loads(run(capsys, "questions", audit_path, "--json")[1])
    assert rows[0] == {
        "id": "1.D1",
        "element": "leadership",
        "component": "documents",
        "subject": "none",
        "text": "Is there a written health and safety "
        "policy, signed and dated by the senior manager?",
        "methods": ["documentation"],
        "points": 10,
        "scoring": "range",
        "criterion": None,
    }
    assert len(rows) == 8


REFUSED = [
    (["9.9", "yes"], "unknown question '9.9' in protocol mini"),
    (["1.D1", "11"], "'11' is out of range for question 1.D1 (0..10 points)"),
    (["1.D1", "-1"], "'-1' is out of range for question 1.D1 (0..10 points)"),
    (
        ["1.D1", "maybe"],
        "answer 'maybe' for question 1.D1: expected yes, partial, no, na or a number of points",
    ),
    (["1.D1", "na"], "question 1.D1 may not be marked N/A"),
    (["5.D1", "12"], "question 5.D1 takes yes, partial, no or na, not points"),
    (["8.O1", "3", "--subject", "Yard"], "question 8.O1 takes yes, partial, no or na, not points"),
    (["8.O1", "yes"], "question 8.O1 is answered per site; give --subject"),
    (
        ["1.D1", "yes", "--subject", "Yard"],
        "question 1.D1 is answered once for the audit; it takes no --subject",
    ),
    (["8.O1", "yes", "--subject", "Warehouse"], "unknown subject 'Warehouse' in"),
    (
        ["8.O1", "yes", "--subject", "W-01"],
        "subject 'W-01' is a interviewee; question 8.O1 is answered per site",
    ),
    (
        ["5.I1", "yes", "--subject", "W-01"],
        "interviewee 'W-01' is a worker; question 5.I1 asks supervisor",
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_refused_answer_names_the_culprit_and_changes_nothing(
    audit_path: Path, worker: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    run(capsys, "answer", audit_path, "1.D1", "5")
    before = contents(audit_path)
    code, out, err = run(capsys, "answer", audit_path, *args)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert contents(audit_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["answer"], "Missing argument 'FILE'"),
        (["answer", "x.audit", "1.D1"], "Missing argument 'VALUE'"),
        (["score", "a", "--jsn"], "No such option '--jsn'"),
        (["subject", "add", "x.audit", "--kind", "robot", "--label", "R"], "'robot' is not one of"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and message in err and err.count("\n") == 1


def test_subject_errors(audit_path: Path, worker: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = contents(audit_path)
    for args, message in [
        (["--kind", "interviewee", "--label", "W-02"], "needs a --role"),
        (["--kind", "interviewee", "--label", "W-02", "--role", "ceo"], "unknown role 'ceo'"),
        (["--kind", "interviewee", "--label", "W-01", "--role", "worker"], "already exists"),
        (["--kind", "site", "--label", "Yard"], "a site labelled 'Yard' already exists"),
        (
            ["--kind", "incident", "--label", "I-1", "--field", "type=explosion"],
            "unknown incident type 'explosion'",
        ),
    ]:
        code, _, err = run(capsys, "subject", "add", audit_path, *args)
        assert code == 1 and message in err and err.count("\n") == 1
    assert contents(audit_path) == before


@pytest.mark.parametrize("content", [b"", b"hello, not an audit\n" * 10])
def test_commands_on_a_file_that_is_not_an_audit(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    for args in (["score", path], ["answer", path, "1.D1", "yes"], ["questions", path]):
        code, _, err = run(capsys, *args)
        assert code == 1 and err.startswith(f"error: {path}: ") and err.count("\n") == 1
    assert path.read_bytes() == content


def test_validate_bundled_and_broken(mini_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", MINI)
    assert code == 0 and out.startswith(f"{MINI}: ok: mini 1.0, 8 questions, 85 points")
    (mini_dir / "incidents.yaml").write_text("id: [unclosed\n")
    code, out, err = run(capsys, "validate", mini_dir)
    assert code == 1 and err.startswith(f"{mini_dir}/incidents.yaml:")


def test_eligibility(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eligibility", "--headcount", "6", "8", "10", "9")
    assert code == 0 and out.startswith(
        "SECOR or COR (your choice): the largest headcount over 4 months is 10"
    )
    code, out, _ = run(capsys, "eligibility", "--headcount", "6", "11", "--json")
    assert json.loads(out)["certificate"] == "COR"
    code, _, err = run(capsys, "eligibility", "--headcount", "six")
    assert code == 2 and "headcount 'six' is not a whole number" in err


def test_headless_commands_never_import_textual(audit_path: Path) -> None:
    probe = (
        "import sys\n"
        "from auditkit.cli import main\n"
        "for args in (['--help'], ['validate'], ['score', sys.argv[1]]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(audit_path)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_new_takes_headcounts_repeated_or_with_commas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h.audit"
    code, out, err = run(
        capsys, "new", path, "--company", "Acme", "--headcount", "8,9", "--headcount", "9 10"
    )
    assert (code, err) == (0, "")
    assert out.startswith(
        "SECOR from the headcounts: SECOR or COR (your choice): the largest headcount over "
        "4 months is 10"
    )
    assert "(give --protocol cor for COR)" in out
    with Store.open(path) as store:
        assert json.loads(store.audit()["headcounts"]) == [8, 9, 9, 10]
        assert store.audit()["certificate"] == "SECOR"  # the largest month is 10
    code, out, _ = run(
        capsys,
        "new",
        tmp_path / "c.audit",
        "--company",
        "Acme",
        "--protocol",
        "cor",
        "--headcount",
        "8,9",
    )
    assert code == 0 and "from the headcounts" not in out  # asked for COR: no note
    with Store.open(tmp_path / "c.audit") as store:
        assert store.audit()["certificate"] == "COR"
    code, _, err = run(
        capsys, "new", tmp_path / "x.audit", "--company", "X", "--headcount", "8,nine"
    )
    assert code == 2 and "headcount 'nine' is not a whole number" in err
    assert not (tmp_path / "x.audit").exists()
