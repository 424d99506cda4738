"""The store's one write API: a typed change in, one transaction and its journal entry out."""

from __future__ import annotations

import pytest

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.store.changes import ClearAnswer, RemoveRecommendation, SetAnswer, SetMeta
from auditkit.store.records import AnswerRow


def test_a_change_returns_its_row_and_leaves_one_journal_entry(audit: Audit) -> None:
    before = len(audit.store.journal())
    row = audit.store.apply(SetAnswer("1.D1", "", "8", "Policy signed by the CEO"))
    assert isinstance(row, AnswerRow) and (row.value, row.note) == ("8", "Policy signed by the CEO")
    entries = audit.store.journal()
    assert len(entries) == before + 1
    assert (entries[-1].action, entries[-1].key) == ("answer.set", "1.D1|")
    assert entries[-1].after_data() == {"value": "8", "note": "Policy signed by the CEO"}


def test_a_refused_change_rolls_back_and_journals_nothing(audit: Audit) -> None:
    before = audit.store.dump()
    with pytest.raises(AuditkitError, match="no recommendation with id 'r-9'"):
        audit.store.apply(RemoveRecommendation("r-9"))
    assert audit.store.dump() == before


def test_clearing_nothing_changes_nothing_unless_it_is_a_decision(audit: Audit) -> None:
    before = audit.store.dump()
    audit.store.apply(ClearAnswer("1.D1", ""))
    assert audit.store.dump() == before
    audit.store.apply(ClearAnswer("1.D1", "", even_if_absent=True))
    assert audit.store.journal()[-1].action == "answer.clear"


def test_a_write_without_a_journal_entry_is_rolled_back(audit: Audit) -> None:
    """The ``with store.write(): … store._journal(…)`` style is checked too: rows changed
    without a journal entry never reach the file."""
    store = audit.store
    before = store.dump()
    with pytest.raises(AssertionError, match="a write without a journal entry"), store.write():
        store.conn.execute("UPDATE audit SET company = 'Someone Else Ltd'")
    assert store.dump() == before
    with store.write():  # the same transaction with its journal entry goes through
        store.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('k', 'v')")
        store._journal("meta.set", "meta", "k", None, "v")
    assert store.meta("k") == "v"
    store.apply(SetMeta("k", "w"))
    assert store.meta("k") == "w"
