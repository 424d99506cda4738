"""The embedded target: a folder of audit files, one merged file per audit, no server.

Publishing merges the copy into the folder's file of that audit with ``merge`` itself (the
folder is created on the first publish); a copy whose entries the file already holds changes
nothing. Publishers take a lock file in the folder, so two at once do not lose each other's
entries. The portfolio's rows are cached beside the files, keyed by each file's size and
modification time, so listing hundreds of audits does not reopen and rescore them all.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError, NotAnAudit
from auditkit.portfolio.summary import file_actions, finish, summarise
from auditkit.portfolio.target import LocalCopy, Published
from auditkit.store.audit_file import Store
from auditkit.store.evidence import blob_row
from auditkit.store.journal import Entry
from auditkit.team.merge import merge

CACHE = ".auditkit-portfolio.json"
LOCK = ".auditkit.lock"
CACHE_FORMAT = 1


def file_name(company: str, audit_id: str) -> str:
    """``acme-ltd--<audit id>.audit``: readable, and unique by the id."""
    slug = re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-")[:40] or "audit"
    return f"{slug}--{audit_id}.audit"


class FolderSnapshot:
    """The folder's file of one audit, as ``pull`` reads it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.entries: list[Entry] = store.journal()

    @contextlib.contextmanager
    def base(self) -> Iterator[Store]:
        yield self.store

    def blob(self, sha256: str) -> tuple[str, int, str, bytes]:
        row = blob_row(self.store, sha256)
        if row is None:
            raise AuditkitError(f"{self.store.path}: evidence file {sha256[:12]}… is missing")
        return (sha256, *row)


class FolderTarget:
    """A folder of audit files (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = str(folder)
        self._open: list[Store] = []

    def close(self) -> None:
        for store in self._open:
            store.close()
        self._open.clear()

    def _exists(self, create: bool) -> bool:
        if self.folder.exists() and not self.folder.is_dir():
            raise AuditkitError(f"{self.folder}: not a folder (a portfolio is a folder of audits)")
        if not self.folder.exists():
            if not create:
                return False
            try:
                # Another publisher may create it between the check and here: that is fine.
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AuditkitError(f"{self.folder}: cannot create ({exc.strerror})") from None
        return True

    def files(self) -> list[Path]:
        if not self._exists(create=False):
            return []
        return sorted(p for p in self.folder.glob("*.audit") if not p.name.startswith("."))

    def path_for(self, audit_id: str) -> Path | None:
        found = sorted(self.folder.glob(f"*--{audit_id}.audit")) if self.folder.is_dir() else []
        return found[0] if found else None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            handle = open(self.folder / LOCK, "a")  # noqa: SIM115 - held for the block
        except OSError as exc:
            raise AuditkitError(f"{self.folder}: cannot write ({exc.strerror})") from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    # -- publish ---------------------------------------------------------------------------

    def publish(self, copy: LocalCopy) -> Published:
        audit_id, company = copy.audit["id"], str(copy.audit.get("company") or "")
        self._exists(create=True)
        with self._locked():
            held = self.path_for(audit_id)
            known: dict[str, str] = {}
            if held is not None:
                with Store.open(held) as store:
                    known = {e.id: e.origin_hash or e.hash for e in store.journal()}
            new = copy.new_entries(known, str(held))
            if not new:
                return Published(copy.store.path, audit_id, company, 0, len(known), None)
            dest = held or self.folder / file_name(company, audit_id)
            temp = self.folder / f".{dest.name}.{uuid.uuid4().hex[:8]}.publish"
            try:
                result = merge(temp, [held, copy.store.path] if held else [copy.store.path])
                os.replace(temp, dest)
            finally:
                temp.unlink(missing_ok=True)
        self._cached_rows()  # refresh the cache while the new file is fresh in mind
        return Published(
            copy.store.path,
            audit_id,
            company,
            len(new),
            result.entries,
            result.answers,
            result.notes,
        )

    # -- pull ------------------------------------------------------------------------------

    def find(self, ref: str) -> list[tuple[str, str, str]]:
        rows = self._cached_rows()
        by_id = [r for r in rows if r["audit_id"] == ref]
        matches = by_id or [r for r in rows if r["company"].lower() == ref.strip().lower()]
        return [(r["audit_id"], r["company"], r["start_date"] or "") for r in matches]

    def snapshot(self, audit_id: str) -> FolderSnapshot:
        path = self.path_for(audit_id)
        if path is None:
            raise AuditkitError(f"{self.folder}: no published audit {audit_id!r}")
        store = Store.open(path)
        self._open.append(store)
        return FolderSnapshot(store)

    # -- portfolio -------------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        rows = self._cached_rows()
        actions = {r["audit_id"]: r.get("actions", []) for r in rows}
        return finish(rows, actions, date.today())

    def _cached_rows(self) -> list[dict[str, Any]]:
        """Every file's row, recomputed only for files changed since the cache saw them."""
        cache_path = self.folder / CACHE
        try:
            cache = json.loads(cache_path.read_text(encoding="utf-8"))
            if cache.get("format") != CACHE_FORMAT:
                cache = {}
        except (OSError, ValueError, AttributeError):
            cache = {}
        files: dict[str, Any] = cache.get("files", {}) if isinstance(cache, dict) else {}
        fresh: dict[str, Any] = {}
        for path in self.files():
            stat = path.stat()
            stamp = [stat.st_mtime_ns, stat.st_size]
            known = files.get(path.name)
            if isinstance(known, dict) and known.get("stamp") == stamp:
                fresh[path.name] = known
                continue
            try:
                fresh[path.name] = {"stamp": stamp, "row": _summarise_file(path)}
            except NotAnAudit:
                continue  # not an audit: not part of the portfolio
        if fresh != files:
            _write_json(cache_path, {"format": CACHE_FORMAT, "files": fresh})
        return [entry["row"] for entry in fresh.values()]


def _summarise_file(path: Path) -> dict[str, Any]:
    with Store.open(path) as store:
        row = summarise(
            store.audit(), store.protocol_files(), store.answer_values(), f"{path}:protocol"
        )
        row["actions"] = [{"due": a["due"], "status": a["status"]} for a in file_actions(store)]
    return row


def _write_json(path: Path, data: Any) -> None:
    """Best effort: a cache that cannot be written is only slower next time."""
    temp = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        temp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
