"""The employer's staff as the profile records it: by level, and the workforce in scope.

Kept apart from :mod:`auditkit.rules.sampling` (which imports both from here) so that showing
the profile, as the dashboard's first frame does, does not load the sampling table's rules.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from auditkit.vocabulary import ROLES


def declared_staff(profile: Mapping[str, Any]) -> dict[str, int] | None:
    """The staff by level recorded in the profile, or None when none was declared."""
    raw = profile.get("staff")
    if not raw:
        return None
    staff = json.loads(raw) if isinstance(raw, str) else dict(raw)
    if not staff:
        return None
    return {role: int(staff.get(role, 0)) for role in ROLES}


def workforce(profile: Mapping[str, Any]) -> int | None:
    """The workforce in scope: the staff's sum, else the largest monthly headcount."""
    staff = declared_staff(profile)
    if staff is not None:
        return sum(staff.values())
    workers = profile.get("workers")
    return int(workers) if workers is not None else None
