"""``pull``: the union of every published copy of one audit, rebuilt as a new audit file.

The target hands over the entries and the copy whose other tables ``merge`` would keep; the
file is then built exactly as ``merge`` builds one (the same :func:`rechain`, :func:`replay`,
:func:`merged_tables` and :func:`build_merged`), so a pulled file verifies and equals the
merge of the published copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditkit.errors import AuditkitError
from auditkit.files import built_beside
from auditkit.portfolio.target import PortfolioTarget, choose
from auditkit.store.building import build_merged
from auditkit.store.sidecars import taking_name
from auditkit.team.conflicts import Conflict, find_conflicts
from auditkit.team.merge import merged_tables, rechain
from auditkit.team.replay import replay


@dataclass
class Pulled:
    """What a pull wrote."""

    path: Path
    audit_id: str
    company: str
    entries: int
    answers: int
    subjects: int
    notes: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def pull(target: PortfolioTarget, ref: str, out: str | Path) -> Pulled:
    """Write the audit ``ref`` names (its id, or its company when unique) to the new file ``out``.

    Nothing is written when anything is refused: ``out`` existing, the audit unknown or
    ambiguous, the target unreachable.
    """
    out = Path(out)
    if out.exists():
        raise AuditkitError(f"{out}: already exists; pull into a new file")
    if not out.parent.is_dir():
        raise AuditkitError(f"{out.parent}: no such folder")
    audit_id = choose(target, ref)
    snapshot = target.snapshot(audit_id)
    chain = rechain(sorted(snapshot.entries, key=lambda e: (e.at, e.id)))
    state = replay(chain)
    tables = merged_tables(chain, state, snapshot.blob)
    with (
        snapshot.base() as base,
        built_beside(out, "pull into a new file", guard=taking_name) as temp,
    ):
        build_merged(temp, base, tables)
    labels = {sid: state.subject_label(sid) for sid in state.subjects}
    found = find_conflicts([e for e in chain if e.entity == "answers"], state.aliases, labels)
    company = str((state.audit or {}).get("company") or "")
    return Pulled(
        out,
        audit_id,
        company,
        len(chain),
        len(state.answers),
        len(state.subjects),
        state.notes,
        found,
    )
