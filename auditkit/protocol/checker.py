"""Reading one YAML file's mappings for the validator: each wrong value a ``FILE:LINE``
problem, the reading carrying on so one run reports them all."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from auditkit.protocol.yaml_source import LineDict, LineList, Problem
from auditkit.vocabulary import SCORINGS

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class Checker:
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
        self.report(line, f"{what} must be a mapping, not {kind(value)}")
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
            self.report(data.line_of(key), f"{what} {key} must be text, not {kind(value)}")
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
            self.report(data.line_of(key), f"{what} {key} must be a list, not {kind(value)}")
            return ()
        items: list[str] = []
        for item, line in zip(value, value.item_lines, strict=True):
            if not isinstance(item, str):
                self.report(line, f"{what} {key} item must be text, not {kind(item)}")
            elif check(item, line):
                items.append(item)
        return tuple(items)


def known(
    check: Checker, allowed: tuple[str, ...] | frozenset[str], label: str, what: str
) -> Callable[[str, int], bool]:
    """A list item check: the item is one of ``allowed``, else a problem on its line."""

    def test(item: str, line: int) -> bool:
        if item not in allowed:
            check.report(line, f"{what}: unknown {label} {item!r}")
            return False
        return True

    return test


def kind(value: Any) -> str:
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


def scoring_of(check: Checker, entry: LineDict, what: str) -> tuple[str, int]:
    """``scoring`` and ``threshold``, the same for a question and a criterion."""
    scoring = check.choice(entry, "scoring", SCORINGS, what) if "scoring" in entry else "range"
    threshold = 100
    if "threshold" in entry:
        if scoring != "all-or-nothing":
            check.report(
                entry.line_of("threshold"), f"{what}: threshold is only for all-or-nothing scoring"
            )
        threshold = check.whole(entry, "threshold", what, 1, 100)
    return scoring, threshold
