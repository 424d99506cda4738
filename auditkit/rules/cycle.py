"""The three-year COR cycle: next year's audit started from the last one, and the two compared.

``new --from`` carries the employer's profile, staff, sites and which of them were visited
(so the site rule can rotate toward the ones not yet seen in the cycle), the auditors, the
unfinished actions and the previous scores. Dates are not carried: a new audit has its own.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from auditkit.audit import Audit, Profile
from auditkit.errors import AnswerRefused
from auditkit.files import built_beside
from auditkit.rules import actions as plan
from auditkit.rules.scoring import Scores

# Profile columns that describe this audit, not the employer: never carried.
NOT_CARRIED = {
    "id",
    "company",
    "purpose",
    "start_date",
    "end_date",
    "review_start",
    "review_end",
    "created_at",
    "finalized_at",
    "protocol_id",
    "protocol_version",
    "protocol_sha256",
    "certificate",
    "previous",
    "head_office",  # a subject id of the old file: set again by its label
    "deviation",  # accepted at that audit's finalize, for that audit
    "interviews_required",  # the CP's numbers for that year's sample
    "sites_required",
}


def _pct(value: Fraction | None) -> float | None:
    return float(value) if value is not None else None


def summary_of(audit: Audit, scores: Scores | None = None) -> dict[str, Any]:
    """What the next audit keeps of this one: who, when, the scores and the sites visited."""
    scores = scores or audit.score()
    visited = {row.subject_id for row in audit.answers() if row.value is not None}
    sites = audit.subjects("site")
    history = previous_of(audit).get("sites", {}) if previous_of(audit) else {}
    when = str(audit.profile.get("start_date") or "")
    site_history = {
        s.label: [*history.get(s.label, []), *([when] if s.id in visited else [])] for s in sites
    }
    return {
        "audit_id": audit.profile["id"],
        "company": audit.profile["company"],
        "purpose": audit.purpose,
        "certificate": audit.protocol.certificate,
        "start_date": audit.profile.get("start_date") or "",
        "end_date": audit.profile.get("end_date") or "",
        "finalized": bool(audit.profile.get("finalized_at")),
        "finalized_at": str(audit.profile.get("finalized_at") or "")[:10],
        "overall": _pct(scores.percent),
        "elements": [
            {"id": e.id, "number": e.number, "title": e.title, "percent": _pct(e.percent)}
            for e in scores.elements
        ],
        "sites": site_history,
    }


def previous_of(audit: Audit) -> dict[str, Any]:
    """The previous audit's summary (``{}`` for the first audit of a cycle)."""
    raw = audit.profile.get("previous")
    return dict(json.loads(raw)) if raw else {}


def same_employer(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two audit profiles of one employer: the same WCB account where both record one, else
    the same legal name (case and spacing aside)."""
    if a.get("wcb_account") and b.get("wcb_account"):
        return str(a["wcb_account"]).strip() == str(b["wcb_account"]).strip()

    def name(p: dict[str, Any]) -> str:
        return " ".join(str(p.get("company") or "").lower().split())

    return name(a) == name(b)


def new_from(new: Path, old: Path, purpose: str | None, author: str | None = None) -> Audit:
    """Create ``new`` as next year's audit of ``old``'s employer, on ``old``'s protocol.

    Built under a temporary name: a refusal or a failure leaves nothing behind.
    """
    with Audit.open(old) as previous:
        scores = previous.score()
        carried = summary_of(previous, scores)
        open_actions = [a for a in plan.action_plan(previous) if a.status != "done"]
        profile_row = dict(previous.profile)
        sites = [(s.label, s.fields) for s in previous.subjects("site")]
        head_office = next(
            (s.label for s in previous.subjects("site") if s.id == profile_row.get("head_office")),
            "",
        )
        protocol = previous.protocol
        next_purpose = purpose or (
            "recertification"
            if previous.purpose == "maintenance" and _third(previous)
            else "maintenance"
        )
    if new.exists():
        raise AnswerRefused(f"{new}: already exists; choose another file name")
    protocol.pass_rule(next_purpose)
    with built_beside(new, "choose another file name") as temp:
        audit = Audit.create(
            temp,
            Profile(company=str(profile_row["company"]), purpose=next_purpose),
            author=author,
            stored=protocol,
        )
        with audit:
            columns = set(audit.profile)
            changes = {
                k: v for k, v in profile_row.items() if k in columns and k not in NOT_CARRIED
            }
            changes["previous"] = json.dumps(carried, ensure_ascii=False)
            audit.store.update_audit(changes, action="audit.carry")
            audit.profile = audit.store.audit()
            for label, _ in sites:
                audit.add_subject("site", label)
            if head_office:
                audit.set_head_office(head_office)
            plan.carry(audit, open_actions, str(profile_row["id"]))
    return Audit.open(new, write=True)


def _third(previous: Audit) -> bool:
    """A maintenance audit that itself followed a maintenance audit closes the cycle."""
    return previous_of(previous).get("purpose") == "maintenance"


def compare(old: Audit, new: Audit) -> dict[str, Any]:
    """Element and overall percentages of two audits of one employer, and the change."""
    if not same_employer(old.profile, new.profile):
        raise AnswerRefused(
            f"{new.path}: an audit of {new.profile['company']}, not of "
            f"{old.profile['company']} ({old.path}); compare audits of one employer"
        )
    before, after = old.score(), new.score()
    old_by_key = {e.id: e for e in before.elements}
    old_by_number = {e.number: e for e in before.elements}
    elements = []
    for e in after.elements:
        o = old_by_key.get(e.id) or old_by_number.get(e.number)
        elements.append(_row(e.id, e.title, o.percent if o else None, e.percent))
    overall = _row("", "", before.percent, after.percent)
    return {
        "elements": elements,
        "overall": {k: overall[k] for k in ("old", "new", "change")},
    }


def _row(key: str, title: str, old: Fraction | None, new: Fraction | None) -> dict[str, Any]:
    change = float(new - old) if old is not None and new is not None else None
    return {"id": key, "title": title, "old": _pct(old), "new": _pct(new), "change": change}


def site_rotation(audit: Audit) -> list[tuple[str, list[str]]]:
    """Sites in the order the next visits should take them: never visited in this cycle
    first, then the longest since a visit (head office is visited every year regardless)."""
    history = previous_of(audit).get("sites", {})
    if not history:
        return []
    visited = {row.subject_id for row in audit.answers() if row.value is not None}
    now = str(audit.profile.get("start_date") or "this audit")
    sites = [
        (s.label, [*history.get(s.label, []), *([now] if s.id in visited else [])])
        for s in audit.subjects("site")
    ]
    return sorted(sites, key=lambda site: (bool(site[1]), max(site[1], default=""), site[0]))
