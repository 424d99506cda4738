"""The words of an audit, in one place: components, subjects, roles, methods, purposes, answers.

Every layer (protocol validation, the store, scoring, reports, the CLI and the TUI) takes these
from here, so a role or an answer word is spelled, aliased and named the same everywhere.
"""

from __future__ import annotations

from typing import Protocol

# -- the protocol's structure ------------------------------------------------------------------

CERTIFICATES = ("COR", "SECOR")
PURPOSES = ("certification", "recertification", "maintenance")
# The four checklists of an audit, each with its own way of gathering evidence.
COMPONENTS = ("infrastructure", "interviews", "documents", "incidents")
METHODS = ("documentation", "interview", "observation")
SCORINGS = ("range", "all-or-nothing")
# Second edition: how a criterion combines its parts, what a cascade does to a dependant, and
# the answer kinds a question may restrict itself to (yes-no: a positive or negative indicator).
COMBINES = ("average", "all", "any")
CASCADES = ("zero", "na")
ANSWER_KINDS = ("yes-no",)

# -- subjects: what a per-subject question is answered for -------------------------------------

SUBJECT_KINDS = ("site", "interviewee", "incident")
# What a checklist's questions are asked of: a kind of subject, or "none" (once per audit).
QUESTION_SUBJECTS = ("none", *SUBJECT_KINDS)

# -- interviewees' roles -----------------------------------------------------------------------

ROLES = ("senior_manager", "manager", "supervisor", "worker")
ROLE_NAMES = {
    "senior_manager": "Senior manager",
    "manager": "Manager",
    "supervisor": "Supervisor",
    "worker": "Worker",
}
# What people type for a role: "senior-manager", "senior manager".
ROLE_ALIASES = {role.replace("_", "-"): role for role in ROLES} | {
    "senior manager": "senior_manager"
}

# -- answers -----------------------------------------------------------------------------------

NA = "na"
CHOICE_WORDS = ("yes", "partial", "no")  # the answers that score a fraction of the points
# What people type for an answer: the first letter, or "n/a".
ANSWER_ALIASES = {"y": "yes", "p": "partial", "n": "no", "a": NA, "n/a": NA}
ANSWER_NAMES = {"yes": "Yes", "partial": "Partial", "no": "No", NA: "N/A"}


class HasPoints(Protocol):
    @property
    def points(self) -> int: ...


def answer_name(question: HasPoints, value: str) -> str:
    """An answer as people read it: ``Yes``, ``N/A``, ``7 of 10 points``."""
    return ANSWER_NAMES.get(value) or f"{value} of {question.points} points"
