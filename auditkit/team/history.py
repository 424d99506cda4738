"""The journal as people read it: one line per change, for ``log`` and the report's amendments."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from auditkit.audit import Audit
from auditkit.store.file_tables import subject_aliases
from auditkit.store.journal import Entry


def subject_labels(audit: Audit, names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Subject id -> "site 'Yard'" (or the name ``names`` gives it, as a report shows it),
    including ids a merge folded into another subject."""
    labels = (
        dict(names)
        if names is not None
        else {s.id: f"{s.kind} {s.label!r}" for s in audit.subjects()}
    )
    for alias, kept in subject_aliases(audit.store).items():
        labels.setdefault(alias, labels.get(kept, kept))
    return labels


def entries_for(audit: Audit, question_id: str | None = None) -> list[Entry]:
    """Every change (UI state such as the last question shown aside), or those about one
    question's answers and evidence."""
    entries = [e for e in audit.store.journal() if e.entity != "meta"]
    if question_id is None:
        return entries
    return [e for e in entries if _question_of(e) == question_id]


def describe(entry: Entry, labels: Mapping[str, str], private: Collection[str] = ()) -> str:
    """What one entry changed, in a sentence fragment.

    Subjects in ``private`` (interviewees, in a report) are named by ``labels`` only: the label
    typed on site, often a person's name, is never told.
    """
    before, after = entry.before_data(), entry.after_data()
    if entry.entity == "answers":
        question_id, _, subject_id = entry.key.partition("|")
        where = (
            f"{question_id} for {labels.get(subject_id, subject_id)}" if subject_id else question_id
        )
        # A note that did not change is left out: "8 -> 2" says what the change was.
        notes = (before or {}).get("note") != (after or {}).get("note")
        return f"answer {where}: {_answer(before, notes)} -> {_answer(after, notes)}"
    if entry.entity == "subjects":
        row = after or before or {}
        name = labels.get(entry.key) or f"{row.get('kind', 'subject')} {row.get('label')!r}"
        if entry.key in private:
            if entry.action == "subject.add":
                return f"added {name}"
            return f"changed {name}: {_changes(before, after, withheld='label')}"
        if entry.action == "subject.add":
            return f"added {row.get('kind', 'subject')} {row.get('label')!r}"
        return f"changed {name}: {_changes(before, after)}"
    if entry.entity == "evidence":
        row = after or before or {}
        question_id, subject_id = row.get("question_id", "?"), row.get("subject_id", "")
        where = (
            f"{question_id} for {labels.get(subject_id, subject_id)}" if subject_id else question_id
        )
        verb = "attached" if after else "detached"
        caption = f" ({row['caption']!r})" if row.get("caption") else ""
        return f"{verb} {row.get('filename')!r}{caption} to {where}"
    if entry.action == "audit.create":
        return f"created the audit of {(after or {}).get('company')!r}"
    if entry.action == "audit.finalize":
        # A finalize date stated by the caller (not the time of the write) is said so.
        dated = str((after or {}).get("finalized_at") or "")
        if dated and dated[:10] != entry.at[:10]:
            return f"finalized the audit, dated {dated[:10]} (the report's date as stated)"
        return "finalized the audit"
    if entry.entity == "audit":
        # The head office is stored as its site's id: tell the site by its name.
        named = [
            {k: labels.get(v, v) if k == "head_office" else v for k, v in (data or {}).items()}
            if isinstance(data, dict)
            else data
            for data in (before, after)
        ]
        return f"changed the profile: {_changes(named[0], named[1])}"
    return f"{entry.action} {entry.key}: {_changes(before, after)}"


def _question_of(entry: Entry) -> str | None:
    if entry.entity == "answers":
        return entry.key.partition("|")[0]
    if entry.entity == "evidence":
        row = entry.after_data() or entry.before_data() or {}
        return str(row.get("question_id"))
    return None


def _answer(data: Any, note: bool = True) -> str:
    if not data:
        return "(none)"
    value = data.get("value") or "(no answer)"
    return f"{value}, note {data['note']!r}" if note and data.get("note") else str(value)


def _changes(before: Any, after: Any, withheld: str = "") -> str:
    """``key 'old' -> 'new'`` for each changed key; the ``withheld`` key only as changed."""
    if not isinstance(after, dict):
        return f"{before!r} -> {after!r}"
    old = before if isinstance(before, dict) else {}
    return ", ".join(
        f"{key} changed" if key == withheld else f"{key} {old.get(key)!r} -> {value!r}"
        for key, value in after.items()
    )
