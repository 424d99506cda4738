"""Rebuild an audit's tables from its journal alone.

``verify`` compares the replay with the tables; ``merge`` writes the replay of the union of
several journals. One rule serves both, so a merged file verifies like any other.

Entries are applied in journal order. Answers and evidence links are set or removed whole;
subject and profile updates carry only the changed columns, so concurrent edits of different
columns both survive a merge. A subject added on two laptops under one label is resolved
here too, because only a merge can produce it (the store refuses a duplicate label):

* a **site** or an **incident** with the same label is the same place or the same incident
  record: the later one becomes an alias of the first, and everything said about it lands
  on the first;
* an **interviewee** code such as "W1" is chosen per auditor, so two of them are two people:
  the later one is kept and relabelled "W1 (author)".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from auditkit.store.audit_file import answer_id_for
from auditkit.store.findings import ACTION_COLUMNS, FINDING_COLUMNS
from auditkit.store.journal import Entry

UNIFIED_KINDS = ("site", "incident")
SUBJECT_COLUMNS = ("id", "kind", "label", "role", "site_id", "fields", "author", "created_at")
EVIDENCE_COLUMNS = (
    "id",
    "question_id",
    "subject_id",
    "sha256",
    "filename",
    "caption",
    "author",
    "added_at",
)
RECOMMENDATION_COLUMNS = ("id", "course_id", "status", "text", "author", "created_at", "updated_at")


@dataclass
class State:
    """What the tables must hold after the journal's entries, in order."""

    audit: dict[str, Any] | None = None
    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # merged-away id -> kept id
    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    recommendations: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # unified and relabelled subjects
    entities: set[str] = field(default_factory=set)  # the entities the journal mentions
    attached: set[tuple[str, str, str]] = field(default_factory=set)  # (question, subject, file)

    def canonical(self, subject_id: str) -> str:
        return self.aliases.get(subject_id, subject_id)

    def answer_rows(self) -> list[dict[str, Any]]:
        """The answers table's rows, ids included."""
        return [
            {"id": answer_id_for(q, s), "question_id": q, "subject_id": s, **row}
            for (q, s), row in sorted(self.answers.items())
        ]

    def subject_label(self, subject_id: str) -> str:
        subject = self.subjects.get(self.canonical(subject_id))
        return f"{subject['kind']} {subject['label']!r}" if subject else f"subject {subject_id}"


def replay(entries: Iterable[Entry]) -> State:
    """The state the entries describe, applied in the order given."""
    state = State()
    labels: dict[tuple[str, str], str] = {}  # (kind, label) -> subject id
    for entry in entries:
        state.entities.add(entry.entity)
        after = entry.after_data()
        if entry.entity == "audit":
            _apply_audit(state, entry, after)
        elif entry.entity == "subjects":
            _apply_subject(state, labels, entry, after)
        elif entry.entity == "answers":
            _apply_answer(state, entry, after)
        elif entry.entity == "evidence":
            _apply_evidence(state, entry, after)
        elif entry.entity == "recommendations":
            _apply_recommendation(state, entry, after)
        elif entry.entity in ("findings", "actions"):
            _apply_whole_row(state, entry, after)
        elif entry.entity == "meta":
            if after is None:
                state.meta.pop(entry.key, None)
            else:
                state.meta[entry.key] = after
    return state


def _apply_audit(state: State, entry: Entry, after: Any) -> None:
    if entry.action == "audit.create" or state.audit is None:
        state.audit = dict(after or {})
    elif after:
        state.audit.update(after)


