"""Files that appear whole or not at all: built under a temporary name, then moved into place."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from auditkit.errors import AuditkitError


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
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield temp
        if exists_hint is not None and target.exists():
            raise AuditkitError(f"{target}: already exists; {exists_hint}")
        with guard(target) if guard is not None else nullcontext():
            os.replace(temp, target)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
