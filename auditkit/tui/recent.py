"""The Home screen's list of recently opened audits, kept in the user's config folder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

MAX_RECENT = 12


@dataclass(frozen=True)
class Recent:
    path: str
    company: str


def recent_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "auditkit" / "recent.json"


def recent() -> list[Recent]:
    """Recently opened audits that still exist, newest first; an unreadable list is empty."""
    try:
        rows = json.loads(recent_file().read_text(encoding="utf-8"))
        found = [Recent(str(r["path"]), str(r.get("company", ""))) for r in rows]
    except (OSError, ValueError, TypeError, KeyError):
        return []
    return [r for r in found if Path(r.path).is_file()]


def remember(path: Path, company: str) -> None:
    """Put ``path`` first in the list; failing to write the list never stops the audit."""
    entry = Recent(str(Path(path).resolve()), company)
    rows = [entry] + [r for r in recent() if r.path != entry.path]
    target = recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps([r.__dict__ for r in rows[:MAX_RECENT]], indent=1), encoding="utf-8"
        )
    except OSError:
        pass  # a read-only home folder must not block opening an audit
