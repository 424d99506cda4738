"""COR or SECOR: which certificate an employer qualifies for from its monthly headcounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditkit.errors import UsageError

SECOR_MAX_WORKERS = 10


@dataclass(frozen=True)
class Eligibility:
    certificate: str  # the one ``new`` picks from the headcounts alone
    largest: int
    reason: str
    choices: tuple[str, ...] = ()  # every certificate open to the employer, the default first


def certificate_for(headcounts: Sequence[int]) -> Eligibility:
    """SECOR or COR (the employer's choice) when every monthly headcount of the past 12
    months is 10 or fewer; COR alone above that. COR is open to any employer with more than
    one worker.

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
    if largest <= 1:
        return Eligibility(
            "SECOR",
            largest,
            (
                f"SECOR: the largest headcount over {months} is {largest}; COR is open to "
                f"employers with more than one worker."
            ),
            ("SECOR",),
        )
    if largest <= SECOR_MAX_WORKERS:
        return Eligibility(
            "SECOR",
            largest,
            (
                f"SECOR or COR (your choice): the largest headcount over {months} is "
                f"{largest}, no more than {SECOR_MAX_WORKERS} workers in any month; COR is "
                f"open to any employer with more than one worker."
            ),
            ("SECOR", "COR"),
        )
    return Eligibility(
        "COR",
        largest,
        (
            f"COR: the largest headcount over {months} is {largest}, more than "
            f"{SECOR_MAX_WORKERS} workers (the largest month counts, not the average)."
        ),
        ("COR",),
    )
