"""How answers, roles and subjects read on screen: short marks and plain words."""

from __future__ import annotations

from auditkit.protocol.model import Question
from auditkit.rules.incidents import INCIDENT_TYPES
from auditkit.store.records import AnswerRow, Subject
from auditkit.vocabulary import ROLE_NAMES, answer_name

# One cell each, so a list of questions stays aligned; the colour says the same as the glyph.
ANSWER_MARKS = {
    "yes": ("✔", "green"),
    "partial": ("◐", "yellow"),
    "no": ("✘", "red"),
    "na": ("–", "bright_black"),
}
POINTS_MARK = ("#", "blue")
UNANSWERED = ("·", "bright_black")
PENDING = ("…", "cyan")
# Per-subject questions before a subject is chosen: none, some or all subjects answered.
COVERAGE_MARKS = (("○", "bright_black"), ("◔", "yellow"), ("●", "green"))
KIND_NAMES = {"site": "site", "interviewee": "interviewee", "incident": "incident"}


def answer_word(question: Question, value: str | None) -> str:
    """``Yes``, ``Partial``, ``7 of 10 points``; ``unanswered`` for None."""
    return "unanswered" if value is None else answer_name(question, value)


def mark(value: str | None, pending: bool = False) -> tuple[str, str]:
    """The one-cell mark of an answer and its colour."""
    if pending:
        return PENDING
    if value is None:
        return UNANSWERED
    return ANSWER_MARKS.get(value, POINTS_MARK)


def subject_line(subject: Subject, sites: dict[str, Subject]) -> str:
    """What identifies a subject to the auditor, never a person's name."""
    if subject.kind == "interviewee":
        site = sites.get(subject.site_id)
        where = f", {site.label}" if site else ""
        return f"{subject.label} · {ROLE_NAMES.get(subject.role, subject.role)}{where}"
    if subject.kind == "incident":
        kind = INCIDENT_TYPES.get(str(subject.fields.get("type", "")), "type not set")
        when = subject.fields.get("date", "no date")
        return f"{subject.label} · {when} · {kind}"
    return subject.label


def note_preview(row: AnswerRow | None, width: int = 60) -> str:
    text = (row.note if row else "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 site``, ``2 sites``; ``many`` where the plural is not the word plus ``s``."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"
