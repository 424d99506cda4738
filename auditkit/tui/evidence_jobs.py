"""Evidence writes as the TUI's writer runs them: attach or detach, then the answer's files.

Each job returns the files now attached to its answer, so the session mirror and the runner's
pane follow the store without reading SQLite on the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditkit.audit import Audit
from auditkit.rules.attachments import add_evidence, remove_evidence
from auditkit.store.records import Evidence
from auditkit.tui.session import Job


def attach_job(
    question_id: str, subject_id: str, paths: Sequence[str], caption: str, where: str = ""
) -> Job:
    """Attach ``paths`` to one answer; the engine reads every file first, so one missing or
    unreadable path stores nothing."""
    names = ", ".join(Path(p).name for p in paths)

    def run(audit: Audit) -> list[Evidence]:
        add_evidence(audit, question_id, paths, subject=subject_id or None, caption=caption)
        return audit.evidence(question_id, subject_id)

    return Job(
        "evidence", f"attaching {names} to {question_id}{where}", run, key=(question_id, subject_id)
    )


def detach_job(item: Evidence, where: str = "") -> Job:
    """Remove one attached file from its answer."""

    def run(audit: Audit) -> list[Evidence]:
        remove_evidence(audit, item.id)
        return audit.evidence(item.question_id, item.subject_id)

    return Job(
        "evidence",
        f"removing {item.filename} from {item.question_id}{where}",
        run,
        key=(item.question_id, item.subject_id),
    )
