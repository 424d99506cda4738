"""The PostgreSQL target: published audits in plain tables of one server.

Publishing one copy, in one transaction holding that audit's lock: the entries the server
lacks are added (as first written); the union of every published copy is replayed as ``merge``
replays it and the audit's replayed rows, score and attached files are replaced; the other
tables ``pull`` needs (the stored protocol, meta rows, the action plan) come from the copy with
the most entries, the one ``merge`` would keep them from. A copy the server already holds
entirely sends nothing and changes nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError
from auditkit.portfolio.summary import action, file_actions, summarise
from auditkit.portfolio.target import LocalCopy, Published, original
from auditkit.store.audit_file import Store
from auditkit.store.building import MERGED_TABLES
from auditkit.store.evidence import blob_row
from auditkit.store.exchange import build_base, content_tables, read_rows, table_sql
from auditkit.store.file_tables import applied_migrations
from auditkit.store.journal import Entry
from auditkit.store.migrations import migrations
from auditkit.store.postgres import STATE_TABLES, PgStore
from auditkit.store.records import ANSWER_IDS
from auditkit.team.merge import rechain
from auditkit.team.replay import State, replay
from auditkit.team.verify import verify

SCHEMA_ROWS = "_schema"  # base_rows' pseudo-table of CREATE TABLE statements


class ServerSnapshot:
    """One audit's union on the server, as ``pull`` reads it."""

    def __init__(self, pg: PgStore, audit_id: str) -> None:
        self.pg = pg
        self.audit_id = audit_id
        self.entries: list[Entry] = pg.entries(audit_id)

    @contextmanager
    def base(self) -> Iterator[Store]:
        """The base copy rebuilt from its rows, in a temporary file removed afterwards."""
        schema, tables = self.pg.base(self.audit_id)
        unknown = set(schema) - {m.name for m in migrations._migrations}
        if unknown:
            raise AuditkitError(
                f"{self.pg.name}: audit {self.audit_id} was published by a newer auditkit "
                f"(schema {max(unknown)}); upgrade auditkit"
            )
        created = tables.pop(SCHEMA_ROWS, [])
        with tempfile.TemporaryDirectory(prefix="auditkit-pull-") as folder:
            path = Path(folder) / "base.audit"
            build_base(path, self.audit_id, tables, created)
            with Store.open(path) as store:
                yield store

    def blob(self, sha256: str) -> tuple[str, int, str, bytes]:
        row = self.pg.blob(sha256)
        if row is None:
            raise AuditkitError(f"{self.pg.name}: evidence file {sha256[:12]}… is missing")
        return row


class PostgresTarget:
    """A ``postgresql://`` URL (see the module's docstring)."""

    def __init__(self, url: str) -> None:
        self.pg = PgStore.connect(url)
        self.name = self.pg.name
        self._migrated = False

    def close(self) -> None:
        self.pg.close()

    def publish(self, copy: LocalCopy) -> Published:
        if not self._migrated:
            self.pg.migrate()
            self._migrated = True
        audit_id, company = copy.audit["id"], str(copy.audit.get("company") or "")
        with self.pg.publishing(audit_id):
            known = self.pg.entry_hashes(audit_id)
            new = copy.new_entries(known, self.name)
            if not new:
                return Published(copy.store.path, audit_id, company, 0, len(known), None)
            chain, state = _union(copy, self.pg.entries(audit_id) + new if known else None)
            if state.audit is None:
                raise AuditkitError(f"{copy.store.path}: the journal has no audit profile")
            rank = self.pg.base_rank(audit_id)
            is_base = rank is None or copy.rank > rank
            # Everything read from the file before verify starts reading it in its thread.
            protocol = copy.store.protocol_files()
            schema = applied_migrations(copy.store)
            blobs = self._missing_blobs(copy, state)
            actions = file_actions(copy.store) if is_base else None
            base = _base_tables(copy.store) if is_base else None
            with ThreadPoolExecutor(1) as pool:
                # The server takes in the rows while this process checks the file; a file
                # that fails verification rolls the whole publish back.
                checked = pool.submit(
                    verify, copy.store, copy.entries, state if chain is copy.entries else None
                )
                row = summarise(
                    state.audit,
                    protocol,
                    ((q, s, r["value"]) for (q, s), r in state.answers.items()),
                    f"{copy.store.path}:protocol",
                )
                self.pg.save_audit(
                    _audit_row(row, state, len(chain), copy.rank, schema), keep_base=not is_base
                )
                self.pg.add_entries(audit_id, new)
                self.pg.add_blobs(blobs)
                self.pg.replace_state(audit_id, _state_tables(state))
                replayed_actions = getattr(state, "actions", None)  # when the replay keeps them
                if replayed_actions is not None:
                    self.pg.replace_actions(
                        audit_id, [action(a) for a in replayed_actions.values()]
                    )
                elif actions is not None:
                    self.pg.replace_actions(audit_id, actions)
                if base is not None:
                    self.pg.replace_base(audit_id, base)
                report = checked.result()
            if not report.ok:
                raise AuditkitError(
                    f"{copy.store.path}: fails verification ({report.problems[0]}); nothing "
                    f"published (see 'auditkit verify {copy.store.path}')"
                )
        return Published(
            copy.store.path,
            audit_id,
            company,
            len(new),
            len(chain),
            len(state.answers),
            state.notes,
        )

    def _missing_blobs(self, copy: LocalCopy, state: State) -> list[tuple[str, int, str, bytes]]:
        needed = {row["sha256"] for row in state.evidence.values()}
        missing = sorted(needed - self.pg.blobs_present(needed))
        rows = []
        for sha256 in missing:
            found = blob_row(copy.store, sha256)
            if found is None:
                raise AuditkitError(
                    f"evidence file {sha256[:12]}… is attached but in none of the published copies"
                )
            rows.append((sha256, *found))
        return rows

    def find(self, ref: str) -> list[tuple[str, str, str]]:
        if not self.pg.check_version():
            return []
        return [(a, c, s.isoformat() if s else "") for a, c, s in self.pg.find(ref)]

    def snapshot(self, audit_id: str) -> ServerSnapshot:
        return ServerSnapshot(self.pg, audit_id)

    def rows(self) -> list[dict[str, Any]]:
        return self.pg.portfolio()


