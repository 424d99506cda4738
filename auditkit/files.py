"""Files that appear whole or not at all: built under a temporary name, then moved into place."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from auditkit.errors import AuditkitError

# A temporary name without a process id (auditkit before issue 16) is removed once this old.
UNOWNED_AGE_S = 3600


def clean_leftovers(target: Path) -> list[Path]:
    """Remove the temporary copies of ``target`` a killed run left (``.NAME.PID-xxxx.tmp`` and
    their SQLite sidecars) whose process is gone; returns what was removed."""
    removed = []
    for temp in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
        owner = temp.name[len(target.name) + 2 : -len(".tmp")].partition("-")
        if owner[1] and owner[0].isdigit():
            if _alive(int(owner[0])):
                continue
        else:
            try:
                if time.time() - temp.stat().st_mtime < UNOWNED_AGE_S:
                    continue
            except OSError:
                continue
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"), Path(f"{temp}-journal")):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass  # gone already, or not ours to remove
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, another user's
    return True


def glob_escape(name: str) -> str:
    """``name`` with the characters ``glob`` treats specially made literal."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


@contextmanager
def built_beside(
    target: Path,
    exists_hint: str | None = None,
    guard: Callable[[Path], AbstractContextManager[None]] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block succeeds, rename it over.

    With ``exists_hint`` a ``target`` that appeared meanwhile is refused (``FILE: already
    exists; HINT``) instead of replaced. Whatever happens, the temporary file and any SQLite
    ``-wal``/``-shm`` beside it are removed. ``guard(target)`` wraps the rename (audits
    pass :func:`auditkit.store.sidecars.taking_name`).
    """
    clean_leftovers(target)
    # The builder's process id in the name tells a later run whether it is still at work.
    temp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield temp
        if exists_hint is not None and target.exists():
            raise AuditkitError(f"{target}: already exists; {exists_hint}")
        with guard(target) if guard is not None else nullcontext():
            os.replace(temp, target)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
