"""Undo in the store: an answer put back is a new journal entry, and the file still verifies
(the journal replayed equals the rows)."""

from __future__ import annotations

from pathlib import Path

from auditkit.audit import Audit, Profile
from auditkit.team.verify import verify_file

MINI = Path(__file__).parent / "fixtures" / "mini"


def test_restore_answer_is_journaled_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "undo.audit"
    with Audit.create(
        path, Profile(company="Undo Co", protocol=str(MINI), headcounts=(8,), sites=("Yard",))
    ) as audit:
        yard = audit.find_subject("Yard").id
        audit.answer("1.D1", "7", note="Two of three binders")
        audit.answer("5.O1", "partial", subject="Yard")
        audit.clear_answer("1.D1")
        audit.restore_answer("1.D1", "", ("7", "Two of three binders"))
        audit.restore_answer("5.O1", yard, None)  # it did not exist before
        row = audit.answer_row("1.D1")
        assert row is not None and (row.value, row.note) == ("7", "Two of three binders")
        assert audit.answer_row("5.O1", yard) is None
        actions = [e.action for e in audit.store.journal("answers")]
    assert actions[-2:] == ["answer.undo", "answer.undo"]
    assert "answer.clear" in actions  # the undone change stays in the journal
    report = verify_file(path)
    assert report.ok, report.problems
