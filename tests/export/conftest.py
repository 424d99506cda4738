"""Audits on the mini protocol for the export tests: one half done, one complete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from auditkit.audit import Audit

XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
# An auditor who typed a name instead of a code: the report must still show only a code.
NAME = "Jane Doe"


def fill(audit: Audit, complete: bool) -> None:
    """Answers of every kind; ``complete`` answers all 8 questions of the mini protocol."""
    audit.add_subject("interviewee", NAME, role="worker")
    audit.add_subject("interviewee", "S-01", role="supervisor")
    audit.add_subject(
        "incident",
        "INC-1",
        fields={
            "date": "2026-03-02",
            "type": "lost_time",
            "investigated": True,
            "reportable": True,
            "reported_to_ohs": False,
        },
    )
    audit.answer("1.D1", "7", note=XSS)
    audit.answer("5.D1", "no", note=FORMULA)
    audit.answer("8.O1", "yes", subject="Yard", note="-2 kits short\nsecond line")
    audit.answer("8.O1", "partial", subject="Shop", note="@SUM(A1)")
    audit.answer("1.I1", "partial", subject=NAME, note="could not name the policy")
    if complete:
        audit.answer("8.D1", "na")
        audit.answer("5.O1", "yes", subject="Yard")
        audit.answer("5.I1", "yes", subject="S-01")
        audit.answer("5.R1", "partial", subject="INC-1", note="+ revised late")


@pytest.fixture
def half(audit: Audit) -> Iterator[Audit]:
    fill(audit, complete=False)
    yield audit


@pytest.fixture
def complete(audit: Audit) -> Iterator[Audit]:
    fill(audit, complete=True)
    yield audit


@pytest.fixture
def half_path(half: Audit) -> Path:
    return Path(half.path)
