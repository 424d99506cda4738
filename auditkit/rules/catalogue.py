"""The training course catalogue (data/training.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditkit.errors import AuditkitError
from auditkit.protocol.yaml_source import LineDict, LineList, Problem, load_bytes
from auditkit.resources import data_dir


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    provider: str = ""
    elements: tuple[str, ...] = ()
    required_for: tuple[str, ...] = ()
    description: str = ""


class CatalogueInvalid(AuditkitError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            str(problems[0]) + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )


COURSE_KEYS = {"id", "title", "provider", "elements", "required_for", "description"}


def parse_catalogue(raw: bytes, filename: str) -> dict[str, Course]:
    """Validate training.yaml; raises :class:`CatalogueInvalid` with every problem."""
    data, problems = load_bytes(raw, filename)
    if data is None:
        raise CatalogueInvalid(problems)
    courses: dict[str, Course] = {}
    entries = data.get("courses") if isinstance(data, LineDict) else None
    if not isinstance(entries, LineList) or not entries:
        raise CatalogueInvalid([Problem(filename, 1, "expected a non-empty 'courses' list")])
    for entry, line in zip(entries, entries.item_lines, strict=True):
        if not isinstance(entry, LineDict):
            problems.append(Problem(filename, line, "course must be a mapping"))
            continue
        for key in entry:
            if key not in COURSE_KEYS:
                problems.append(Problem(filename, entry.line_of(key), f"unknown key {key!r}"))
        course_id, title = entry.get("id"), entry.get("title")
        if not isinstance(course_id, str) or not isinstance(title, str):
            problems.append(Problem(filename, line, "course needs text 'id' and 'title'"))
            continue
        if course_id in courses:
            problems.append(
                Problem(filename, entry.line_of("id"), f"duplicate course id {course_id!r}")
            )
        lists = {}
        for key in ("elements", "required_for"):
            value = entry.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(filename, entry.line_of(key), f"{key} must be a list"))
                value = []
            lists[key] = tuple(value)
        courses[course_id] = Course(
            id=course_id,
            title=title,
            provider=str(entry.get("provider") or ""),
            elements=lists["elements"],
            required_for=lists["required_for"],
            description=str(entry.get("description") or ""),
        )
    if problems:
        raise CatalogueInvalid(problems)
    return courses


@cache
def load_catalogue(path: Path | None = None) -> dict[str, Course]:
    """The bundled course catalogue (or the one at ``path``)."""
    path = path or data_dir() / "training.yaml"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuditkitError(f"{path}: cannot read the course catalogue ({exc.strerror})") from None
    return parse_catalogue(raw, str(path))


def course_ids() -> frozenset[str]:
    return frozenset(load_catalogue())
