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

    @property
    def per_subject(self) -> bool:
        return self.subject != "none"

    @property
    def accepts_points(self) -> bool:
        """A number of points is a valid answer only for range questions with no subject."""
        return self.scoring == "range" and not self.per_subject


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
