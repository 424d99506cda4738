"""Findings: the justification note and the suggestion for improvement (SFI) of a scored item.

A scored item is a criterion (issue 11) or a stand-alone question. :func:`scored_item` is the
one place that says which item an id names; everything else (the CLI, the TUI, the check, the
report) goes through it, so criteria become findable here alone when the protocol has them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from auditkit.errors import AnswerRefused, UsageError

if TYPE_CHECKING:
    from auditkit.audit import Audit
    from auditkit.protocol.model import Protocol
    from auditkit.rules.scoring import Scores

PRIORITIES = ("high", "medium", "low")
SFI_BELOW = 80  # % of points under which an answered item needs an SFI (QA rule)


@dataclass(frozen=True)
class ScoredItem:
    """What a finding is written on: a stand-alone question or a criterion and its parts."""

    id: str
    kind: str  # question | criterion
    text: str
    element: str
    points: int
    reference: str
    guidance: str
    parts: tuple[str, ...]  # the question ids whose answers score it


@dataclass(frozen=True)
class Finding:
    """The auditor's finding on one item, as stored (blank fields are "")."""

    item: str
    note: str = ""
    sfi: str = ""
    priority: str = ""
    key: bool = False


@dataclass(frozen=True)
class ItemResult:
    """An item's score as the report and the check read it."""

    status: str  # scored | na | unanswered
    awarded: int
    possible: int
    cascaded: str = ""  # the parent whose 0 points scored this item (issue 11)

    @property
    def percent(self) -> Fraction | None:
        if self.status != "scored" or not self.possible:
            return None
        return Fraction(self.awarded * 100, self.possible)


def _criteria(protocol: Protocol) -> list[Any]:
    """The protocol's criteria, whatever shape the model gives them (none before issue 11)."""
    found = getattr(protocol, "criteria", None) or ()
    return list(found.values()) if isinstance(found, dict) else list(found)


def _question_item(question: Any) -> ScoredItem:
    return ScoredItem(
        id=question.id,
        kind="question",
        text=question.text,
        element=question.element,
        points=question.points,
        reference=getattr(question, "reference", "") or "",
        guidance=getattr(question, "guidance", "") or "",
        parts=(question.id,),
    )


def _criterion_item(
    protocol: Protocol, criterion: Any, parts: tuple[str, ...] | None = None
) -> ScoredItem:
    if parts is None:
        parts = tuple(
            q.id for q in protocol.questions if getattr(q, "criterion", None) == criterion.id
        )
    return ScoredItem(
        id=criterion.id,
        kind="criterion",
        text=criterion.text,
        element=criterion.element,
        points=criterion.points,
        reference=getattr(criterion, "reference", "") or "",
        guidance=getattr(criterion, "guidance", "") or "",
        parts=parts,
    )


def scored_items(protocol: Protocol) -> list[ScoredItem]:
    """Every scored item in protocol order: a criterion where its first part stands."""
    by_id = {c.id: c for c in _criteria(protocol)}
    # Each criterion's parts in one pass (a scan per criterion made the action plan slow).
    parts: dict[str, list[str]] = {}
    for question in protocol.questions:
        criterion = getattr(question, "criterion", None)
        if criterion:
            parts.setdefault(criterion, []).append(question.id)
    items: list[ScoredItem] = []
    seen: set[str] = set()
    for question in protocol.questions:
        criterion = getattr(question, "criterion", None)
        if not criterion:
            items.append(_question_item(question))
        elif criterion not in seen and criterion in by_id:
            seen.add(criterion)
            items.append(_criterion_item(protocol, by_id[criterion], tuple(parts[criterion])))
    return items


def scored_item(audit: Audit, item_id: str) -> ScoredItem:
    """The scored item ``item_id`` names, or a refusal naming it (a part names its criterion)."""
    protocol = audit.protocol
    ref = item_id.strip()
    for criterion in _criteria(protocol):
        if criterion.id == ref:
            return _criterion_item(protocol, criterion)
    if protocol.has_question(ref):
        question = protocol.question(ref)
        criterion = getattr(question, "criterion", None)
        if criterion:
            raise AnswerRefused(
                f"question {ref} is a part of criterion {criterion}; "
                f"a finding is written on the criterion ({criterion})"
            )
        return _question_item(question)
    raise AnswerRefused(f"unknown item {item_id!r} in protocol {protocol.id} ({audit.path})")


def item_of(protocol: Protocol, question_id: str) -> ScoredItem:
    """The scored item a question counts toward: itself, or the criterion it is a part of."""
    question = protocol.question(question_id)
    criterion = getattr(question, "criterion", None)
    if criterion:
        found = next((c for c in _criteria(protocol) if c.id == criterion), None)
        if found is not None:
            return _criterion_item(protocol, found)
    return _question_item(question)


def item_results(protocol: Protocol, scores: Scores) -> dict[str, ItemResult]:
    """Each scored item's result: a question's from ``scores.questions``, a criterion's from
    the criteria scores when the scoring has them."""
    criteria = getattr(scores, "criteria", None) or getattr(scores, "items", None) or {}
    results: dict[str, ItemResult] = {}
    for item in scored_items(protocol):
        found = criteria.get(item.id) if item.kind == "criterion" else None
        found = found or scores.questions.get(item.id)
        if found is not None:
            results[item.id] = ItemResult(
                found.status, found.awarded, found.possible, getattr(found, "cascaded", "") or ""
            )
    return results


