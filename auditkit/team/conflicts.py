"""Answers changed on two laptops: listing them, and picking the side to keep.

Every answer entry names the entries it replaced (``supersedes``). For one answer, the entries
nothing replaced are its *heads*: one head is a plain history; two or more heads with
different outcomes are a conflict, as after a merge of two files that both changed it. The
merged file already holds the latest head's outcome (the later change wins); :func:`pick`
records another side as a new change, which replaces every head and ends the conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.audit import Audit
from auditkit.store.changes import ClearAnswer
from auditkit.store.file_tables import subject_aliases
from auditkit.store.journal import Entry


@dataclass(frozen=True)
class Side:
    """One head of a conflicting answer: what one auditor left it as."""

    entry_id: str
    value: str | None
    note: str
    author: str
    at: str
    cleared: bool  # the auditor removed the answer

    def describe(self) -> str:
        what = "cleared" if self.cleared else (self.value or "(note only)")
        note = f" ({self.note!r})" if self.note else ""
        return f"{what}{note} by {self.author or 'unknown'} at {self.at[:16].replace('T', ' ')}"


@dataclass(frozen=True)
class Conflict:
    """One answer with several heads; ``sides`` are in time order, the last one is kept."""

    question_id: str
    subject_id: str
    subject: str  # "site 'Yard'", or "" for a question answered once for the audit
    sides: tuple[Side, ...]

    @property
    def kept(self) -> Side:
        return self.sides[-1]

    def describe(self) -> str:
        where = f" for {self.subject}" if self.subject else ""
        others = "; ".join(side.describe() for side in self.sides[:-1])
        return f"{self.question_id}{where}: kept {self.kept.describe()}; other: {others}"


def conflicts(audit: Audit) -> list[Conflict]:
    """Every answer of the audit whose heads disagree, by question then subject."""
    store = audit.store
    aliases = subject_aliases(store)
    labels = {s.id: f"{s.kind} {s.label!r}" for s in store.subjects()}
    return find_conflicts(store.journal("answers"), aliases, labels)


def find_conflicts(
    entries: list[Entry], aliases: dict[str, str], labels: dict[str, str]
) -> list[Conflict]:
    """Conflicts among answer ``entries``, with merged-away subject ids mapped by ``aliases``."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.at, e.id)):
        question_id, _, subject_id = entry.key.partition("|")
        groups.setdefault((question_id, aliases.get(subject_id, subject_id)), []).append(entry)
    found = []
    for (question_id, subject_id), group in sorted(groups.items()):
        heads = _heads(group) if len(group) > 1 else group
        if len(heads) < 2:
            continue
        sides = tuple(_side(entry) for entry in heads)
        if len({(s.cleared, s.value, s.note) for s in sides}) > 1:
            found.append(
                Conflict(question_id, subject_id, labels.get(subject_id, subject_id), sides)
            )
    return found


def pick(audit: Audit, conflict: Conflict, side: int | Side) -> None:
    """Keep ``side`` (an index into ``conflict.sides`` or one of them) as the answer.

    Recorded as a new change by the audit's author, so the journal shows who decided.
    """
    chosen = conflict.sides[side] if isinstance(side, int) else side
    store = audit.store
    current = {(a.question_id, a.subject_id): a for a in store.answers()}.get(
        (conflict.question_id, conflict.subject_id)
    )
    if chosen.cleared or (chosen.value is None and current and current.value is not None):
        # Journaled even when there is nothing to remove: the decision replaces every head.
        store.apply(ClearAnswer(conflict.question_id, conflict.subject_id, even_if_absent=True))
    if not chosen.cleared:
        store.set_answer(conflict.question_id, conflict.subject_id, chosen.value, chosen.note)


def _heads(group: list[Entry]) -> list[Entry]:
    """Entries of one answer that no other replaced; entries older than ``supersedes``
    replaced the previous entry of the same key."""
    replaced: set[str] = set()
    last_of_key: dict[str, str] = {}
    for entry in group:
        if entry.supersedes is None and entry.key in last_of_key:
            replaced.add(last_of_key[entry.key])
        replaced.update(entry.superseded())
        last_of_key[entry.key] = entry.id
    return [entry for entry in group if entry.id not in replaced]


def _side(entry: Entry) -> Side:
    after = entry.after_data()
    return Side(
        entry_id=entry.id,
        value=after.get("value") if after else None,
        note=(after.get("note") or "") if after else "",
        author=entry.author,
        at=entry.at,
        cleared=after is None,
    )
