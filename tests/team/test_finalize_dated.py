"""Finalize with a stated date: the report's date where the audit is entered after it was
signed. The QA check measures that date; the journal keeps the real time of the write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.errors import AnswerRefused
from auditkit.rules.finalize import finalize
from auditkit.rules.qa_check import check_audit
from auditkit.store.audit_file import Store
from auditkit.team.verify import verify_file
from tests.team.conftest import complete, edit, new_audit, run

ON_SITE = {"start_date": "2025-11-17", "end_date": "2025-11-21"}


@pytest.fixture
def done(tmp_path: Path) -> Path:
    """A complete audit of last November, not finalized yet."""
    path = new_audit(tmp_path / "last-year.audit", **ON_SITE)
    with edit(path, "pat") as audit:
        complete(audit)
    return path


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


def test_a_stated_date_is_the_finalize_date_and_the_journal_says_so(
    done: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    with edit(done, "pat") as audit:
        finalize(audit, dated=datetime(2025, 12, 8, 16, 30, tzinfo=UTC))
        assert audit.profile["finalized_at"].startswith("2025-12-08T16:30:00")
        problems = check_audit(audit).problems
        assert not [p for p in problems if p.code == "dates" or p.severity == "error"]
        entry = audit.store.journal()[-1]
    assert entry.action == "audit.finalize" and entry.at >= written  # the real time
    code, out, _ = run(capsys, "log", done)
    assert code == 0
    assert out.splitlines()[-1].endswith(
        "finalized the audit, dated 2025-12-08 (the report's date as stated)"
    )
    assert verify_file(done).ok
    code, out, _ = run(capsys, "check", done)
    assert code == 0 and "dates" not in out and f"{done}: submittable: 0 error(s)" in out


def test_finalized_now_a_year_late_the_report_date_is_warned(done: Path) -> None:
    with edit(done, "pat") as audit:
        finalize(audit)
        [problem] = [p for p in check_audit(audit).problems if p.code == "dates"]
    assert (problem.code, problem.severity) == ("dates", "warning")
    assert "later than 21 days after the last on-site day (2025-11-21)" in problem.message


def test_a_naive_time_is_taken_as_utc(done: Path) -> None:
    with edit(done, "pat") as audit:
        finalize(audit, dated=datetime(2025, 11, 28, 9, 0))
        assert audit.profile["finalized_at"] == "2025-11-28T09:00:00.000000Z"


@pytest.mark.parametrize(
    ("dated", "message"),
    [
        (
            datetime(2025, 11, 20, 12, 0, tzinfo=UTC),
            "finalize date 2025-11-20 is before the last on-site day (2025-11-21); "
            "a report follows the field work",
        ),
        (datetime.now(UTC) + timedelta(days=2), "is in the future"),
    ],
)
def test_a_date_before_the_field_work_ends_or_in_the_future_is_refused(
    done: Path, dated: datetime, message: str
) -> None:
    before = dump(done)
    with edit(done, "pat") as audit, pytest.raises(AnswerRefused, match="finalize date") as err:
        finalize(audit, dated=dated)
    assert message in str(err.value) and str(err.value).startswith(f"{done}: ")
    assert dump(done) == before
    with Audit.open(done) as audit:
        assert not audit.profile["finalized_at"]
