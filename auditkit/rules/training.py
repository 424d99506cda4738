"""Training recommendations: proposed from the scores, curated by the auditor, kept in the audit.

The engine proposes, for every question that lost points and every element under its pass mark,
the courses that address them (a question names its courses; an element is addressed by the
catalogue courses that list it), plus the certificate's required courses the company has not
completed. Proposals are recomputed from the scores every time; the auditor's decisions (accept,
drop) are stored by course id and outlive any rescoring, and the auditor may add free-text
recommendations of their own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditkit.errors import AnswerRefused
from auditkit.rules.catalogue import Course, load_catalogue
from auditkit.rules.scoring import Scores

if TYPE_CHECKING:
    from auditkit.audit import Audit

PROPOSED, ACCEPTED, DROPPED, ADDED = "proposed", "accepted", "dropped", "added"
COURSE_PREFIX = "course:"
MIN_REF = 4  # characters of a free-text recommendation's id enough to name it


@dataclass(frozen=True)
class Shortfall:
    """A question that lost points."""

    question_id: str
    element: str
    awarded: int
    possible: int

    @property
    def lost(self) -> int:
        return self.possible - self.awarded


@dataclass(frozen=True)
class Recommendation:
    """One course (or the auditor's own text) and why it is recommended.

    ``id`` is the course id, or the row id of a free-text recommendation (``course_id`` "").
    ``questions`` are the questions that lost points, most points lost first; ``elements`` the
    elements under their pass mark that the course addresses.
    """

    id: str
    course_id: str
    title: str
    provider: str = ""
    questions: tuple[Shortfall, ...] = ()
    elements: tuple[str, ...] = ()
    required: bool = False  # required for the certificate and not completed by the company
    completed: bool = False  # the company has already completed this course
    status: str = PROPOSED  # proposed | accepted | dropped | added
    note: str = ""

    @property
    def points_lost(self) -> int:
        return sum(q.lost for q in self.questions)

    @property
    def kept(self) -> bool:
        """Whether the report carries it: everything the auditor has not dropped."""
        return self.status != DROPPED


def completed_courses(audit: Audit) -> list[str]:
    """Course ids the profile records as completed by the company."""
    return list(json.loads(audit.profile.get("completed_courses") or "[]"))


def propose(
    scores: Scores, certificate: str, completed: Sequence[str], catalogue: Mapping[str, Course]
) -> list[Recommendation]:
    """The engine's proposals, before any decision of the auditor; a pure function.

    Ordered by points lost, then by the number of weak elements addressed, then required
    courses, then by course id.
    """
    lost_by_course: dict[str, list[Shortfall]] = {}
    for result in scores.items.values():  # criteria once, not their parts
        if result.status != "scored" or result.awarded >= result.possible:
            continue
        shortfall = Shortfall(
            result.question.id, result.question.element, result.awarded, result.possible
        )
        for course_id in result.question.training:
            lost_by_course.setdefault(course_id, []).append(shortfall)
    failed = [e.id for e in scores.failed_elements]
    done = set(completed)
    proposals = []
    for course in catalogue.values():
        shortfalls = sorted(
            lost_by_course.get(course.id, []), key=lambda s: (-s.lost, s.question_id)
        )
        # A course required only for the other certificate (PHSM is SECOR's) covers the same
        # elements as this certificate's own courses; a weak element proposes only those.
        foreign = bool(course.required_for) and certificate not in course.required_for
        elements = () if foreign else tuple(e for e in failed if e in course.elements)
        required = certificate in course.required_for and course.id not in done
        if shortfalls or elements or required:
            proposals.append(
                Recommendation(
                    id=course.id,
                    course_id=course.id,
                    title=course.title,
                    provider=course.provider,
                    questions=tuple(shortfalls),
                    elements=elements,
                    required=required,
                    completed=course.id in done,
                )
            )
    return sorted(
        proposals, key=lambda r: (-r.points_lost, -len(r.elements), not r.required, r.course_id)
    )


def recommend(audit: Audit, scores: Scores | None = None) -> list[Recommendation]:
    """The audit's recommendations: proposals with the auditor's decisions, then their own.

    A dropped proposal stays in the list (status ``dropped``) so it can be taken back; a
    decision on a course no longer proposed shows only when it was an acceptance.
    """
    catalogue = load_catalogue()
    proposals = propose(
        scores if scores is not None else audit.score(),
        audit.protocol.certificate,
        completed_courses(audit),
        catalogue,
    )
    rows = audit.store.recommendations()
    decisions = {r["course_id"]: r for r in rows if r["course_id"]}
    result = []
    for proposal in proposals:
        decision = decisions.pop(proposal.course_id, None)
        if decision:
            proposal = _decided(proposal, decision["status"], decision["text"] or "")
        result.append(proposal)
    done = set(completed_courses(audit))
    for course_id, decision in decisions.items():
        course = catalogue.get(course_id)
        if decision["status"] == ACCEPTED and course is not None:
            result.append(
                Recommendation(
                    id=course.id,
                    course_id=course.id,
                    title=course.title,
                    provider=course.provider,
                    completed=course.id in done,
                    status=ACCEPTED,
                    note=decision["text"] or "",
                )
            )
    result.extend(
        Recommendation(id=r["id"], course_id="", title=r["text"], status=ADDED)
        for r in rows
        if not r["course_id"]
    )
    return result


def _decided(proposal: Recommendation, status: str, note: str) -> Recommendation:
    return Recommendation(
        id=proposal.id,
        course_id=proposal.course_id,
        title=proposal.title,
        provider=proposal.provider,
        questions=proposal.questions,
        elements=proposal.elements,
        required=proposal.required,
        completed=proposal.completed,
        status=status,
        note=note,
    )


# -- curation ----------------------------------------------------------------------------------


def check_course(course_id: str) -> Course:
    """The catalogue course ``course_id``, or a refusal that names it."""
    course = load_catalogue().get(course_id)
    if course is None:
        raise AnswerRefused(
            f"unknown course {course_id!r} (course ids are listed by "
            f"'auditkit recommend FILE' and in data/training.yaml)"
        )
    return course


def find_added(audit: Audit, ref: str) -> str:
    """The id of the free-text recommendation that ``ref`` (its id or a unique prefix) names."""
    ids = [r["id"] for r in audit.store.recommendations() if not r["course_id"]]
    matches = [i for i in ids if i == ref] or (
        [i for i in ids if i.startswith(ref)] if len(ref) >= MIN_REF else []
    )
    if len(matches) != 1:
        what = "several recommendations" if matches else "no course or recommendation"
        raise AnswerRefused(f"{ref!r} names {what} in {audit.path}")
    return str(matches[0])


def check_drop(audit: Audit, ref: str) -> None:
    """Refuse ``ref`` unless it is a catalogue course or names a free-text recommendation."""
    if ref not in load_catalogue():
        find_added(audit, ref)


def accept(audit: Audit, course_id: str, note: str = "") -> None:
    """Keep a catalogue course in the recommendations (proposed or not), durably."""
    course = check_course(course_id)
    audit.store.set_recommendation(COURSE_PREFIX + course.id, course.id, ACCEPTED, note)


def drop(audit: Audit, ref: str, note: str = "") -> None:
    """Drop a course from the recommendations, or delete a free-text one, durably.

    A dropped course stays dropped when later scores propose it again.
    """
    if ref in load_catalogue():
        audit.store.set_recommendation(COURSE_PREFIX + ref, ref, DROPPED, note)
    else:
        audit.store.remove_recommendation(find_added(audit, ref))


def add(audit: Audit, text: str) -> str:
    """Add the auditor's own free-text recommendation; returns its id."""
    text = text.strip()
    if not text:
        raise AnswerRefused("a recommendation needs some text")
    row_id = str(uuid.uuid4())
    audit.store.set_recommendation(row_id, "", ADDED, text)
    return row_id
