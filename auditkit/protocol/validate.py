"""Validation of protocol YAML: every problem found, each as ``FILE:LINE: message``.

``build_protocol`` walks protocol.yaml and the checklists it lists, collects every problem
(syntax, unknown keys, wrong types, duplicate or unknown ids, missing files …) and either
returns a :class:`Protocol` or raises :class:`ProtocolInvalid` with all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditkit.protocol.checker import Checker, kind, known, scoring_of
from auditkit.protocol.criteria import (
    Context,
    check_dependencies,
    read_criteria,
    read_dependency,
    read_justification,
)
from auditkit.protocol.model import (
    PROTOCOL_FILE,
    Checklist,
    Element,
    PassRule,
    Protocol,
    ProtocolInvalid,
    Question,
)
from auditkit.protocol.yaml_source import LineDict, LineList, Problem, load_bytes
from auditkit.rules.catalogue import course_ids
from auditkit.rules.incidents import INCIDENT_TYPES
from auditkit.vocabulary import (
    ANSWER_KINDS,
    CERTIFICATES,
    COMPONENTS,
    METHODS,
    PURPOSES,
    QUESTION_SUBJECTS,
    ROLES,
)

PROTOCOL_KEYS = {
    "id",
    "title",
    "certificate",
    "version",
    "pass",
    "elements",
    "checklists",
    "description",
    "criteria",
    "justification",
    "sfi_below",
}
PROTOCOL_REQUIRED = ("id", "title", "certificate", "version", "pass", "elements", "checklists")
ELEMENT_KEYS = {"id", "number", "title"}
CHECKLIST_KEYS = {"id", "title", "component", "subject", "questions", "description", "answers"}
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
    "criterion",
    "depends_on",
    "cascade",
    "answers",
    "applies_to",
}
QUESTION_REQUIRED = ("id", "element", "text", "methods", "points")
PART_REQUIRED = ("id", "text", "methods")
# What a part may not carry: its criterion is scored, and only a scored item has a parent.
PART_REFUSED = ("element", "points", "scoring", "threshold", "depends_on", "cascade")
RULE_KEYS = {"overall", "element"}


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
    check = Checker(main_name, problems)
    top = check.mapping(data, "protocol", 1)
    if top is None:
        raise ProtocolInvalid(problems)
    check.keys(top, PROTOCOL_KEYS, PROTOCOL_REQUIRED, "protocol")
    elements = _elements(check, top)
    element_ids = {e.id for e in elements}
    rules = _pass_rules(check, top)
    courses = course_ids()
    context = Context(element_ids, courses, {})
    criteria = read_criteria(check, top, context)
    justification = read_justification(check, top)
    sfi_below = check.whole(top, "sfi_below", "protocol", 0, 100) if "sfi_below" in top else 80

    checklists: list[Checklist] = []
    used_files: dict[str, str] = {PROTOCOL_FILE: raw[PROTOCOL_FILE].decode("utf-8", "replace")}
    listed = top.get("checklists")
    if isinstance(listed, LineList) and listed:
        for name, line in zip(listed, listed.item_lines, strict=True):
            if not isinstance(name, str):
                check.report(line, f"checklist entry must be a file name, not {kind(name)}")
            elif name in used_files:
                check.report(line, f"checklist {name!r} is listed twice")
            elif name not in raw:
                check.report(line, f"checklist file {name!r} not found")
            else:
                used_files[name] = raw[name].decode("utf-8", "replace")
                checklist = _checklist(raw, name, origin, context, problems)
                if checklist is not None:
                    checklists.append(checklist)
    elif "checklists" in top:
        check.report(top.line_of("checklists"), "checklists must be a non-empty list of files")

    if not problems:
        for criterion in criteria:
            if criterion.id not in context.part_of.values():
                check.report(
                    context.criterion_lines.get(criterion.id, top.line),
                    f"criterion {criterion.id}: no question names it (a criterion needs parts)",
                )
        check_dependencies(context, problems)
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
        criteria=tuple(criteria),
        justification=justification,
        sfi_below=sfi_below,
    )


def _sampling_file(raw: bytes, origin: str, problems: list[Problem]) -> str:
    """A protocol's own sampling rules (``sampling.yaml`` beside it), validated with it."""
    from auditkit.rules.sampling import SamplingInvalid, parse_sampling

    try:
        parse_sampling(raw, f"{origin}/sampling.yaml")
    except SamplingInvalid as exc:
        problems.extend(exc.problems)
    return raw.decode("utf-8", "replace")


def _elements(check: Checker, top: LineDict) -> list[Element]:
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


