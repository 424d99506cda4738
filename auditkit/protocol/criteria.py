"""The second edition's additions to protocol.yaml, validated: criteria, ``depends_on`` with
``cascade``, and the justification rules; then the checks across files (parts, unknown or
circular dependencies), each a ``FILE:LINE`` problem."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from auditkit.protocol.checker import Checker, kind, known, scoring_of
from auditkit.protocol.model import Criterion, Justification
from auditkit.protocol.yaml_source import LineDict, LineList, Problem
from auditkit.vocabulary import CASCADES, COMBINES

CRITERION_KEYS = {
    "id",
    "element",
    "text",
    "points",
    "scoring",
    "threshold",
    "combine",
    "depends_on",
    "cascade",
    "guidance",
    "reference",
    "training",
}
CRITERION_REQUIRED = ("id", "element", "text", "points")
JUSTIFICATION_KEYS = {"every_question", "na"}


@dataclass
class Context:
    """What checking one checklist needs from the rest of the protocol, and what it leaves
    for the cross-file checks (parts and dependencies, with their file and line)."""

    element_ids: set[str]
    courses: frozenset[str]
    criteria: dict[str, Criterion]
    seen_questions: dict[str, str] = dc_field(default_factory=dict)
    # item id -> (file, line of depends_on, parent id): criteria and stand-alone questions
    depends: dict[str, tuple[str, int, str]] = dc_field(default_factory=dict)
    part_of: dict[str, str] = dc_field(default_factory=dict)  # part id -> criterion id
    criterion_lines: dict[str, int] = dc_field(default_factory=dict)
    broken_criteria: set[str] = dc_field(default_factory=set)  # reported already


def read_criteria(check: Checker, top: LineDict, context: Context) -> list[Criterion]:
    """The ``criteria:`` of protocol.yaml; each is scored like a question, from its parts."""
    value = top.get("criteria")
    lines = context.criterion_lines
    if value is None:
        return []
    if not isinstance(value, LineList):
        check.report(top.line_of("criteria"), f"criteria must be a list, not {kind(value)}")
        return []
    found: list[Criterion] = []
    for item, line in zip(value, value.item_lines, strict=True):
        entry = check.mapping(item, "criterion", line)
        if entry is None:
            continue
        before = len(check.problems)
        check.keys(entry, CRITERION_KEYS, CRITERION_REQUIRED, "criterion")
        cid = check.identifier(entry, "id", "criterion")
        what = f"criterion {cid}" if cid else "criterion"
        element = check.text(entry, "element", what)
        if element and element not in context.element_ids:
            check.report(entry.line_of("element"), f"{what}: unknown element {element!r}")
        text = check.text(entry, "text", what)
        points = check.whole(entry, "points", what, 1) if "points" in entry else 0
        scoring, threshold = scoring_of(check, entry, what)
        combine = check.choice(entry, "combine", COMBINES, what) if "combine" in entry else ""
        depends_on, cascade = read_dependency(check, entry, what)
        training = check.string_list(
            entry, "training", what, known(check, context.courses, "course", what)
        )
        guidance = check.text(entry, "guidance", what, required=False)
        reference = check.text(entry, "reference", what, required=False)
        if cid in lines:
            check.report(entry.line_of("id"), f"duplicate criterion id {cid!r}")
            continue
        if len(check.problems) > before or not cid:
            context.broken_criteria.add(cid)
            continue
        lines[cid] = entry.line
        criterion = Criterion(
            id=cid,
            element=element,
            text=text,
            points=points,
            scoring=scoring,
            threshold=threshold,
            combine=combine or "average",
            depends_on=depends_on,
            cascade=cascade,
            guidance=guidance,
            reference=reference,
            training=training,
        )
        found.append(criterion)
        context.criteria[cid] = criterion
        if depends_on:
            context.depends[cid] = (check.filename, entry.line_of("depends_on"), depends_on)
    return found


def read_justification(check: Checker, top: LineDict) -> Justification:
    value = top.get("justification")
    if value is None:
        return Justification()
    entry = check.mapping(value, "justification", top.line_of("justification"))
    if entry is None:
        return Justification()
    check.keys(entry, JUSTIFICATION_KEYS, (), "justification")
    flags: dict[str, bool] = {}
    for key in ("every_question", "na"):
        flag = entry.get(key, False)
        if not isinstance(flag, bool):
            check.report(
                entry.line_of(key), f"justification {key} must be true or false, not {flag!r}"
            )
        flags[key] = flag is True
    return Justification(**flags)


def read_dependency(check: Checker, entry: LineDict, what: str) -> tuple[str, str]:
    """``depends_on`` and ``cascade`` (zero unless said); ids are checked once all are read."""
    depends_on = check.identifier(entry, "depends_on", what) if "depends_on" in entry else ""
    cascade = "zero"
    if "cascade" in entry:
        cascade = check.choice(entry, "cascade", CASCADES, what) or "zero"
        if "depends_on" not in entry:
            check.report(entry.line_of("cascade"), f"{what}: cascade is only with depends_on")
    return depends_on, cascade


def check_dependencies(context: Context, problems: list[Problem]) -> None:
    """Unknown parents, parts as parents, self-dependency and cycles, at their depends_on."""
    parts = context.part_of
    known = set(context.criteria) | set(context.seen_questions)
    sound: dict[str, str] = {}
    for item, (filename, line, parent) in context.depends.items():
        if parent == item:
            problems.append(Problem(filename, line, f"{item} depends on itself"))
        elif parent not in known:
            problems.append(
                Problem(
                    filename,
                    line,
                    f"{item}: depends_on names unknown question or criterion {parent!r}",
                )
            )
        elif parent in parts:
            problems.append(
                Problem(
                    filename,
                    line,
                    f"{item}: depends_on names {parent}, a part of criterion "
                    f"{parts[parent]}; name the criterion",
                )
            )
        else:
            sound[item] = parent
    reported: set[str] = set()
    for start in sound:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path and node not in reported:
            path.append(node)
            node = sound.get(node)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            for member in cycle:
                filename, line, _ = context.depends[member]
                ring = " -> ".join([*cycle[cycle.index(member) :], *cycle[: cycle.index(member)]])
                problems.append(Problem(filename, line, f"depends_on cycle: {ring} -> {member}"))
            reported.update(cycle)
        reported.update(path)
