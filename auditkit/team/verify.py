"""Was this audit file changed outside auditkit? Check the journal chain, then replay it.

The chain catches an entry edited, deleted or inserted in the journal; the replay catches a
row of the answers, subjects, profile or evidence tables that the journal does not explain,
whether it was changed, deleted or inserted. Evidence files must still hash to their name.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.protocol.cache import drop_if_stale
from auditkit.protocol.model import ProtocolInvalid, files_sha256, protocol_from_texts
from auditkit.protocol.validate import build_protocol
from auditkit.rules.values import value_problem
from auditkit.store import file_tables, journal
from auditkit.store.audit_file import DatabaseError, Store, translate
from auditkit.store.journal import Entry
from auditkit.team.replay import (
    EVIDENCE_COLUMNS,
    RECOMMENDATION_COLUMNS,
    SUBJECT_COLUMNS,
    State,
    replay,
)
from auditkit.team.seal import check_seal

ANSWER_COLUMNS = ("value", "note", "author", "updated_at")


@dataclass
class VerifyReport:
    """What ``verify`` found: counts for the summary line, and every difference."""

    path: Path
    entries: int = 0
    answers: int = 0
    subjects: int = 0
    evidence: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a passed check adds (the seal)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return (
                f"{self.path}: verification FAILED: {len(self.problems)} problem(s); the "
                f"file was changed outside auditkit"
            )
        return (
            f"{self.path}: verified: {self.entries} journal entries, chain intact; "
            f"{self.answers} answers, {self.subjects} subjects, {self.evidence} evidence "
            f"link(s) match the journal"
        ) + "".join(f"; {note}" for note in self.notes)


def verify_file(path: str | Path, seal: str | None = None) -> VerifyReport:
    """Open ``path`` read-only and verify it; with ``seal`` (a report's seal), check that the
    journal still holds the entry it names (see :mod:`auditkit.team.seal`)."""
    with Store.open(path) as store, store.snapshot():
        try:
            entries = store.journal()
            report = verify(store, entries)
        except DatabaseError as exc:
            raise translate(store.path, exc) from None
    if seal is not None:
        problem, line = check_seal(entries, seal)
        if problem:
            report.problems.append(problem)
        else:
            report.notes.append(line)
    return report


def verify(
    store: Store, entries: list[Entry] | None = None, state: State | None = None
) -> VerifyReport:
    """Check the chain and compare the replayed journal with the tables.

    ``entries`` is the file's journal when the caller has already read it, ``state`` its
    replay when the caller has already replayed it.
    """
    entries = store.journal() if entries is None else entries
    report = VerifyReport(store.path, entries=len(entries))
    report.problems += check_chain(entries)
    state = replay(entries) if state is None else state
    tables = _tables(store)
    report.answers = len(state.answers)
    report.subjects = len(state.subjects)
    report.evidence = len(state.evidence)
    _compare_audit(report, state, store)
    report.problems += _check_protocol(store, state)
    if not report.problems:
        report.problems += _check_values(store)
    _compare(
        report,
        "subject",
        {k: _pick(r, SUBJECT_COLUMNS) for k, r in state.subjects.items()},
        _rows(store, "subjects", SUBJECT_COLUMNS, "id"),
        lambda key, row: f"{row['kind']} {row['label']!r}",
    )
    _compare(
        report,
        "answer",
        {(q, s): row for (q, s), row in state.answers.items()},
        _answer_rows(store),
        lambda key, row: _slot_name(state, key),
    )
    if "evidence" in tables:
        _compare(
            report,
            "evidence link",
            state.evidence,
            _rows(store, "evidence", EVIDENCE_COLUMNS, "id"),
            lambda key, row: f"{row['filename']!r} on answer {_slot_name(state, _slot(row))}",
        )
        report.problems += _check_blobs(store, state)
        report.problems += _check_blob_facts(store, state, entries)
    if "recommendations" in tables:
        _compare(
            report,
            "training recommendation",
            state.recommendations,
            _rows(store, "recommendations", RECOMMENDATION_COLUMNS, "id"),
            lambda key, row: f"{row['course_id'] or row['text']!r}",
        )
    report.problems += _check_meta(store, state)
    if "subject_aliases" in tables:
        _compare(
            report,
            "subject alias",
            {k: {"subject_id": v} for k, v in state.aliases.items()},
            _rows(store, "subject_aliases", ("alias", "subject_id"), "alias"),
            lambda key, row: f"{key} -> {row['subject_id']}",
        )
    return report


def check_chain(entries: list[Entry]) -> list[str]:
    """Every entry must hash to its hash and point at the one before it."""
    problems: list[str] = []
    prev = journal.GENESIS
    for entry in entries:
        fields = entry.fields()
        where = f"journal entry #{entry.seq} ({entry.action} {entry.key}, {entry.at})"
        if entry.prev != prev:
            problems.append(
                f"{where}: does not follow the entry before it (an entry was "
                f"deleted or inserted outside auditkit)"
            )
        if journal.entry_hash(fields) != entry.hash:
            problems.append(
                f"{where}: its contents do not match its hash (edited outside auditkit)"
            )
        elif (
            entry.origin_hash
            and journal.entry_hash({**fields, "prev": entry.origin_prev}) != entry.origin_hash
        ):
            problems.append(f"{where}: does not match the hash it was first written with")
        prev = entry.hash
    return problems + _check_origins(entries)


def _check_origins(entries: list[Entry]) -> list[str]:
    """A merged entry's first-written ``origin_prev``/``origin_hash`` go together, and the
    entry it first followed must be in the journal too (they are outside its hash, so an edit
    of them is caught only here)."""
    known = {journal.GENESIS} | {e.hash for e in entries} | {e.origin_hash for e in entries}
    problems = []
    for entry in entries:
        where = f"journal entry #{entry.seq} ({entry.action} {entry.key}, {entry.at})"
        if (entry.origin_prev is None) != (entry.origin_hash is None):
            problems.append(f"{where}: only one of origin_prev/origin_hash is set (edited)")
        elif entry.origin_prev is not None and entry.origin_prev not in known:
            problems.append(
                f"{where}: the entry it first followed is in no journal entry "
                f"(origin_prev changed outside auditkit)"
            )
    return problems


def _tables(store: Store) -> set[str]:
    return file_tables.table_names(store)


def _pick(row: dict[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: row.get(column) for column in columns}


def _rows(
    store: Store, table: str, columns: tuple[str, ...], key: str
) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in file_tables.select(store, table, columns)}


def _answer_rows(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    rows = file_tables.select(store, "answers", ("question_id", "subject_id", *ANSWER_COLUMNS))
    # A once-per-audit answer's subject is NULL in the file, "" in the journal's keys.
    return {(row.pop("question_id"), row.pop("subject_id") or ""): row for row in rows}


def _slot(row: dict[str, Any]) -> tuple[str, str]:
    return (row["question_id"], row["subject_id"])


def _slot_name(state: State, slot: tuple[str, str]) -> str:
    question_id, subject_id = slot
    return question_id + (f" for {state.subject_label(subject_id)}" if subject_id else "")


def _compare(
    report: VerifyReport,
    what: str,
    expected: dict[Any, dict[str, Any]],
    actual: dict[Any, dict[str, Any]],
    name: Any,
) -> None:
    """Name every row missing, added or different, column by column."""
    differing = [
        key for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)
    ]
    for key in sorted(differing, key=str):
        want, have = expected.get(key), actual.get(key)
        if have is None and want is not None:
            report.problems.append(
                f"{what} {name(key, want)}: in the journal but not in the "
                f"table (deleted outside auditkit)"
            )
        elif want is None and have is not None:
            report.problems.append(
                f"{what} {name(key, have)}: in the table but not in the "
                f"journal (inserted outside auditkit)"
            )
        elif want is not None and have is not None:
            for column, value in want.items():
                if have.get(column) != value:
                    report.problems.append(
                        f"{what} {name(key, want)}: {column} is {have.get(column)!r} in the "
                        f"table but {value!r} in the journal (changed outside auditkit)"
                    )


def _compare_audit(report: VerifyReport, state: State, store: Store) -> None:
    rows = file_tables.select(store, "audit")
    expected = {"audit profile": state.audit} if state.audit is not None else {}
    actual = {"audit profile": rows[0]} if len(rows) == 1 else {}
    if len(rows) > 1:
        report.problems.append(
            f"audit profile: {len(rows)} rows in the table, one expected "
            f"(inserted outside auditkit)"
        )
    _compare(report, "the", expected, actual, lambda key, row: key)


def _check_protocol(store: Store, state: State) -> list[str]:
    """The audit's copy of its protocol must be the one it was created with."""
    stored = file_tables.protocol_rows(store)
    files = {name: text for name, text, _ in stored}
    problems = [
        f"protocol file {name}: its text does not match its SHA-256 (changed outside auditkit)"
        for name, text, sha256 in stored
        if hashlib.sha256((text or "").encode()).hexdigest() != sha256
    ]
    expected = (state.audit or {}).get("protocol_sha256")
    if expected and not problems and files_sha256(files) != expected:
        problems.append(
            "protocol files: not the protocol the audit was created with (changed outside auditkit)"
        )
    if not problems and files:
        stale = drop_if_stale(
            files,
            lambda: build_protocol(
                {name: text.encode() for name, text in files.items()}, origin="protocol"
            ),
        )
        if stale:
            problems.append(
                f"protocol cache {stale}: did not match the audit's protocol "
                f"(changed outside auditkit; removed, scores shown before may "
                f"have been wrong)"
            )
    return problems


def _check_values(store: Store) -> list[str]:
    """Every stored answer must be one its question allows (a value written through the
    store by another program keeps the chain intact, but scores 9999 of 10 points)."""
    try:
        protocol = protocol_from_texts(store.protocol_files(), origin=f"{store.path}:protocol")
    except ProtocolInvalid as exc:
        return [f"protocol files: the audit's protocol copy is invalid ({exc})"]
    problems = []
    for question_id, subject_id, value in store.answer_values():
        problem = value_problem(protocol, question_id, subject_id, value)
        if problem is not None:
            problems.append(problem)
    return problems


def _check_meta(store: Store, state: State) -> list[str]:
    """The meta table holds what the journal's meta entries left, and auditkit's own mark."""
    rows = file_tables.meta_items(store)
    problems = []
    for key in sorted(rows.keys() | state.meta.keys()):
        have, want = rows.get(key), state.meta.get(key)
        if have != want:
            problems.append(
                f"meta {key!r}: {have!r} in the table but {want!r} in the journal "
                f"(changed outside auditkit)"
            )
    return problems


def _check_blob_facts(store: Store, state: State, entries: list[Entry]) -> list[str]:
    """Each stored file's recorded size is its size, and its type the one its name gives."""
    sizes: dict[str, set[int]] = {}
    mimes: dict[str, set[str]] = {}
    for link in state.evidence.values():
        mimes.setdefault(link["sha256"], set()).add(
            mimetypes.guess_type(str(link.get("filename") or ""))[0] or "application/octet-stream"
        )
    for entry in entries:
        after = entry.after_data() if entry.action == "evidence.add" else None
        if isinstance(after, dict) and isinstance(after.get("size"), int):
            sizes.setdefault(str(after.get("sha256")), set()).add(after["size"])
    problems = []
    for sha256, size, mime, length in file_tables.blob_facts(store):
        name = f"evidence file {sha256[:12]}…"
        if size != length or (sizes.get(sha256) and size not in sizes[sha256]):
            problems.append(
                f"{name}: size {size!r} recorded but {length} stored (changed outside auditkit)"
            )
        if sha256 in mimes and mime not in mimes[sha256]:
            problems.append(
                f"{name}: type {mime!r} does not match its name(s) "
                f"({', '.join(sorted(mimes[sha256]))}) (changed outside auditkit)"
            )
    return problems


def _check_blobs(store: Store, state: State) -> list[str]:
    """Each stored file must hash to its name; each link must have its file; no strays."""
    problems = []
    needed = {row["sha256"] for row in state.evidence.values()}
    stored = set()
    for sha256, data in file_tables.blobs(store):
        stored.add(sha256)
        if hashlib.sha256(data or b"").hexdigest() != sha256:
            problems.append(
                f"evidence file {sha256[:12]}…: its contents do not match its "
                f"SHA-256 (changed outside auditkit)"
            )
        if sha256 not in needed:
            problems.append(
                f"evidence file {sha256[:12]}…: stored but attached by no journal "
                f"entry (inserted outside auditkit)"
            )
    for sha256 in sorted(needed - stored):
        problems.append(
            f"evidence file {sha256[:12]}…: attached in the journal but missing "
            f"(deleted outside auditkit)"
        )
    return problems
