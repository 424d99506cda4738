"""The live file: notice what another process wrote (a colleague's CLI, ``merge``) and bring
the session mirror up to date.

The app asks every half second, as a read on the engine thread (so the UI thread runs no
SQL): SQLite's ``PRAGMA data_version`` changes only when another connection commits, so the
TUI's own writes never cause a reload. When it changed, the same read returns everything the
screens show, read afresh; the UI swaps it into the session and every screen redraws from it,
while dialogs (a note being typed) stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.audit import Audit
from auditkit.rules.progress import AnswerKey
from auditkit.store.records import AnswerRow, Evidence, Subject
from auditkit.tui.jobs import Read

POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Reloaded:
    """The audit as another process left it."""

    answers: list[AnswerRow]
    subjects: list[Subject]
    evidence: dict[AnswerKey, list[Evidence]]


class FileWatch:
    """The data version last seen; read and set only on the engine thread."""

    def __init__(self) -> None:
        self.version: int | None = None

    def probe(self, audit: Audit) -> Reloaded | None:
        """What changed since the last probe, or None (the first probe only takes note)."""
        version = audit.data_version()
        first, changed = self.version is None, version != self.version
        self.version = version
        if first or not changed:
            return None
        audit.reload_profile()
        return Reloaded(audit.answers(), audit.subjects(), audit.evidence_by_answer())

    def job(self) -> Read[Reloaded | None]:
        return Read("reading what another program wrote", self.probe)
