"""The action plan and "Since the last audit", as the report shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditkit.rules.actions import Action, action_plan, sorted_plan
from auditkit.rules.cycle import previous_of
from auditkit.rules.scoring import display_percent

if TYPE_CHECKING:
    from fractions import Fraction

    from auditkit.audit import Audit
    from auditkit.rules.scoring import Scores

STATUS_NAMES = {"open": "Open", "in-progress": "In progress", "done": "Done"}
PRIORITY_NAMES = {"high": "High", "medium": "Medium", "low": "Low", "": "—"}
BLANK = "__________"  # a cell the employer fills in on paper


@dataclass(frozen=True)
class ActionLine:
    """One line of the action plan, display-ready; blanks are lines to write on."""

    id: str
    item: str
    element: str  # "5 Hazard Assessment"
    priority: str
    text: str
    owner: str
    due: str
    status: str
    carried: bool


@dataclass(frozen=True)
class SinceLast:
    """The previous audit, the scores then and now, the follow-up of its actions, the sites."""

    previous: str  # "Certification audit, 2025-10-06 to 2025-10-20 (finalized)"
    scores: tuple[tuple[str, str, str, str], ...]  # element, then, now, change
    carried: tuple[ActionLine, ...]
    sites: tuple[tuple[str, str], ...]  # site, visits before ("2025-10-06" or "not yet")


def _line(action: Action, titles: dict[str, str]) -> ActionLine:
    return ActionLine(
        id=action.id,
        item=action.item,
        element=titles.get(action.element, action.element),
        priority=PRIORITY_NAMES.get(action.priority, action.priority),
        text=action.text,
        owner=action.owner or BLANK,
        due=action.due or BLANK,
        status=STATUS_NAMES.get(action.status, action.status),
        carried=action.carried,
    )


def _titles(audit: Audit) -> dict[str, str]:
    return {e.id: f"{e.number} {e.title}" for e in audit.protocol.elements}


def action_lines(audit: Audit) -> tuple[ActionLine, ...]:
    """This audit's action plan: one line per SFI, high priority first (carried ones are in
    "Since the last audit")."""
    titles = _titles(audit)
    return tuple(_line(a, titles) for a in sorted_plan(action_plan(audit)) if not a.carried)


def since_last(audit: Audit, scores: Scores) -> SinceLast | None:
    """The section for an audit started from the previous one (None otherwise)."""
    previous = previous_of(audit)
    if not previous:
        return None
    titles = _titles(audit)
    then = {e["id"]: e.get("percent") for e in previous.get("elements", [])}
    rows = []
    for e in scores.elements:
        old = then.get(e.id)
        rows.append(
            (
                f"{e.number} {e.title}",
                _shown(old),
                display_percent(e.percent),
                _change(old, e.percent),
            )
        )
    rows.append(
        (
            "Overall",
            _shown(previous.get("overall")),
            display_percent(scores.percent),
            _change(previous.get("overall"), scores.percent),
        )
    )
    dates = str(previous.get("start_date") or "")
    if previous.get("end_date") and previous["end_date"] != dates:
        dates += f" to {previous['end_date']}"
    state = "finalized" if previous.get("finalized") else "not finalized"
    if previous.get("finalized") and previous.get("finalized_at"):
        state = f"finalized on {previous['finalized_at']}"  # absent in files made before
    carried = tuple(_line(a, titles) for a in action_plan(audit) if a.carried)
    sites = tuple(
        (label, ", ".join(visits) if visits else "not visited yet in this cycle")
        for label, visits in sorted(
            previous.get("sites", {}).items(), key=lambda kv: (bool(kv[1]), kv[0])
        )
    )
    return SinceLast(
        previous=f"{str(previous.get('purpose') or '').capitalize()} audit, {dates} ({state})",
        scores=tuple(rows),
        carried=carried,
        sites=sites,
    )


def _shown(value: object) -> str:
    return f"{float(value):.1f} %" if isinstance(value, int | float) else "—"


def _change(old: object, new: Fraction | None) -> str:
    if not isinstance(old, int | float) or new is None:
        return "—"
    return f"{float(new) - float(old):+.1f}"
