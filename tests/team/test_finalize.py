"""Finalize: only a complete audit; afterwards every change needs a reason, kept in the journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.errors import Finalized
from auditkit.rules.finalize import amendments, finalize
from auditkit.store.audit_file import Store
from auditkit.team.verify import verify_file
from tests.team.conftest import complete, edit, run


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


@pytest.fixture
def finalized(lead: Path) -> Path:
    with edit(lead, "pat") as audit:
        complete(audit)
        finalize(audit)
    return lead


def test_an_incomplete_audit_is_refused_naming_how_many(
    lead: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with edit(lead, "pat") as audit:
        audit.answer("1.D1", "8")
    before = dump(lead)
    code, out, err = run(capsys, "finalize", lead)
    assert code == 1 and out == ""
    assert err == (
        f"error: {lead}: cannot finalize: 7 of 8 scored items unanswered "
        f"(5.D1, 8.D1, 8.O1, 5.O1, 1.I1, …)\n"
    )
    assert dump(lead) == before


def test_finalize_prints_the_result(lead: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with edit(lead, "pat") as audit:
        complete(audit)
    code, out, err = run(capsys, "finalize", lead)
    assert (code, err) == (0, "")
    assert out.startswith(f"finalized {lead}: 8 of 8 questions answered, overall ")
    code, _, err = run(capsys, "finalize", lead)
    assert code == 1 and "already finalized" in err


def test_a_change_without_a_reason_is_refused_and_changes_nothing(
    finalized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(finalized)
    code, out, err = run(capsys, "answer", finalized, "1.D1", "2")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "finalized" in err and "--reason" in err
    code, _, err = run(capsys, "evidence", "add", finalized, "1.D1", __file__)
    assert code == 1 and "--reason" in err
    with edit(finalized, "pat") as audit:
        with pytest.raises(Finalized):
            audit.add_subject("site", "Dock")
        with pytest.raises(Finalized):
            audit.update_profile(contact="someone")
        audit.store.set_meta("last_question", "1.D1")  # UI state stays free
    after = dump(finalized)
    assert {t: r for t, r in after.items() if t not in ("meta", "journal")} == {
        t: r for t, r in before.items() if t not in ("meta", "journal")
    }
    with Store.open(finalized) as store:
        assert store.journal()[-1].action == "meta.set"


def test_a_change_with_a_reason_is_an_amendment(
    finalized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "answer", finalized, "1.D1", "2", "--reason", "policy found unsigned"
    )
    assert (code, err) == (0, "")
    with Audit.open(finalized) as audit:
        [amendment] = amendments(audit)
        last = audit.store.journal()[-1]
    assert (amendment.author, amendment.reason) == (last.author, "policy found unsigned")
    assert amendment.change == "answer 1.D1: 8 -> 2"
    assert last.reason == "policy found unsigned"
    code, out, _ = run(capsys, "log", finalized, "--question", "1.D1")
    assert code == 0
    assert out.splitlines()[-1].endswith("answer 1.D1: 8 -> 2  [reason: policy found unsigned]")
    assert verify_file(finalized).ok


def test_a_reason_in_the_journal_cannot_be_edited_quietly(finalized: Path) -> None:
    import sqlite3

    with edit(finalized, "pat") as audit, audit.amending("typo"):
        audit.answer("1.D1", "9")
    with sqlite3.connect(finalized) as conn:
        conn.execute("UPDATE journal SET reason = 'approved by client' WHERE reason = 'typo'")
    report = verify_file(finalized)
    assert not report.ok and "do not match its hash" in report.problems[0]


def test_a_subject_added_after_finalize_needs_a_reason(
    finalized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["subject", "add", finalized, "--kind", "site", "--label", "Dock"]
    before = dump(finalized)
    code, out, err = run(capsys, *args)
    assert code == 1 and out == "" and "--reason" in err
    assert dump(finalized) == before
    code, out, err = run(capsys, *args, "--reason", "the dock was toured after the close-out")
    assert (code, err) == (0, "") and len(out.strip()) == 36
    with Audit.open(finalized) as audit:
        [amendment] = amendments(audit)
    assert amendment.reason == "the dock was toured after the close-out"
    assert verify_file(finalized).ok
