"""The audit protocol: elements, checklists and questions, loaded from a folder of YAML.

A protocol is immutable once loaded. It keeps the text of every file it was read from so an
audit can store it and reproduce its scores later, whatever happens to the files on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from auditkit import vocabulary
from auditkit.errors import AuditkitError
from auditkit.protocol.yaml_source import Problem
from auditkit.resources import checklists_dir

# The words are auditkit.vocabulary's, kept importable from here for older call sites.
CERTIFICATES = vocabulary.CERTIFICATES
COMPONENTS = vocabulary.COMPONENTS
METHODS = vocabulary.METHODS
PURPOSES = vocabulary.PURPOSES
ROLES = vocabulary.ROLES
SCORINGS = vocabulary.SCORINGS
ANSWER_KINDS = vocabulary.ANSWER_KINDS
CASCADES = vocabulary.CASCADES
COMBINES = vocabulary.COMBINES
SUBJECT_KINDS = vocabulary.QUESTION_SUBJECTS  # what a checklist is asked of, "none" included
PROTOCOL_FILE = "protocol.yaml"


class ProtocolInvalid(AuditkitError):
    """A protocol failed validation; ``problems`` holds every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else "invalid protocol"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")


@dataclass(frozen=True)
class Element:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    element: str
    text: str
    component: str
    subject: str
    checklist: str
    points: int
    scoring: str = "range"
    threshold: int = 100
    methods: tuple[str, ...] = ()
    guidance: str = ""
    na: bool = False
    roles: tuple[str, ...] = ()
    training: tuple[str, ...] = ()
    reference: str = ""
    # Second edition. A part (``criterion`` set) carries its criterion's element, points,
    # scoring and threshold for display and grouping; its criterion is what is scored.
    criterion: str = ""
    depends_on: str = ""
    cascade: str = "zero"
    yes_no: bool = False
    # Incident questions only: the incident types the question can apply to (empty: every
    # type). On a record of another type the runner proposes N/A; it never writes it.
    applies_to: tuple[str, ...] = ()

    @property
    def per_subject(self) -> bool:
        return self.subject != "none"

    @property
    def is_part(self) -> bool:
        return bool(self.criterion)

    @property
    def accepts_points(self) -> bool:
        """A number of points is a valid answer only for graded range questions with no
        subject that are scored on their own (not a part, not a yes-no indicator)."""
        return (
            self.scoring == "range"
            and not self.per_subject
            and not self.criterion
            and not self.yes_no
        )

    @property
    def accepts_partial(self) -> bool:
        """``partial`` is refused on yes-no questions (positive or negative indicators)."""
        return not self.yes_no


@dataclass(frozen=True)
class Criterion:
    """One scored criterion verified by several parts (questions in any checklists)."""

    id: str
    element: str
    text: str
    points: int
    scoring: str = "range"
    threshold: int = 100
    combine: str = "average"
    depends_on: str = ""
    cascade: str = "zero"
    guidance: str = ""
    reference: str = ""
    training: tuple[str, ...] = ()


@dataclass(frozen=True)
class Justification:
    """Which notes the protocol requires: one per scored item, one per N/A answer."""

    every_question: bool = False
    na: bool = False


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    component: str
    subject: str
    file: str
    questions: tuple[Question, ...]
    description: str = ""


@dataclass(frozen=True)
class PassRule:
    purpose: str
    overall: int
    element: int | None = None

    def describe(self) -> str:
        text = f"{self.overall}% overall"
        if self.element is not None:
            text += f" and {self.element}% in every element"
        return text


