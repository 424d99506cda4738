"""Merging the copies of one audit: union, conflicts, same-label subjects, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.store.audit_file import Store
from auditkit.team.conflicts import conflicts, pick
from auditkit.team.merge import merge
from auditkit.team.verify import verify_file
from tests.team.conftest import answers, content, copy, edit, new_audit, run


def test_disjoint_work_is_united_and_verifies(lead: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        audit.answer("8.O1", "yes", subject="Shop", note="kit stocked")
    with edit(bob, "bob") as audit:
        audit.add_subject("site", "Yard")
        audit.answer("5.O1", "no", subject="Yard")
        audit.answer("1.D1", "7")
    result = merge(tmp_path / "team.audit", [alice, bob])
    assert answers(tmp_path / "team.audit") == {
        ("8.O1", "Shop"): ("yes", "kit stocked"),
        ("5.O1", "Yard"): ("no", ""),
        ("1.D1", ""): ("7", ""),
    }
    assert result.conflicts == []
    assert result.brought == {alice: 1, bob: 3}
    assert verify_file(tmp_path / "team.audit").ok


def test_same_answer_changed_in_both_is_a_conflict_the_later_wins(
    lead: Path, tmp_path: Path
) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        audit.answer("1.D1", "8", note="signed 2024")
    with edit(bob, "bob") as audit:
        audit.answer("1.D1", "4")
    out = tmp_path / "team.audit"
    result = merge(out, [alice, bob])
    assert answers(out)[("1.D1", "")] == ("4", "")
    [conflict] = result.conflicts
    assert (conflict.question_id, [s.value for s in conflict.sides]) == ("1.D1", ["8", "4"])
    assert conflict.kept.author == "bob"
    with Audit.open(out) as audit:
        assert conflicts(audit) == result.conflicts


def test_pick_keeps_the_other_side_and_ends_the_conflict(lead: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        audit.answer("8.O1", "yes", subject="Shop", note="kit stocked")
    with edit(bob, "bob") as audit:
        audit.answer("8.O1", "no", subject="Shop")
    out = tmp_path / "team.audit"
    [conflict] = merge(out, [alice, bob]).conflicts
    with edit(out, "lead") as audit:
        pick(audit, conflict, 0)
        assert conflicts(audit) == []
        assert audit.store.journal()[-1].author == "lead"
    assert answers(out)[("8.O1", "Shop")] == ("yes", "kit stocked")
    assert verify_file(out).ok


def test_answering_again_after_a_merge_resolves_the_conflict(lead: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    for path, value in ((alice, "yes"), (bob, "no")):
        with edit(path, path.stem) as audit:
            audit.add_subject("site", "Yard")  # both add it: one site after the merge
            audit.answer("5.O1", value, subject="Yard")
    out = tmp_path / "team.audit"
    assert len(merge(out, [alice, bob]).conflicts) == 1
    with edit(out, "lead") as audit:
        audit.answer("5.O1", "partial", subject="Yard")
        assert conflicts(audit) == []


def test_a_site_added_on_two_laptops_is_one_site(lead: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        audit.add_subject("site", "Yard")
        audit.answer("8.O1", "yes", subject="Yard")
    with edit(bob, "bob") as audit:
        audit.add_subject("site", "Yard")
        audit.answer("5.O1", "no", subject="Yard")
        audit.add_subject("interviewee", "W1", role="worker", site="Yard")
    out = tmp_path / "team.audit"
    result = merge(out, [alice, bob])
    with Audit.open(out) as merged:
        sites = [s.label for s in merged.subjects("site")]
        yard = merged.find_subject("Yard", "site")
        worker = merged.find_subject("W1", "interviewee")
    assert sorted(sites) == ["Shop", "Yard"]
    assert worker.site_id == yard.id
    assert answers(out) == {("8.O1", "Yard"): ("yes", ""), ("5.O1", "Yard"): ("no", "")}
    assert any("unified site 'Yard'" in note for note in result.notes)
    assert verify_file(out).ok


def test_an_interviewee_code_used_on_two_laptops_is_two_people(lead: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    for path, value in ((alice, "yes"), (bob, "no")):
        with edit(path, path.stem) as audit:
            audit.add_subject("interviewee", "W1", role="worker")
            audit.answer("1.I1", value, subject="W1")
    out = tmp_path / "team.audit"
    result = merge(out, [alice, bob])
    assert answers(out) == {("1.I1", "W1"): ("yes", ""), ("1.I1", "W1 (bob)"): ("no", "")}
    assert result.conflicts == []
    assert verify_file(out).ok


def test_merging_a_file_with_itself_changes_nothing(lead: Path, tmp_path: Path) -> None:
    with edit(lead, "lead") as audit:
        audit.answer("1.D1", "5", note="draft")
        audit.answer("1.D1", "6")
        audit.clear_answer("1.D1")
        audit.answer("8.O1", "partial", subject="Shop")
    merge(tmp_path / "same.audit", [lead, lead])
    merge(tmp_path / "one.audit", [lead])
    assert content(tmp_path / "same.audit") == content(lead)
    assert content(tmp_path / "one.audit") == content(lead)


def test_a_merged_file_merges_again_with_later_work(lead: Path, tmp_path: Path) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        audit.answer("1.D1", "8")
    first = tmp_path / "first.audit"
    merge(first, [alice, bob])
    with edit(bob, "bob") as audit:
        audit.answer("5.D1", "no")
    again = tmp_path / "again.audit"
    merge(again, [first, bob])
    assert answers(again) == {("1.D1", ""): ("8", ""), ("5.D1", ""): ("no", "")}
    merge(tmp_path / "direct.audit", [alice, bob])
    assert content(tmp_path / "direct.audit") == content(again)


def test_files_of_different_audits_are_refused(
    lead: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = new_audit(tmp_path / "other.audit")
    out = tmp_path / "team.audit"
    code, stdout, err = run(capsys, "merge", out, lead, other)
    assert code == 1 and stdout == ""
    assert err.count("\n") == 1 and "other.audit: a different audit" in err
    assert not out.exists()


def test_an_existing_output_is_refused(lead: Path, tmp_path: Path) -> None:
    out = copy(lead, tmp_path / "team.audit")
    before = content(out)
    with pytest.raises(AuditkitError, match="already exists"):
        merge(out, [lead])
    assert content(out) == before


def test_a_tampered_input_is_refused(lead: Path, tmp_path: Path) -> None:
    import sqlite3

    bob = copy(lead, tmp_path / "bob.audit")
    with edit(bob, "bob") as audit:
        audit.answer("1.D1", "3")
    with sqlite3.connect(bob) as conn:
        conn.execute("UPDATE answers SET value = '10'")
    with pytest.raises(AuditkitError, match="bob.audit: fails verification"):
        merge(tmp_path / "team.audit", [lead, bob])
    assert not (tmp_path / "team.audit").exists()


def test_cli_lists_every_conflict(
    lead: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    for path, values in ((alice, ("8", "yes")), (bob, ("2", "no"))):
        with edit(path, path.stem) as audit:
            audit.answer("1.D1", values[0])
            audit.answer("5.D1", values[1])
    code, out, err = run(capsys, "merge", tmp_path / "team.audit", alice, bob)
    assert (code, err) == (0, "")
    assert "2 conflict(s)" in out
    assert "1.D1: kept 2 by bob" in out and "other: 8 by alice" in out
    assert "5.D1: kept no by bob" in out
    code, out, _ = run(capsys, "conflicts", tmp_path / "team.audit")
    assert code == 0 and "2 conflict(s)" in out


def test_training_decisions_from_both_files_are_kept(lead: Path, tmp_path: Path) -> None:
    import sqlite3

    alice, bob = copy(lead, tmp_path / "alice.audit"), copy(lead, tmp_path / "bob.audit")
    with edit(alice, "alice") as audit:
        audit.store.set_recommendation("course:sfa", "sfa", "accepted", "")
    with edit(bob, "bob") as audit:
        audit.store.set_recommendation("r-1", "", "added", "Coach supervisors on FLHAs")
    out = tmp_path / "team.audit"
    merge(out, [alice, bob])
    with Store.open(out) as store:
        rows = {(r["id"], r["status"], r["author"]) for r in store.recommendations()}
    assert rows == {("course:sfa", "accepted", "alice"), ("r-1", "added", "bob")}
    assert verify_file(out).ok
    with sqlite3.connect(out) as conn:
        conn.execute("UPDATE recommendations SET status = 'dropped'")
    problems = verify_file(out).problems
    assert any("training recommendation 'sfa': status is 'dropped'" in p for p in problems)
