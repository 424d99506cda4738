"""Finalizing an audit: lock it once complete; afterwards every change carries a reason.

The lock itself is enforced by the store (``Store._journal``), so no write path can skip it;
this module decides when an audit may be finalized and lists the amendments made since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.rules.scoring import Scores
from auditkit.store.audit_file import UNLOCKED_ACTIONS
from auditkit.store.changes import Finalize
from auditkit.store.file_tables import subject_aliases
from auditkit.team.history import describe, subject_labels


@dataclass(frozen=True)
class Amendment:
    """One change made to a finalized audit."""

    at: str
    author: str
    reason: str
    change: str  # what changed, in words
    entry_id: str


def finalized_at(audit: Audit) -> str | None:
    """When the audit was finalized, or None."""
    return audit.store.audit().get("finalized_at") or None


def finalize(audit: Audit) -> Scores:
    """Lock a complete audit; refuses an incomplete one, naming what is unanswered."""
    when = finalized_at(audit)
    if when:
        raise AuditkitError(f"{audit.path}: already finalized on {when[:10]}")
    scores = audit.score()
    if not scores.complete:
        missing = [q.question.id for q in scores.questions.values() if q.status == "unanswered"]
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        raise AuditkitError(
            f"{audit.path}: cannot finalize: {scores.unanswered} of "
            f"{scores.total} questions unanswered ({shown})"
        )
    store = audit.store
    store.apply(Finalize())
    audit.profile = store.audit()
    return scores


def amendments(audit: Audit, names: Mapping[str, str] | None = None) -> list[Amendment]:
    """Every change recorded after the audit was finalized, oldest first.

    With ``names`` (subject id -> the name a report shows, interviewees by code) subjects are
    told by those names and an interviewee's typed label never appears.
    """
    store = audit.store
    entries = store.journal()
    start = next(
        (i for i in range(len(entries) - 1, -1, -1) if entries[i].action == "audit.finalize"), None
    )
    if start is None:
        return []
    labels = subject_labels(audit, names)
    private: set[str] = set()
    if names is not None:
        private = {s.id for s in store.subjects() if s.kind == "interviewee"}
        private |= {alias for alias, kept in subject_aliases(store).items() if kept in private}
    return [
        Amendment(
            e.at, e.author, e.reason or "(no reason recorded)", describe(e, labels, private), e.id
        )
        for e in entries[start + 1 :]
        if e.action not in UNLOCKED_ACTIONS
    ]
