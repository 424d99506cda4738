"""Where the runner goes next: the answers still missing among its questions, in list order
(questions scored by cascade skipped)."""

from __future__ import annotations

from auditkit.protocol.model import Question
from auditkit.rules.progress import subjects_for
from auditkit.store.records import Subject
from auditkit.tui.session import Session
from auditkit.tui.widgets.mechanics import cascaded_ids


def unanswered(
    session: Session, questions: list[Question], subject_id: str | None
) -> list[tuple[Question, Subject | None]]:
    """Missing answers among ``questions`` (for one subject when given), in list order."""
    answered = session.answered()
    cascaded = cascaded_ids(session)  # scored by cascade: nothing to answer there
    result: list[tuple[Question, Subject | None]] = []
    for question in questions:
        if question.id in cascaded:
            continue
        if not question.per_subject:
            if (question.id, "") not in answered:
                result.append((question, None))
            continue
        for subject in subjects_for(question, session.subjects):
            if subject_id and subject.id != subject_id:
                continue
            if (question.id, subject.id) not in answered:
                result.append((question, subject))
    return result


def after(
    candidates: list[tuple[Question, Subject | None]],
    order: dict[str, int],
    current: Question | None,
) -> tuple[Question, Subject | None] | None:
    """The first candidate below the current question, wrapping round to the top."""
    if not candidates:
        return None
    if current is None:
        return candidates[0]
    later = [c for c in candidates if order[c[0].id] > order[current.id]]
    return later[0] if later else candidates[0]
