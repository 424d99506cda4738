"""Validation of protocol YAML: every problem found, each as ``FILE:LINE: message``.

``build_protocol`` walks protocol.yaml and the checklists it lists, collects every problem
(syntax, unknown keys, wrong types, duplicate or unknown ids, missing files …) and either
returns a :class:`Protocol` or raises :class:`ProtocolInvalid` with all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from auditkit.protocol.model import (
    CERTIFICATES,
    COMPONENTS,
    METHODS,
    PROTOCOL_FILE,
    PURPOSES,
    ROLES,
    SCORINGS,
    SUBJECT_KINDS,
    Checklist,
    Element,
    PassRule,
    Protocol,
    ProtocolInvalid,
    Question,
)
from auditkit.protocol.yaml_source import LineDict, LineList, Problem, load_bytes
from auditkit.rules.catalogue import course_ids

PROTOCOL_KEYS = {
    "id",
    "title",
    "certificate",
    "version",
    "pass",
    "elements",
    "checklists",
    "description",
}
PROTOCOL_REQUIRED = ("id", "title", "certificate", "version", "pass", "elements", "checklists")
ELEMENT_KEYS = {"id", "number", "title"}
CHECKLIST_KEYS = {"id", "title", "component", "subject", "questions", "description"}
CHECKLIST_REQUIRED = ("id", "title", "component", "subject", "questions")
QUESTION_KEYS = {
    "id",
    "element",
    "text",
    "guidance",
    "methods",
    "points",
    "scoring",
    "threshold",
    "na",
    "roles",
    "training",
    "reference",
}
QUESTION_REQUIRED = ("id", "element", "text", "methods", "points")
RULE_KEYS = {"overall", "element"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class _Checker:
    """Reads one file's mappings and records what is wrong with them."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.filename, line, message))

    def mapping(self, value: Any, what: str, line: int) -> LineDict | None:
        if isinstance(value, LineDict):
            for key, key_line in value.duplicate_keys:
                self.report(key_line, f"duplicate key {key!r} in {what}")
            return value
        self.report(line, f"{what} must be a mapping, not {_kind(value)}")
        return None

    def keys(self, data: LineDict, allowed: set[str], required: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                self.report(data.line_of(key), f"unknown key {key!r} in {what}")
        for key in required:
            if key not in data:
                self.report(data.line, f"{what} is missing required key {key!r}")

    def text(self, data: LineDict, key: str, what: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(data.line_of(key), f"{what} {key} must be text, not {_kind(value)}")
            return ""
        text = str(value).strip()
        if required and not text:
            self.report(data.line_of(key), f"{what} {key} is empty")
        return text

    def identifier(self, data: LineDict, key: str, what: str) -> str:
        value = self.text(data, key, what)
        if value and not ID_PATTERN.match(value):
            self.report(data.line_of(key), f"{what} {key} {value!r} has characters ids may not use")
        return value

    def choice(self, data: LineDict, key: str, allowed: tuple[str, ...], what: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if value not in allowed:
            self.report(
                data.line_of(key),
                f"unknown {key} {value!r} in {what} (expected one of: {', '.join(allowed)})",
            )
            return ""
        return str(value)

    def whole(self, data: LineDict, key: str, what: str, low: int, high: int | None = None) -> int:
        value = data.get(key)
        bounded = f"a whole number from {low} to {high}" if high else f"a whole number >= {low}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(data.line_of(key), f"{what} {key} must be {bounded}, not {value!r}")
            return 0
        if value < low or (high is not None and value > high):
            self.report(data.line_of(key), f"{what} {key} must be {bounded}, not {value}")
            return 0
        return value

    def string_list(
        self, data: LineDict, key: str, what: str, check: Callable[[str, int], bool]
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, LineList):
            self.report(data.line_of(key), f"{what} {key} must be a list, not {_kind(value)}")
            return ()
        items: list[str] = []
        for item, line in zip(value, value.item_lines, strict=True):
            if not isinstance(item, str):
                self.report(line, f"{what} {key} item must be text, not {_kind(item)}")
            elif check(item, line):
                items.append(item)
        return tuple(items)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {
        dict: "a mapping",
        LineDict: "a mapping",
        list: "a list",
        LineList: "a list",
        str: "text",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _load(raw: Mapping[str, bytes], name: str, origin: str, problems: list[Problem]) -> Any:
    filename = f"{origin}/{name}"
    data, found = load_bytes(raw[name], filename)
    problems.extend(found)
    return data


def build_protocol(raw: Mapping[str, bytes], origin: str) -> Protocol:
    """Validate the raw files of a protocol folder and build it, or raise with every problem."""
    problems: list[Problem] = []
    main_name = f"{origin}/{PROTOCOL_FILE}"
    if PROTOCOL_FILE not in raw:
        raise ProtocolInvalid([Problem(main_name, 0, "missing protocol.yaml")])
    data = _load(raw, PROTOCOL_FILE, origin, problems)
    if data is None:
        raise ProtocolInvalid(problems)
    check = _Checker(main_name, problems)
    top = check.mapping(data, "protocol", 1)
    if top is None:
        raise ProtocolInvalid(problems)
    check.keys(top, PROTOCOL_KEYS, PROTOCOL_REQUIRED, "protocol")
    elements = _elements(check, top)
    element_ids = {e.id for e in elements}
    rules = _pass_rules(check, top)
    courses = course_ids()

    checklists: list[Checklist] = []
    used_files: dict[str, str] = {PROTOCOL_FILE: raw[PROTOCOL_FILE].decode("utf-8", "replace")}
    seen_questions: dict[str, str] = {}
    listed = top.get("checklists")
    if isinstance(listed, LineList) and listed:
        for name, line in zip(listed, listed.item_lines, strict=True):
            if not isinstance(name, str):
                check.report(line, f"checklist entry must be a file name, not {_kind(name)}")
            elif name in used_files:
                check.report(line, f"checklist {name!r} is listed twice")
            elif name not in raw:
                check.report(line, f"checklist file {name!r} not found")
            else:
                used_files[name] = raw[name].decode("utf-8", "replace")
                checklist = _checklist(
                    raw, name, origin, element_ids, courses, seen_questions, problems
                )
                if checklist is not None:
                    checklists.append(checklist)
    elif "checklists" in top:
        check.report(top.line_of("checklists"), "checklists must be a non-empty list of files")

    if "sampling.yaml" in raw:
        used_files["sampling.yaml"] = _sampling_file(raw["sampling.yaml"], origin, problems)
    if not problems and not any(c.questions for c in checklists):
        check.report(top.line, "protocol has no questions")
    if problems:
        raise ProtocolInvalid(problems)
    return Protocol(
        id=str(top["id"]),
        title=str(top["title"]),
        certificate=str(top["certificate"]),
        version=str(top["version"]),
        description=str(top.get("description") or ""),
        elements=tuple(elements),
        checklists=tuple(checklists),
        pass_rules=rules,
        files=used_files,
    )


def _sampling_file(raw: bytes, origin: str, problems: list[Problem]) -> str:
    """A protocol's own sampling rules (``sampling.yaml`` beside it), validated with it."""
    from auditkit.rules.sampling import SamplingInvalid, parse_sampling

    try:
        parse_sampling(raw, f"{origin}/sampling.yaml")
    except SamplingInvalid as exc:
        problems.extend(exc.problems)
    return raw.decode("utf-8", "replace")


def _elements(check: _Checker, top: LineDict) -> list[Element]:
    check.identifier(top, "id", "protocol")
    check.text(top, "title", "protocol")
    check.text(top, "version", "protocol")
    check.choice(top, "certificate", CERTIFICATES, "protocol")
    value = top.get("elements")
    if not isinstance(value, LineList) or not value:
        if "elements" in top:
            check.report(top.line_of("elements"), "elements must be a non-empty list")
        return []
    elements: list[Element] = []
    seen: set[str] = set()
    for item, line in zip(value, value.item_lines, strict=True):
        entry = check.mapping(item, "element", line)
        if entry is None:
            continue
        check.keys(entry, ELEMENT_KEYS, ("id", "number", "title"), "element")
        element_id = check.identifier(entry, "id", "element")
        number = check.whole(entry, "number", "element", 1) if "number" in entry else 0
        title = check.text(entry, "title", "element")
        if element_id in seen:
            check.report(entry.line_of("id"), f"duplicate element id {element_id!r}")
        elif element_id:
            seen.add(element_id)
            elements.append(Element(element_id, number, title))
    return elements


def _pass_rules(check: _Checker, top: LineDict) -> dict[str, PassRule]:
    value = top.get("pass")
    if value is None:
        return {}
    rules_map = check.mapping(value, "pass", top.line_of("pass"))
    if rules_map is None:
        return {}
    rules: dict[str, PassRule] = {}
    for purpose, rule in rules_map.items():
        line = rules_map.line_of(purpose)
        if purpose not in PURPOSES:
            check.report(
                line,
                f"unknown purpose {purpose!r} in pass (expected one of: {', '.join(PURPOSES)})",
            )
            continue
        entry = check.mapping(rule, f"pass rule {purpose}", line)
        if entry is None:
            continue
        check.keys(entry, RULE_KEYS, ("overall",), f"pass rule {purpose}")
        overall = check.whole(entry, "overall", f"pass rule {purpose}", 0, 100)
        element = None
        if "element" in entry:
            element = check.whole(entry, "element", f"pass rule {purpose}", 0, 100)
        rules[purpose] = PassRule(purpose, overall, element)
    if not rules:
        check.report(top.line_of("pass"), "pass must give a rule for at least one purpose")
    return rules


def _checklist(
    raw: Mapping[str, bytes],
    name: str,
    origin: str,
    element_ids: set[str],
    courses: frozenset[str],
    seen_questions: dict[str, str],
    problems: list[Problem],
) -> Checklist | None:
    data = _load(raw, name, origin, problems)
    if data is None:
        return None
    check = _Checker(f"{origin}/{name}", problems)
    top = check.mapping(data, "checklist", 1)
    if top is None:
        return None
    check.keys(top, CHECKLIST_KEYS, CHECKLIST_REQUIRED, "checklist")
    checklist_id = check.identifier(top, "id", "checklist")
    component = check.choice(top, "component", COMPONENTS, "checklist")
    subject = check.choice(top, "subject", SUBJECT_KINDS, "checklist")
    value = top.get("questions")
    questions: list[Question] = []
    if not isinstance(value, LineList) or not value:
        check.report(top.line_of("questions"), "questions must be a non-empty list")
        value = LineList()
        value.item_lines = []
    for item, line in zip(value, value.item_lines, strict=True):
        entry = check.mapping(item, "question", line)
        if entry is None:
            continue
        question = _question(check, entry, element_ids, courses, (checklist_id, component, subject))
        if question is None:
            continue
        if question.id in seen_questions:
            check.report(
                entry.line_of("id"),
                f"duplicate question id {question.id!r} (first in {seen_questions[question.id]})",
            )
            continue
        seen_questions[question.id] = name
        questions.append(question)
    return Checklist(
        id=checklist_id,
        title=check.text(top, "title", "checklist"),
        component=component,
        subject=subject,
        file=name,
        questions=tuple(questions),
        description=str(top.get("description") or ""),
    )


def _question(
    check: _Checker,
    entry: LineDict,
    element_ids: set[str],
    courses: frozenset[str],
    where: tuple[str, str, str],
) -> Question | None:
    checklist_id, component, subject = where
    before = len(check.problems)
    check.keys(entry, QUESTION_KEYS, QUESTION_REQUIRED, "question")
    qid = check.identifier(entry, "id", "question")
    what = f"question {qid}" if qid else "question"
    element = check.text(entry, "element", what)
    if element and element not in element_ids:
        check.report(entry.line_of("element"), f"{what}: unknown element {element!r}")
    text = check.text(entry, "text", what)
    points = check.whole(entry, "points", what, 1) if "points" in entry else 0
    scoring = check.choice(entry, "scoring", SCORINGS, what) if "scoring" in entry else "range"
    threshold = 100
    if "threshold" in entry:
        if scoring != "all-or-nothing":
            check.report(
                entry.line_of("threshold"), f"{what}: threshold is only for all-or-nothing scoring"
            )
        threshold = check.whole(entry, "threshold", what, 1, 100)
    na = entry.get("na", False)
    if not isinstance(na, bool):
        check.report(entry.line_of("na"), f"{what} na must be true or false, not {na!r}")

    def known(allowed: tuple[str, ...] | frozenset[str], label: str) -> Callable[[str, int], bool]:
        def test(item: str, line: int) -> bool:
            if item not in allowed:
                check.report(line, f"{what}: unknown {label} {item!r}")
                return False
            return True

        return test

    methods = check.string_list(entry, "methods", what, known(METHODS, "method"))
    if "methods" in entry and not methods and len(check.problems) == before:
        check.report(entry.line_of("methods"), f"{what}: methods must name at least one method")
    roles = check.string_list(entry, "roles", what, known(ROLES, "role"))
    if roles and subject != "interviewee":
        check.report(entry.line_of("roles"), f"{what}: roles are only for interviewee checklists")
    training = check.string_list(entry, "training", what, known(courses, "course"))
    guidance = check.text(entry, "guidance", what, required=False)
    reference = check.text(entry, "reference", what, required=False)
    if len(check.problems) > before:
        return None
    return Question(
        id=qid,
        element=element,
        text=text,
        component=component,
        subject=subject,
        checklist=checklist_id,
        points=points,
        scoring=scoring,
        threshold=threshold,
        methods=methods,
        guidance=guidance,
        na=bool(na),
        roles=roles,
        training=training,
        reference=reference,
    )