def _pass_rules(check: Checker, top: LineDict) -> dict[str, PassRule]:
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
    context: Context,
    problems: list[Problem],
) -> Checklist | None:
    data = _load(raw, name, origin, problems)
    if data is None:
        return None
    check = Checker(f"{origin}/{name}", problems)
    top = check.mapping(data, "checklist", 1)
    if top is None:
        return None
    check.keys(top, CHECKLIST_KEYS, CHECKLIST_REQUIRED, "checklist")
    checklist_id = check.identifier(top, "id", "checklist")
    component = check.choice(top, "component", COMPONENTS, "checklist")
    subject = check.choice(top, "subject", QUESTION_SUBJECTS, "checklist")
    yes_no = "answers" in top and check.choice(top, "answers", ANSWER_KINDS, "checklist") != ""
    value = top.get("questions")
    questions: list[Question] = []
    if not isinstance(value, LineList) or not value:
        check.report(top.line_of("questions"), "questions must be a non-empty list")
        value = LineList()
        value.item_lines = []
    seen_questions = context.seen_questions
    for item, line in zip(value, value.item_lines, strict=True):
        entry = check.mapping(item, "question", line)
        if entry is None:
            continue
        question = _question(check, entry, context, (checklist_id, component, subject), yes_no)
        if question is None:
            continue
        if question.id in seen_questions or question.id in context.criteria:
            first = seen_questions.get(question.id, PROTOCOL_FILE + " (a criterion)")
            check.report(
                entry.line_of("id"),
                f"duplicate question id {question.id!r} (first in {first})",
            )
            continue
        seen_questions[question.id] = name
        if question.criterion:
            context.part_of[question.id] = question.criterion
        elif question.depends_on:
            context.depends[question.id] = (
                check.filename,
                entry.line_of("depends_on"),
                question.depends_on,
            )
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
    check: Checker,
    entry: LineDict,
    context: Context,
    where: tuple[str, str, str],
    checklist_yes_no: bool,
) -> Question | None:
    checklist_id, component, subject = where
    before = len(check.problems)
    criterion = None
    if "criterion" in entry:
        cid = check.text(entry, "criterion", "question")
        criterion = context.criteria.get(cid)
        if cid and criterion is None and cid not in context.broken_criteria:
            check.report(entry.line_of("criterion"), f"unknown criterion {cid!r}")
    part = "criterion" in entry
    check.keys(entry, QUESTION_KEYS, PART_REQUIRED if part else QUESTION_REQUIRED, "question")
    qid = check.identifier(entry, "id", "question")
    what = f"question {qid}" if qid else "question"
    if part:
        for key in PART_REFUSED:
            if key in entry:
                check.report(
                    entry.line_of(key),
                    f"{what} is a part of criterion {entry.get('criterion')}: "
                    f"{key} belongs on the criterion, not on a part",
                )
    element = check.text(entry, "element", what) if not part else ""
    if element and element not in context.element_ids:
        check.report(entry.line_of("element"), f"{what}: unknown element {element!r}")
    text = check.text(entry, "text", what)
    points = check.whole(entry, "points", what, 1) if "points" in entry and not part else 0
    scoring, threshold = scoring_of(check, entry, what) if not part else ("range", 100)
    depends_on, cascade = read_dependency(check, entry, what) if not part else ("", "zero")
    na = entry.get("na", False)
    if not isinstance(na, bool):
        check.report(entry.line_of("na"), f"{what} na must be true or false, not {na!r}")
    yes_no = checklist_yes_no
    if "answers" in entry:
        yes_no = check.choice(entry, "answers", ANSWER_KINDS, what) != ""
    methods = check.string_list(entry, "methods", what, known(check, METHODS, "method", what))
    if "methods" in entry and not methods and len(check.problems) == before:
        check.report(entry.line_of("methods"), f"{what}: methods must name at least one method")
    roles = check.string_list(entry, "roles", what, known(check, ROLES, "role", what))
    if roles and subject != "interviewee":
        check.report(entry.line_of("roles"), f"{what}: roles are only for interviewee checklists")
    training = check.string_list(
        entry, "training", what, known(check, context.courses, "course", what)
    )
    applies_to = check.string_list(
        entry, "applies_to", what, known(check, tuple(INCIDENT_TYPES), "incident type", what)
    )
    if applies_to and subject != "incident":
        check.report(
            entry.line_of("applies_to"), f"{what}: applies_to is only for incident checklists"
        )
    elif applies_to and na is not True:
        check.report(
            entry.line_of("applies_to"),
            f"{what}: applies_to needs na: true (other incident types are answered N/A)",
        )
    guidance = check.text(entry, "guidance", what, required=False)
    reference = check.text(entry, "reference", what, required=False)
    if len(check.problems) > before or (part and criterion is None):
        return None
    if criterion is not None:
        # Shown and grouped like its criterion; scored only through it.
        element, points = criterion.element, criterion.points
        scoring, threshold = criterion.scoring, criterion.threshold
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
        criterion=criterion.id if criterion else "",
        depends_on=depends_on,
        cascade=cascade,
        yes_no=yes_no,
        applies_to=applies_to,
    )
