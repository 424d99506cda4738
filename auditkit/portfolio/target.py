"""What a portfolio target is, and which one ``--db`` (or ``$AUDITKIT_DB``) names.

A target keeps published audits and gives them back: :meth:`PortfolioTarget.publish` sends a
file's journal entries, :meth:`PortfolioTarget.snapshot` hands ``pull`` the union of every
published copy, :meth:`PortfolioTarget.rows` lists the portfolio.
"""

from __future__ import annotations

import os
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from auditkit.errors import AuditkitError, UsageError
from auditkit.store.audit_file import Store
from auditkit.store.exchange import first_hashes, journal_head
from auditkit.store.journal import Entry

ENV = "AUDITKIT_DB"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
POSTGRES_SCHEMES = ("postgresql", "postgres")


@dataclass
class Published:
    """What publishing one file did."""

    path: Path
    audit_id: str
    company: str
    added: int  # journal entries the target did not have
    entries: int  # entries the target holds for the audit afterwards
    answers: int | None  # None when nothing was sent
    notes: list[str] = field(default_factory=list)


class Snapshot(Protocol):
    """The union of every published copy of one audit, as ``pull`` rebuilds it."""

    entries: list[Entry]

    def base(self) -> AbstractContextManager[Store]:
        """The copy whose other tables ``merge`` would keep, open for reading."""

    def blob(self, sha256: str) -> tuple[str, int, str, bytes]:
        """An attached file's row (sha256, size, mime, data)."""


class PortfolioTarget(Protocol):
    """A place audits are published to: a folder of audit files or a PostgreSQL server."""

    name: str

    def publish(self, copy: LocalCopy) -> Published:
        """Send the copy's journal entries the target lacks (none: nothing changes)."""

    def find(self, ref: str) -> list[tuple[str, str, str]]:
        """(audit_id, company, start date) of the audits ``ref`` names (id, else company)."""

    def snapshot(self, audit_id: str) -> Snapshot:
        """The audit's union, for ``pull``."""

    def rows(self) -> list[dict[str, Any]]:
        """The portfolio: one row per audit (see :data:`auditkit.portfolio.summary.COLUMNS`)."""

    def close(self) -> None: ...


@dataclass
class LocalCopy:
    """One audit file about to be published, opened read-only.

    Only the entries' ids and first hashes are read up front: a copy the target already
    holds is then answered without building its whole journal.
    """

    store: Store
    audit: dict[str, Any]
    hashes: dict[str, str]  # entry id -> hash as first written, in journal order
    head: str

    @classmethod
    def read(cls, path: Path) -> LocalCopy:
        store = Store.open(path)
        try:
            return cls(store, store.audit(), first_hashes(store), journal_head(store))
        except BaseException:
            store.close()
            raise

    @cached_property
    def entries(self) -> list[Entry]:
        return self.store.journal()

    @property
    def rank(self) -> tuple[int, str]:
        """How ``merge`` picks the copy whose other tables it keeps: most entries, then hash."""
        return len(self.hashes), self.head

    def new_entries(self, known: dict[str, str], where: str) -> list[Entry]:
        """The entries (as first written) ``known`` (id -> first hash) lacks; one that
        differs from the target's entry of the same id is refused, as ``merge`` refuses it."""
        missing = set()
        for entry_id, first in self.hashes.items():
            held = known.get(entry_id)
            if held is None:
                missing.add(entry_id)
            elif held != first:
                raise AuditkitError(
                    f"{self.store.path}: journal entry {entry_id} differs from the same entry "
                    f"in {where}; nothing published"
                )
        if not missing:
            return []
        return [original(e) for e in self.entries if e.id in missing]

    def close(self) -> None:
        self.store.close()


def original(entry: Entry) -> Entry:
    """The entry as first written: ``prev`` and ``hash`` before any merge re-chained it."""
    if entry.origin_hash is None and entry.origin_prev is None:
        return entry
    return Entry(
        entry.seq,
        entry.id,
        entry.at,
        entry.author,
        entry.action,
        entry.entity,
        entry.key,
        entry.before,
        entry.after,
        entry.origin_prev or entry.prev,
        entry.origin_hash or entry.hash,
        entry.supersedes,
        entry.reason,
    )


def choose(target: PortfolioTarget, ref: str) -> str:
    """The one audit ``ref`` names, or a one-line refusal listing the candidates."""
    found = target.find(ref)
    if not found:
        raise AuditkitError(f"{target.name}: no published audit {ref!r} (see 'auditkit portfolio')")
    if len(found) > 1:
        listed = "; ".join(
            f"{aid} ({company}, started {start or '?'})" for aid, company, start in found
        )
        raise AuditkitError(
            f"{target.name}: {ref!r} names {len(found)} different audits; give the audit "
            f"id: {listed}"
        )
    return found[0][0]


def display_name(spec: str) -> str:
    """A target as people may see it: a URL without its password."""
    from auditkit.store.postgres import redact

    return redact(spec)


def open_target(spec: str | None) -> PortfolioTarget:
    """The target ``spec`` names (default ``$AUDITKIT_DB``): a folder or a postgresql:// URL."""
    spec = (spec if spec is not None else os.environ.get(ENV, "")).strip()
    if not spec:
        raise UsageError(
            f"no portfolio: give --db TARGET or set {ENV} (a folder or a postgresql:// URL)"
        )
    scheme = _SCHEME.match(spec)
    if scheme:
        if scheme.group(1).lower() not in POSTGRES_SCHEMES:
            raise AuditkitError(
                f"{scheme.group(1)}://: not a portfolio target; use a folder or a postgresql:// URL"
            )
        from auditkit.portfolio.server import PostgresTarget

        return PostgresTarget(spec)
    from auditkit.portfolio.folder import FolderTarget

    return FolderTarget(Path(spec).expanduser())
