"""COR or SECOR: which certificate an employer qualifies for from its monthly headcounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditkit.errors import UsageError

SECOR_MAX_WORKERS = 10


@dataclass(frozen=True)
class Eligibility:
    certificate: str
    largest: int
    reason: str


def certificate_for(headcounts: Sequence[int]) -> Eligibility:
    """SECOR when the largest monthly headcount of the past 12 months is 10 or fewer.

    The headcount is everyone on the WCB account (owners, family members, full- and part-time
    workers, volunteers, managers and partners) and the largest month counts, not the average.
    """
    if not headcounts:
        raise UsageError("give at least one monthly headcount")
    if len(headcounts) > 12:
        raise UsageError(
            f"give at most 12 monthly headcounts (the past 12 months), not {len(headcounts)}"
        )
    if any(n < 0 for n in headcounts):
        raise UsageError("headcounts must be whole numbers >= 0")
    largest = max(headcounts)
    months = f"{len(headcounts)} month{'s' if len(headcounts) != 1 else ''}"
    if largest <= SECOR_MAX_WORKERS:
        return Eligibility(
            "SECOR",
            largest,
            (
                f"SECOR: the largest headcount over {months} is {largest}, "
                f"no more than {SECOR_MAX_WORKERS} workers at any time."
            ),
        )
    return Eligibility(
        "COR",
        largest,
        (
            f"COR: the largest headcount over {months} is {largest}, more than "
            f"{SECOR_MAX_WORKERS} workers (the largest month counts, not the average)."
        ),
    )