@dataclass(frozen=True)
class Protocol:
    id: str
    title: str
    certificate: str
    version: str
    elements: tuple[Element, ...]
    checklists: tuple[Checklist, ...]
    pass_rules: Mapping[str, PassRule]
    files: Mapping[str, str] = field(repr=False)
    description: str = ""
    criteria: tuple[Criterion, ...] = ()
    justification: Justification = Justification()
    sfi_below: int = 80

    @cached_property
    def sha256(self) -> str:
        """One digest over every file's name and content, in name order."""
        return files_sha256(self.files)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for checklist in self.checklists for q in checklist.questions)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _elements_by_id(self) -> dict[str, Element]:
        return {e.id: e for e in self.elements}

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise AuditkitError(f"unknown question {question_id!r} in protocol {self.id}") from None

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def _parts(self) -> dict[str, tuple[Question, ...]]:
        parts: dict[str, list[Question]] = {c.id: [] for c in self.criteria}
        for q in self.questions:
            if q.criterion:
                parts[q.criterion].append(q)
        return {cid: tuple(found) for cid, found in parts.items()}

    def criterion(self, criterion_id: str) -> Criterion:
        try:
            return self._criteria_by_id[criterion_id]
        except KeyError:
            raise AuditkitError(
                f"unknown criterion {criterion_id!r} in protocol {self.id}"
            ) from None

    def has_criterion(self, criterion_id: str) -> bool:
        return criterion_id in self._criteria_by_id

    def parts(self, criterion_id: str) -> tuple[Question, ...]:
        """The questions that verify one criterion, in checklist order."""
        return self._parts.get(criterion_id, ())

    @cached_property
    def criterion_questions(self) -> dict[str, Question]:
        """Each criterion as the question it is scored as: its own id, text, element, points,
        scoring and training (with its parts'), the techniques of all its parts."""
        found: dict[str, Question] = {}
        for criterion in self.criteria:
            parts = self.parts(criterion.id)
            methods = tuple(dict.fromkeys(m for part in parts for m in part.methods))
            training = tuple(
                dict.fromkeys((*criterion.training, *(t for p in parts for t in p.training)))
            )
            found[criterion.id] = Question(
                id=criterion.id,
                element=criterion.element,
                text=criterion.text,
                component=parts[0].component if parts else "documents",
                subject="none",
                checklist="",
                points=criterion.points,
                scoring=criterion.scoring,
                threshold=criterion.threshold,
                methods=methods,
                guidance=criterion.guidance,
                na=any(p.na for p in parts),
                training=training,
                reference=criterion.reference,
                depends_on=criterion.depends_on,
                cascade=criterion.cascade,
            )
        return found

    @cached_property
    def items(self) -> tuple[Question, ...]:
        """The scored items in protocol order: stand-alone questions, and each criterion
        (as its :attr:`criterion_questions` entry) where its first part is."""
        found: list[Question] = []
        for q in self.questions:
            if not q.criterion:
                found.append(q)
            elif self._parts[q.criterion][0] is q:
                found.append(self.criterion_questions[q.criterion])
        return tuple(found)

    @cached_property
    def standalone(self) -> tuple[Question, ...]:
        """Questions scored on their own (every question of a first-edition protocol)."""
        return tuple(q for q in self.questions if not q.criterion)

    def scored_id(self, question_id: str) -> str:
        """The id of the item a question's answers score: its criterion's, or its own."""
        return self._by_id[question_id].criterion or question_id

    def depends_on(self, item_id: str) -> str:
        """The parent of a scored item (question or criterion), or ""."""
        if item_id in self._criteria_by_id:
            return self._criteria_by_id[item_id].depends_on
        question = self._by_id.get(item_id)
        return question.depends_on if question else ""

    def cascade(self, item_id: str) -> str:
        if item_id in self._criteria_by_id:
            return self._criteria_by_id[item_id].cascade
        return self._by_id[item_id].cascade

    @cached_property
    def dependants(self) -> dict[str, tuple[str, ...]]:
        """Scored item id -> the items that depend on it directly."""
        found: dict[str, list[str]] = {}
        items: tuple[Criterion | Question, ...] = (*self.criteria, *self.standalone)
        for item in items:
            if item.depends_on:
                found.setdefault(item.depends_on, []).append(item.id)
        return {parent: tuple(ids) for parent, ids in found.items()}

    def item_points(self, element_id: str | None = None) -> int:
        """Points of every scored item (of one element): each criterion once, parts not."""
        items: tuple[Criterion | Question, ...] = (*self.standalone, *self.criteria)
        return sum(
            item.points for item in items if element_id is None or item.element == element_id
        )

    def element(self, element_id: str) -> Element:
        return self._elements_by_id[element_id]

    def checklist_for(self, component: str) -> Checklist | None:
        return next((c for c in self.checklists if c.component == component), None)

    def component_title(self, component: str) -> str:
        """The protocol's own name for a component (its checklist's title)."""
        checklist = self.checklist_for(component)
        return checklist.title if checklist else component

    def pass_rule(self, purpose: str) -> PassRule:
        try:
            return self.pass_rules[purpose]
        except KeyError:
            known = ", ".join(self.pass_rules)
            raise AuditkitError(
                f"protocol {self.id} has no pass rule for purpose {purpose!r} (has: {known})"
            ) from None


def files_sha256(files: Mapping[str, str]) -> str:
    """The digest an audit records for its protocol: every file's name and text, in order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(files[name].encode()).digest())
    return digest.hexdigest()


def resolve(source: str | Path) -> Path:
    """The folder of a protocol named ``cor``/``secor`` (bundled) or given as a path."""
    path = Path(source)
    if isinstance(source, str) and not path.exists():
        bundled = checklists_dir() / source
        if (bundled / PROTOCOL_FILE).is_file():
            return bundled
    if path.is_file() and path.name == PROTOCOL_FILE:
        return path.parent
    return path


def read_folder(folder: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Raw bytes of protocol.yaml and every YAML file beside it."""
    main = folder / PROTOCOL_FILE
    if not folder.is_dir():
        return {}, [Problem(str(folder), 0, "no such protocol folder")]
    if not main.is_file():
        return {}, [Problem(str(main), 0, "missing protocol.yaml")]
    files: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            files[path.name] = path.read_bytes()
    return files, []


def load_protocol(source: str | Path) -> Protocol:
    """Load and validate a protocol folder; raises :class:`ProtocolInvalid` with every problem."""
    from auditkit.protocol.validate import build_protocol

    folder = resolve(source)
    raw, problems = read_folder(folder)
    if problems:
        raise ProtocolInvalid(problems)
    return build_protocol(raw, origin=str(folder))


def protocol_from_texts(files: Mapping[str, str], origin: str) -> Protocol:
    """Rebuild a protocol from stored file texts (an audit's own copy), cached once built."""
    from auditkit.protocol.cache import cached_protocol

    def build() -> Protocol:
        # Imported only on a cache miss: the validator brings the course catalogue with it.
        from auditkit.protocol.validate import build_protocol

        return build_protocol({name: text.encode() for name, text in files.items()}, origin=origin)

    return cached_protocol(files, build)