def _apply_subject(
    state: State, labels: dict[tuple[str, str], str], entry: Entry, after: Any
) -> None:
    subject_id = state.canonical(entry.key)
    current = state.subjects.get(subject_id)
    if after is None:
        if current:
            labels.pop((current["kind"], current["label"]), None)
            del state.subjects[subject_id]
        return
    if current is None:
        row = {column: after.get(column) for column in SUBJECT_COLUMNS}
        row["id"] = subject_id
        row["site_id"] = state.canonical(row["site_id"] or "")
        taken = labels.get((row["kind"], row["label"]))
        if taken and row["kind"] in UNIFIED_KINDS:
            state.aliases[subject_id] = taken
            state.notes.append(
                f"unified {row['kind']} {row['label']!r}: added by "
                f"{state.subjects[taken]['author'] or 'the lead'} and by "
                f"{row['author'] or 'another auditor'}; kept as one"
            )
            return
        if taken:
            row["label"] = _free_label(labels, row["kind"], row["label"], row["author"])
            state.notes.append(
                f"relabelled {row['kind']} {after.get('label')!r} added by "
                f"{row['author'] or 'another auditor'} to {row['label']!r}: "
                f"the label was taken by another {row['kind']}"
            )
        state.subjects[subject_id] = row
        labels[(row["kind"], row["label"])] = subject_id
        return
    changes = {k: v for k, v in after.items() if k in SUBJECT_COLUMNS and k != "id"}
    if "site_id" in changes:
        changes["site_id"] = state.canonical(changes["site_id"] or "")
    if "label" in changes and changes["label"] != current["label"]:
        key = (current["kind"], changes["label"])
        if labels.get(key, subject_id) != subject_id:
            changes["label"] = _free_label(labels, current["kind"], changes["label"], entry.author)
        labels.pop((current["kind"], current["label"]), None)
        labels[(current["kind"], changes["label"])] = subject_id
    current.update(changes)


def _free_label(labels: dict[tuple[str, str], str], kind: str, label: str, author: str) -> str:
    """``label (author)``, or ``label (n)``: the first that no subject of ``kind`` uses."""
    candidates = [f"{label} ({author})"] if author else []
    candidates += [f"{label} ({n})" for n in range(2, len(labels) + 3)]
    return next(c for c in candidates if (kind, c) not in labels)


def _apply_answer(state: State, entry: Entry, after: Any) -> None:
    question_id, _, subject_id = entry.key.partition("|")
    slot = (question_id, state.canonical(subject_id))
    if after is None:
        state.answers.pop(slot, None)
    else:
        state.answers[slot] = {
            "value": after.get("value"),
            "note": after.get("note") or "",
            "author": entry.author,
            "updated_at": entry.at,
        }


def _apply_evidence(state: State, entry: Entry, after: Any) -> None:
    if after is None:
        removed = state.evidence.pop(entry.key, None)
        if removed:
            state.attached.discard(_attachment(removed))
        return
    row = {column: after.get(column) for column in EVIDENCE_COLUMNS}
    row.update(
        id=entry.key,
        subject_id=state.canonical(row["subject_id"] or ""),
        author=entry.author,
        added_at=entry.at,
        caption=row["caption"] or "",
    )
    # The same file attached to the same answer on two laptops is listed once.
    if _attachment(row) in state.attached:
        return
    state.attached.add(_attachment(row))
    state.evidence[entry.key] = row


def _attachment(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["question_id"], row["subject_id"], row["sha256"])


def _apply_recommendation(state: State, entry: Entry, after: Any) -> None:
    """The auditor's training decisions: set or removed whole, created when first set."""
    if after is None:
        state.recommendations.pop(entry.key, None)
        return
    created = state.recommendations.get(entry.key, {}).get("created_at", entry.at)
    state.recommendations[entry.key] = {
        "id": entry.key,
        "course_id": after.get("course_id"),
        "status": after.get("status"),
        "text": after.get("text"),
        "author": entry.author,
        "created_at": created,
        "updated_at": entry.at,
    }


def _apply_whole_row(state: State, entry: Entry, after: Any) -> None:
    """Findings and actions (m13): each entry carries the whole row but who and when."""
    table, key, columns = (
        (state.findings, "item_id", FINDING_COLUMNS)
        if entry.entity == "findings"
        else (state.actions, "id", ACTION_COLUMNS)
    )
    if after is None:
        table.pop(entry.key, None)
        return
    row = {column: after.get(column) for column in columns}
    row.update({key: entry.key, "author": entry.author, "updated_at": entry.at})
    table[entry.key] = row
