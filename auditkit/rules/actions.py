"""The action plan: one action per SFI, with the employer's owner, due date and status.

An action's text is its SFI, as the auditor wrote it; its id is its item's id. Open actions
of the previous audit are carried into the next one (``auditkit new --from``) with the text
they had then, under ``carried:<item>``, so the follow-up shows beside this year's SFIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from auditkit.errors import AnswerRefused, UsageError
from auditkit.rules.findings import clean_text, findings, scored_items

if TYPE_CHECKING:
    from auditkit.audit import Audit

STATUSES = ("open", "in-progress", "done")
CARRIED = "carried:"
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2, "": 3}


@dataclass(frozen=True)
class Action:
    """One line of the action plan."""

    id: str
    item: str
    element: str  # the element's id
    priority: str
    text: str
    owner: str = ""
    due: str = ""
    status: str = "open"
    carried_from: str = ""  # the previous audit's id for a carried action

    @property
    def carried(self) -> bool:
        return bool(self.carried_from)

    def overdue(self, today: date | None = None) -> bool:
        """Due before ``today`` (default: today) and not done."""
        if self.status == "done" or not self.due:
            return False
        return self.due < (today or date.today()).isoformat()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item": self.item,
            "element": self.element,
            "priority": self.priority or None,
            "text": self.text,
            "owner": self.owner or None,
            "due": self.due or None,
            "status": self.status,
            "carried": self.carried,
            "overdue": self.overdue(),
        }


def action_plan(audit: Audit) -> list[Action]:
    """Carried actions first (the follow-up), then one per SFI in protocol order."""
    stored = audit.store.actions()
    found = findings(audit)
    plan = [
        Action(
            id=row["id"],
            item=row["item_id"] or "",
            element=row["element"] or "",
            priority=row["priority"] or "",
            text=row["text"] or "",
            owner=row["owner"] or "",
            due=row["due"] or "",
            status=row["status"] or "open",
            carried_from=row["carried_from"],
        )
        for row in stored.values()
        if row["carried_from"]
    ]
    for item in scored_items(audit.protocol):
        finding = found.get(item.id)
        if finding is None or not finding.sfi:
            continue
        row = stored.get(item.id) or {}
        plan.append(
            Action(
                id=item.id,
                item=item.id,
                element=item.element,
                priority=finding.priority,
                text=finding.sfi,
                owner=row.get("owner") or "",
                due=row.get("due") or "",
                status=row.get("status") or "open",
            )
        )
    return plan


def parse_due(text: str) -> str:
    """A due date as YYYY-MM-DD, or a refusal naming the text ("" clears it)."""
    text = text.strip()
    if not text:
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise AnswerRefused(f"due date {text!r} is not a date (expected YYYY-MM-DD)") from None


def set_action(
    audit: Audit,
    action_id: str,
    owner: str | None = None,
    due: str | None = None,
    status: str | None = None,
) -> Action:
    """Record the owner, due date or status of one action; what is not given stays."""
    plan = {a.id: a for a in action_plan(audit)}
    current = plan.get(action_id.strip())
    if current is None:
        known = ", ".join(plan) or "none yet: write an SFI with 'auditkit finding --sfi'"
        raise AnswerRefused(f"no action {action_id!r} in {audit.path} (actions: {known})")
    changes: dict[str, Any] = {}
    if owner is not None:
        changes["owner"] = clean_text(owner, "--owner")
    if due is not None:
        changes["due"] = parse_due(due)
    if status is not None:
        if status not in STATUSES:
            raise UsageError(f"unknown status {status!r} (expected one of: {', '.join(STATUSES)})")
        changes["status"] = status
    if changes:
        if not current.carried:
            changes.setdefault("item_id", current.item)
        audit.store.set_action(current.id, changes)
    return {a.id: a for a in action_plan(audit)}[current.id]


def carry(audit: Audit, previous: list[Action], previous_id: str) -> int:
    """Copy the previous audit's unfinished actions into ``audit``, marked carried."""
    count = 0
    used: set[str] = set()
    for action in previous:
        if action.status == "done":
            continue
        item = action.item or action.id.removeprefix(CARRIED)
        # An action carried twice keeps its id; last year's own action on the same item
        # then takes the next free one (carried:1.6, carried:1.6.2).
        action_id = action.id if action.carried else CARRIED + item
        base, n = action_id, 2
        while action_id in used:
            action_id, n = f"{base}.{n}", n + 1
        used.add(action_id)
        audit.store.set_action(
            action_id,
            {
                "item_id": item,
                "element": action.element,
                "text": action.text,
                "priority": action.priority,
                "owner": action.owner,
                "due": action.due,
                "status": action.status,
                "carried_from": action.carried_from or previous_id,
            },
        )
        count += 1
    return count


def action_rows(audit: Audit) -> list[dict[str, Any]]:
    """The action plan as flat rows (the xlsx export's Actions sheet): header = the keys."""
    titles = {e.id: e.title for e in audit.protocol.elements}
    return [
        {
            "id": a.id,
            "item": a.item,
            "element": a.element,
            "element_title": titles.get(a.element, ""),
            "priority": a.priority,
            "text": a.text,
            "owner": a.owner,
            "due": a.due,
            "status": a.status,
            "carried": "yes" if a.carried else "",
        }
        for a in sorted_plan(action_plan(audit))
    ]


def sorted_plan(plan: list[Action]) -> list[Action]:
    """High priority first; within a priority, carried actions first, then protocol order."""
    order = {a.id: n for n, a in enumerate(plan)}
    return sorted(plan, key=lambda a: (PRIORITY_ORDER.get(a.priority, 3), order[a.id]))