def _union(copy: LocalCopy, union: list[Entry] | None) -> tuple[list[Entry], State]:
    """The union's chain and replay, as ``merge`` builds them.

    With nothing on the server (``union`` None) the union is the copy itself; its journal is
    already the chain ``merge`` would build when its entries are in ``(at, id)`` order (they
    are: times never go backwards within a file, and a merged file is written in that
    order), so it is used as it is, and ``verify`` checks its hashes.
    """
    if union is None:
        entries = copy.entries
        keys = [(e.at, e.id) for e in entries]
        if all(a < b for a, b in zip(keys, keys[1:], strict=False)):
            return entries, replay(entries)
        union = [original(e) for e in entries]
    chain = rechain(sorted(union, key=lambda e: (e.at, e.id)))
    return chain, replay(chain)


def _audit_row(
    row: dict[str, Any],
    state: State,
    entries: int,
    base: tuple[int, str],
    schema: list[str],
) -> dict[str, Any]:
    profile = state.audit or {}
    return {
        "audit_id": row["audit_id"],
        "company": row["company"],
        "certificate": profile.get("certificate"),
        "protocol_id": profile.get("protocol_id"),
        "protocol_version": profile.get("protocol_version"),
        "protocol_sha256": profile.get("protocol_sha256"),
        "purpose": profile.get("purpose"),
        "wcb_account": profile.get("wcb_account") or "",
        "industry_code": profile.get("industry_code") or "",
        "workers": profile.get("workers"),
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "auditors": row["auditors"],
        "auditor": row["auditor"],
        "finalized_at": profile.get("finalized_at") or None,
        "answered": row["answered"],
        "questions": row["questions"],
        "percent": row["percent"],
        "passed": row["passed"],
        "profile": profile,
        "entries": entries,
        "base_entries": base[0],
        "base_head": base[1],
        "base_schema": schema,
    }


def _state_tables(state: State) -> dict[str, list[tuple[Any, ...]]]:
    """The replay's rows as the server's tables hold them, in STATE_TABLES' column order
    (no subject: NULL)."""

    def rows(table: str, source: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        columns = STATE_TABLES[table]
        return [tuple(row.get(c) for c in columns) for row in source]

    answers = [
        (answer_id(q, s), q, s or None, row["value"], row["note"], row["author"], row["updated_at"])
        for (q, s), row in state.answers.items()
    ]
    evidence = [{**row, "subject_id": row["subject_id"] or None} for row in state.evidence.values()]
    return {
        "subjects": rows("subjects", state.subjects.values()),
        "subject_aliases": list(state.aliases.items()),
        "answers": answers,
        "evidence": rows("evidence", evidence),
        "recommendations": rows("recommendations", state.recommendations.values()),
    }


_ANSWER_NAMESPACE = ANSWER_IDS.bytes


def answer_id(question_id: str, subject_id: str) -> str:
    """:func:`~auditkit.store.audit_file.answer_id_for`, without building a UUID object
    (a publish computes 45,500 of them)."""
    h = hashlib.sha1(_ANSWER_NAMESPACE + f"{question_id}|{subject_id}".encode()).hexdigest()
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def _base_tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The tables ``merge`` keeps from its base copy: every table it does not replay, and
    their ``CREATE TABLE`` statements (as the pseudo-table ``_schema``)."""
    kept = {
        table: read_rows(store, table)
        for table in content_tables(store)
        if table not in MERGED_TABLES
    }
    return {**kept, SCHEMA_ROWS: table_sql(store)}
