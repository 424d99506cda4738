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
    start_date: str = ""  # the audit's start date
    status: str = ""  # "draft" or "finalized"
    answered: int = 0  # answers given, of ``expected``, when last seen
    expected: int = 0
    stamp: str = ""  # the file as it was then (see file_stamp): Home re-reads it if changed

    def progress(self) -> str:
        """``412/1017 answered (40%)``, or "" when unknown."""
        if not self.expected:
            return ""
        return f"{self.answered}/{self.expected} answered ({self.answered * 100 // self.expected}%)"


def recent_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "auditkit" / "recent.json"


def recent() -> list[Recent]:
    """Recently opened audits that still exist, newest first; an unreadable list is empty."""
    try:
        rows = json.loads(recent_file().read_text(encoding="utf-8"))
        found = [
            Recent(
                str(r["path"]),
                str(r.get("company", "")),
                str(r.get("start_date") or ""),
                str(r.get("status") or ""),
                int(r.get("answered") or 0),
                int(r.get("expected") or 0),
                str(r.get("stamp") or ""),
            )
            for r in rows
        ]
    except (OSError, ValueError, TypeError, KeyError):
        return []
    return [r for r in found if Path(r.path).is_file()]


def file_stamp(path: str | Path) -> str:
    """Size and modification time of an audit file and its write-ahead log: any write by
    any program changes it (a stat or two, cheap enough for Home to check every row)."""
    parts = []
    for name in (str(path), f"{path}-wal"):
        try:
            info = os.stat(name)
        except OSError:
            continue
        parts.append(f"{info.st_size}:{info.st_mtime_ns}")
    return "/".join(parts)


def remember(
    path: Path,
    company: str,
    start_date: str = "",
    status: str = "",
    answered: int = 0,
    expected: int = 0,
) -> None:
    """Put ``path`` first in the list, with what Home shows of it (date, status, progress);
    failing to write the list never stops the audit."""
    where = str(Path(path).resolve())
    entry = Recent(where, company, start_date, status, answered, expected, file_stamp(where))
    _write([entry] + [r for r in recent() if r.path != entry.path])


def refresh(entries: list[Recent]) -> None:
    """Replace the rows of ``entries`` (by path) in place, keeping the list's order."""
    fresh = {e.path: e for e in entries}
    _write([fresh.get(r.path, r) for r in recent()])


def _write(rows: list[Recent]) -> None:
    target = recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps([r.__dict__ for r in rows[:MAX_RECENT]], indent=1), encoding="utf-8"
        )
    except OSError:
        pass  # a read-only home folder must not block opening an audit