def sfi_below(protocol: Protocol) -> int:
    """The % under which an answered item needs an SFI (``sfi_below`` in protocol.yaml)."""
    value = getattr(protocol, "sfi_below", None)
    return SFI_BELOW if value is None else int(value)


def findings(audit: Audit) -> dict[str, Finding]:
    """Every finding stored in the audit, by item id."""
    return {
        item: Finding(
            item,
            row["note"] or "",
            row["sfi"] or "",
            row["priority"] or "",
            bool(row["key"]),
        )
        for item, row in audit.store.findings().items()
    }


def set_finding(
    audit: Audit,
    item_id: str,
    note: str | None = None,
    sfi: str | None = None,
    priority: str | None = None,
    key: bool | None = None,
) -> Finding:
    """Record some of an item's finding; what is not given stays as it was."""
    item = scored_item(audit, item_id)
    changes: dict[str, Any] = {}
    if note is not None:
        changes["note"] = clean_text(note, "--note")
    if sfi is not None:
        changes["sfi"] = clean_text(sfi, "--sfi")
    if priority is not None:
        if priority and priority not in PRIORITIES:
            raise UsageError(
                f"unknown priority {priority!r} (expected one of: {', '.join(PRIORITIES)})"
            )
        changes["priority"] = priority
    if key is not None:
        changes["key"] = int(key)
    if not changes:
        return findings(audit).get(item.id, Finding(item.id))
    row = audit.store.set_finding(item.id, changes, item.element)
    return Finding(item.id, row["note"], row["sfi"], row["priority"], bool(row["key"]))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str, what: str) -> str:
    """Free text as stored: trimmed, line breaks kept, other control characters refused."""
    if _CONTROL.search(text):
        raise AnswerRefused(f"{what}: contains a control character; type plain text")
    return text.strip()


def sfi_missing(audit: Audit, scores: Scores | None = None) -> list[tuple[ScoredItem, ItemResult]]:
    """Answered items under ``sfi_below`` % of their points whose finding has no SFI.

    An item scored by cascade is left out: the SFI belongs to the parent that cost the points.
    ``auditkit check`` reports each as ``sfi.missing``.
    """
    written = {item for item, f in findings(audit).items() if f.sfi}
    return missing_sfis(audit.protocol, scores or audit.score(), written)


def missing_sfis(
    protocol: Protocol, scores: Scores, written: Collection[str]
) -> list[tuple[ScoredItem, ItemResult]]:
    """:func:`sfi_missing` over given scores and the ids of the items that have an SFI (the
    QA check's facts, the TUI's mirror)."""
    limit = sfi_below(protocol)
    results = item_results(protocol, scores)
    missing = []
    for item in scored_items(protocol):
        result = results.get(item.id)
        if result is None or item.id in written or result.cascaded:
            continue
        percent = result.percent
        if percent is not None and percent < limit:
            missing.append((item, result))
    return missing


def sfi_message(item: ScoredItem, result: ItemResult, limit: int) -> str:
    """What ``sfi.missing`` says about one item."""
    return (
        f"{item.id} scored {result.awarded} of {result.possible} points, under {limit} %: "
        f"write its suggestion for improvement (auditkit finding FILE {item.id} --sfi TEXT)"
    )


# The guidance states what earns full points ("Yes if …; partial if …"); a draft SFI quotes
# that clause alone, not the scoring instructions around it.
_FULL_MARKS = re.compile(r"\b(?:Yes if|Full points only if) (.+?)(?:;|\.(?:\s|$)|$)", re.S)


def compliance_target(guidance: str) -> str:
    """What full compliance looks like, from an item's guidance ("" when it does not say)."""
    found = _FULL_MARKS.search(guidance)
    if not found:
        return ""
    clause = found.group(1).strip().rstrip(".")
    return clause[0].upper() + clause[1:]


def draft_sfi(item: ScoredItem, notes: Iterable[str]) -> str:
    """A first draft of an SFI for the auditor to rewrite: what full marks need, and what the
    notes found. Never used by the report unless the auditor saves it as the SFI."""
    target = compliance_target(item.guidance)
    found = [n.strip().rstrip(".") for n in notes if n.strip()]
    parts = []
    if found:
        parts.append("Found: " + "; ".join(found[:3]) + ".")
    if target:
        parts.append(f"Put in place: {target[0].lower() + target[1:]}.")
    else:
        parts.append(f"Put in place what the item asks: {item.text.rstrip('.')}.")
    if item.reference:
        parts.append(f"({item.reference})")
    return " ".join(parts)


def sfi_problems(audit: Audit, scores: Scores | None = None) -> list[dict[str, Any]]:
    """``sfi.missing`` problems in the shape ``auditkit check`` prints (severity ``error``)."""
    limit = sfi_below(audit.protocol)
    return [
        {
            "code": "sfi.missing",
            "severity": "error",
            "question": item.id,
            "subject": None,
            "message": sfi_message(item, result, limit),
        }
        for item, result in sfi_missing(audit, scores)
    ]
