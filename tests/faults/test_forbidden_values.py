"""Finding 5 of issue 16: a value the protocol forbids, written through auditkit's own store
(so the journal chain is intact), is refused by score, every export, verify, merge, import and
``open``, in one line naming the question; never scored (9999 of 10 points) or a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditkit.cli import main
from auditkit.store.audit_file import Store


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=["9999", "banana", "na"])
def forged(request: pytest.FixtureRequest, audit_path: Path) -> Path:
    """1.D1 (range, 10 points, no N/A) holding a value that only the store let through."""
    with Store.open(audit_path, write=True) as store:
        store.author = "someone else's script"
        store.set_answer("1.D1", "", request.param, "")
    return audit_path


@pytest.mark.parametrize(
    "command",
    [
        ["score"],
        ["score", "--json"],
        ["export", "--format", "md", "-o", "{dir}/r.md"],
        ["export", "--format", "json", "-o", "{dir}/r.json"],
        ["export", "--format", "csv", "-o", "{dir}/r.csv"],
        ["recommend"],
    ],
    ids=lambda c: " ".join(c[:3]),
)
def test_commands_refuse_a_forbidden_value_in_one_line(
    forged: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    args = [c.format(dir=forged.parent) for c in command]
    code, out, err = run(capsys, args[0], forged, *args[1:])
    assert code == 1, out
    assert err.startswith(f"error: {forged}: answer to question 1.D1: stored value ")
    assert err.count("\n") == 1
    assert "PASS" not in out


def test_verify_names_the_forbidden_value(forged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "verify", forged)
    assert code == 1
    assert "answer to question 1.D1: stored value" in err


def test_merge_refuses_an_input_with_a_forbidden_value(
    forged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = forged.with_name("copy.audit")
    shutil.copy(forged, copy)
    out_path = forged.with_name("merged.audit")
    code, _, err = run(capsys, "merge", out_path, forged, copy)
    assert code == 1
    assert "1.D1" in err and err.count("\n") == 1
    assert not out_path.exists()


def test_open_refuses_before_the_screen_is_taken_over(
    forged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "open", forged)
    assert code == 1
    assert "1.D1" in err and err.count("\n") == 1


def test_second_edition_rules_are_checked_too() -> None:
    """A yes-no indicator holding ``partial``, a criterion's part holding points."""
    from auditkit.errors import AnswerRefused
    from auditkit.protocol.model import load_protocol
    from auditkit.rules.scoring import Given
    from auditkit.rules.values import check_values
    from tests.conftest import FIXTURES

    protocol = load_protocol(FIXTURES / "mechanics")
    check_values(protocol, [Given("1.1-I", "w1", "yes"), Given("1.2", "", "7")])
    for bad in (Given("1.1-I", "w1", "partial"), Given("2.1-D", "", "5")):
        with pytest.raises(
            AnswerRefused, match=f"question {bad.question_id}( .subject [^)]*.)?: stored value"
        ):
            check_values(protocol, [bad])
