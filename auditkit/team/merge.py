"""Merge the files of a team who worked one audit, each offline on their own copy.

The merged file is the union of the inputs' journal entries (by entry id), ordered by
``(at, id)`` and replayed (see :mod:`auditkit.team.replay`), so the result depends only on the set
of entries: merging is order-independent, and merging a file with itself (or with a file it
already contains) changes nothing. Journal times never go backwards within a file, so that
order keeps every change after the changes its author had seen.

The merged journal is one chain again: each entry's ``prev`` and ``hash`` are recomputed in
that order, and where they change the entry keeps the ones it was first written with in
``origin_prev``/``origin_hash`` (checked by ``verify`` too), so its provenance stays provable.
An answer changed in two files is a conflict (see :mod:`auditkit.team.conflicts`); the later
change is in the merged file until someone picks the other side.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError, UsageError
from auditkit.files import built_beside
from auditkit.protocol.model import files_sha256
from auditkit.store import journal
from auditkit.store.audit_file import Store
from auditkit.store.building import MergedTables, build_merged
from auditkit.store.evidence import blob_row
from auditkit.store.journal import Entry
from auditkit.store.sidecars import taking_name
from auditkit.team.conflicts import Conflict, find_conflicts
from auditkit.team.replay import State, replay
from auditkit.team.verify import verify

# How far ahead of this computer's clock an entry may be dated (another laptop's clock).
FUTURE_SLACK = timedelta(days=1)
# Journal entities the replay rebuilds; any other table is copied from one input.
REPLAYED = ("audit", "subjects", "answers", "evidence", "recommendations", "meta")


@dataclass
class MergeResult:
    """What a merge wrote, and what the person merging should review."""

    path: Path
    inputs: list[Path]
    entries: int
    answers: int
    subjects: int
    evidence: int
    brought: dict[Path, int] = field(default_factory=dict)  # entries only this input had
    notes: list[str] = field(default_factory=list)  # unified and relabelled subjects
    conflicts: list[Conflict] = field(default_factory=list)


def merge(out: str | Path, inputs: list[str | Path]) -> MergeResult:
    """Write the merge of ``inputs`` to the new file ``out``; the inputs are only read.

    Refuses (naming the file) an existing ``out``, an input that is not an audit, one that
    fails verification, and files of different audits.
    """
    out = Path(out)
    paths = [Path(p) for p in inputs]
    if not paths:
        raise UsageError("merge needs at least one input file")
    if out.exists():
        raise AuditkitError(f"{out}: already exists; merge into a new file")
    if not out.parent.is_dir():
        raise AuditkitError(f"{out.parent}: no such folder")
    with ExitStack() as stack:
        stores = [stack.enter_context(Store.open(path)) for path in paths]
        for store in stores:  # each input read in one state, even while its owner writes
            stack.enter_context(store.snapshot())
        _check_same_audit(stores)
        _check_same_protocol(stores)
        per_input = [store.journal() for store in stores]
        for store, entries in zip(stores, per_input, strict=True):
            report = verify(store, entries)
            if not report.ok:
                raise AuditkitError(
                    f"{store.path}: fails verification ({report.problems[0]}); "
                    f"nothing merged (see 'auditkit verify {store.path}')"
                )
        _check_not_future(paths, per_input)
        union = _union(paths, per_input)
        chain = rechain(sorted(union.values(), key=lambda e: (e.at, e.id)))
        state = replay(chain)
        base = max(
            range(len(stores)),
            key=lambda i: (len(per_input[i]), per_input[i][-1].hash if per_input[i] else ""),
        )
        _write(out, stores[base], stores, chain, state)
    ids = [{e.id for e in entries} for entries in per_input]
    brought = {
        path: len(mine - set().union(*(o for j, o in enumerate(ids) if j != i)))
        for i, (path, mine) in enumerate(zip(paths, ids, strict=True))
    }
    labels = {sid: state.subject_label(sid) for sid in state.subjects}
    found = find_conflicts([e for e in chain if e.entity == "answers"], state.aliases, labels)
    notes = state.notes + [
        f"warning: {entity} changes are in the merged journal, but the {entity} table was "
        f"copied from {paths[base]} alone (this auditkit cannot replay them)"
        for entity in sorted(state.entities - set(REPLAYED))
    ]
    return MergeResult(
        out,
        paths,
        len(chain),
        len(state.answers),
        len(state.subjects),
        len(state.evidence),
        brought,
        notes,
        found,
    )


def rechain(ordered: list[Entry]) -> list[Entry]:
    """The entries chained in the given order; each keeps its first hash where it changes."""
    chained: list[Entry] = []
    prev = journal.GENESIS
    for entry in ordered:
        first_prev = entry.origin_prev or entry.prev
        first_hash = entry.origin_hash or entry.hash
        fields = {**entry.fields(), "prev": prev}
        fields["hash"] = journal.entry_hash(fields)
        moved = prev != first_prev
        fields["origin_prev"] = first_prev if moved else None
        fields["origin_hash"] = first_hash if moved else None
        chained.append(Entry(seq=len(chained) + 1, **fields))
        prev = fields["hash"]
    return chained


def _check_same_audit(stores: list[Store]) -> None:
    first = stores[0].audit()
    for store in stores[1:]:
        other = store.audit()
        if other["id"] != first["id"]:
            raise AuditkitError(
                f"{store.path}: a different audit ({other['company']}, started "
                f"{_day(other)}) from {stores[0].path} ({first['company']}, started "
                f"{_day(first)}); only copies of one audit can be merged"
            )


def _check_not_future(paths: list[Path], per_input: list[list[Entry]]) -> None:
    """An entry dated after tomorrow comes from a wrong clock: merged, it would win every
    conflict and stamp every later change with its date. Refused, naming it."""
    limit = (datetime.now(UTC) + FUTURE_SLACK).strftime(journal.STAMP)
    for path, entries in zip(paths, per_input, strict=True):
        ahead = [e for e in entries if e.at > limit]
        if ahead:
            first = ahead[0]
            raise AuditkitError(
                f"{path}: journal entry #{first.seq} ({first.action} {first.key}) is dated "
                f"{first.at[:10]}, in the future ({len(ahead)} such entries; a wrong clock?); "
                f"nothing merged"
            )


def _check_same_protocol(stores: list[Store]) -> None:
    """Copies of one audit on different protocols (one swapped) cannot be merged: the merged
    answers would be scored against whichever protocol the base file carries."""
    first = _protocol_hashes(stores[0])
    for store in stores[1:]:
        other = _protocol_hashes(store)
        if other != first:
            raise AuditkitError(
                f"{store.path}: protocol {other[0][:12]}… differs from {stores[0].path} "
                f"(protocol {first[0][:12]}…); only copies on the same protocol can be merged; "
                f"nothing merged"
            )


def _protocol_hashes(store: Store) -> tuple[str, str]:
    """The SHA-256 of the protocol copy the file holds, and of the one its profile names."""
    return files_sha256(store.protocol_files()), str(store.audit().get("protocol_sha256") or "")


def _day(audit: dict[str, Any]) -> str:
    return str(audit.get("start_date") or audit["id"][:8])


def _union(paths: list[Path], per_input: list[list[Entry]]) -> dict[str, Entry]:
    """Entries by id; one id with different contents in two files is refused."""
    union: dict[str, Entry] = {}
    source: dict[str, Path] = {}
    for path, entries in zip(paths, per_input, strict=True):
        for entry in entries:
            seen = union.get(entry.id)
            if seen is None:
                union[entry.id], source[entry.id] = entry, path
            elif _original(seen) != _original(entry):
                raise AuditkitError(
                    f"{path}: journal entry {entry.id} differs from the same "
                    f"entry in {source[entry.id]}; nothing merged"
                )
    return union


def _original(entry: Entry) -> tuple[Any, ...]:
    """An entry as it was first written, wherever it has been merged since."""
    fields = entry.fields()
    return (
        *(fields[name] for name in journal.FIELDS if name != "prev"),
        *(fields[name] for name in journal.EXTRA),
        entry.origin_prev or entry.prev,
        entry.origin_hash or entry.hash,
    )


def _write(out: Path, base: Store, stores: list[Store], chain: list[Entry], state: State) -> None:
    """Build the merged file beside ``out`` from a copy of ``base``, then move it into place
    (the base is chosen from the inputs' contents, not their order)."""
    tables = merged_tables(chain, state, lambda sha256: _blob(stores, sha256))
    with built_beside(out, "merge into a new file", guard=taking_name) as temp:
        build_merged(temp, base, tables)


def merged_tables(
    chain: list[Entry], state: State, blob: Callable[[str], tuple[str, int, str, bytes]]
) -> MergedTables:
    """What the merged file holds: ``chain``, its replay ``state``, and the attached files
    (sha256, size, mime, data) from ``blob``. ``pull`` builds its files with this too."""
    journaled_meta = {e.key for e in chain if e.entity == "meta"}
    blobs = (blob(sha256) for sha256 in sorted({r["sha256"] for r in state.evidence.values()}))
    return MergedTables(
        journal=chain,
        audit=state.audit,
        subjects=state.subjects.values(),
        aliases=state.aliases,
        answers=state.answer_rows(),
        evidence=state.evidence.values(),
        recommendations=state.recommendations.values(),
        blobs=blobs,
        meta=state.meta,
        journaled_meta=journaled_meta,
    )


def _blob(stores: list[Store], sha256: str) -> tuple[str, int, str, bytes]:
    for store in stores:
        row = blob_row(store, sha256)
        if row:
            return (sha256, *row)
    raise AuditkitError(f"evidence file {sha256[:12]}… is attached but in none of the inputs")
