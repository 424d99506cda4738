"""The event-built fast path of the YAML loader gives exactly what the node loader gives.

``yamlsource.parse`` builds plain documents straight from libyaml's events and leaves anything
unusual to the node loaders; every value, type, line, key line and duplicate key must match.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.protocol import yaml_source as yamlsource
from auditkit.protocol.yaml_source import LineDict, LineList, parse

CAREFUL, FAST = yamlsource._loaders()
pytestmark = pytest.mark.skipif(FAST is None, reason="PyYAML was built without libyaml")


def shape(value: Any) -> Any:
    """Everything the validator can see of a parsed value, comparable with ==."""
    if isinstance(value, LineDict):
        return (
            "map",
            value.line,
            dict(value.key_lines),
            list(value.duplicate_keys),
            [(key, shape(item)) for key, item in value.items()],
        )
    if isinstance(value, LineList):
        return ("list", value.line, list(value.item_lines), [shape(item) for item in value])
    return (type(value).__name__, repr(value))


def node_loader(text: str) -> Any:
    data, problems = yamlsource._load(FAST, text, "doc.yaml")
    assert problems == []
    return data


# Plain scalars that YAML 1.1 reads as something other than text, and some that stay text.
TRICKY = [
    "yes",
    "No",
    "on",
    "OFF",
    "~",
    "null",
    "",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "+12",
    "-0",
    "1:20",
    "1.5e3",
    ".inf",
    "-.Inf",
    ".nan",
    "2024-01-31",
    "2024-01-31 10:20:30",
    "true",
    "False",
    "=",
    "a: b",
    "- x",
    "#",
    "'q'",
    '"dq"',
    "x\ny",
    "  padded  ",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False),
    st.sampled_from(TRICKY),
    st.text(max_size=10),
)
keys = st.one_of(st.sampled_from(TRICKY), st.text(max_size=6), st.integers(-5, 5), st.booleans())
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)
        ),
        max_leaves=12,
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    document=documents,
    flow=st.sampled_from([None, True, False]),
    style=st.sampled_from([None, "'", '"', "|"]),
)
def test_generated_documents_parse_the_same_both_ways(
    document: dict[Any, Any], flow: bool | None, style: str | None
) -> None:
    text = yaml.safe_dump(
        document, default_flow_style=flow, default_style=style, allow_unicode=True
    )
    fast = yamlsource._from_events(FAST, text)
    if style is None:  # other styles tag what they cannot quote (!!null ''): the slow path
        assert fast is not None, "a plain document took the slow path"
    if fast is not None:
        assert shape(fast) == shape(node_loader(text))
    assert shape(parse(text, "doc.yaml")[0]) == shape(node_loader(text))


def test_duplicate_keys_and_their_lines() -> None:
    text = "a: 1\nb:\n  - x\n  - {c: 2, c: 3}\na: 4\nyes: 5\n1: 6\n~: 7\n"
    data, problems = parse(text, "doc.yaml")
    assert problems == []
    assert data.duplicate_keys == [("a", 5)]
    assert data["a"] == 4 and data.key_lines["a"] == 5
    assert list(data) == ["a", "b", "True", "1", "None"]
    assert data["b"].item_lines == [3, 4]
    assert data["b"][1].duplicate_keys == [("c", 4)]
    assert shape(data) == shape(node_loader(text))


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1}\nuse: *b\n",  # anchors and aliases
        "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n",  # a merge key
        "a: !!str 12\n",  # an explicit tag
        "a: 2024-01-31\nb: [1, 2]\n",  # a timestamp (plain, handled) beside a list
        "- a\n- b\n",  # a list at the root
        "? [a, b]\n: c\n",  # a list as a key
    ],
)
def test_unusual_documents_still_parse_as_before(text: str) -> None:
    data, problems = parse(text, "doc.yaml")
    assert problems == []
    assert shape(data) == shape(node_loader(text))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 1\n---\nb: 2\n", "doc.yaml:2: YAML syntax error: but found another document"),
        ("a: [1, 2\nb: 3\n", "doc.yaml:2: YAML syntax error: expected ',' or ']', but got ':'"),
        ("a: b: c\n", "doc.yaml:1: YAML syntax error: mapping values are not allowed here"),
    ],
)
def test_broken_documents_are_worded_by_the_node_loader(text: str, problem: str) -> None:
    data, problems = parse(text, "doc.yaml")
    assert data is None
    assert [str(p) for p in problems] == [problem]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: x\nversion: 2024-02-30\n", 2),
        ("id: x\nlist:\n  - 1\n  - {when: 2023-13-01}\n", 4),
        ("a: &d 2024-02-30\nb: *d\n", 1),
    ],
)
def test_a_date_that_does_not_exist_is_a_problem_on_its_line(text: str, line: int) -> None:
    data, problems = parse(text, "doc.yaml")
    assert data is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (line, "value YAML cannot read")
    ]


def test_an_impossible_date_in_a_protocol_is_refused_in_one_line(
    mini_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from auditkit.cli import main

    main_file = mini_dir / "protocol.yaml"
    lines = main_file.read_text().splitlines()
    number = next(i for i, text in enumerate(lines, start=1) if text.startswith("version:"))
    lines[number - 1] = "version: 2024-02-30"
    main_file.write_text("\n".join(lines) + "\n")
    assert main(["validate", str(mini_dir)]) == 1
    assert capsys.readouterr().err == (
        f"{main_file}:{number}: value YAML cannot read: day is out of range for month\n"
    )


def test_opening_an_audit_with_a_cached_protocol_does_not_import_pyyaml(
    audit_path: Path, tmp_path: Path
) -> None:
    code = (
        "import sys\nfrom auditkit.audit import Audit\n"
        f"Audit.open({str(audit_path)!r}).close()\n"
        "print('yaml' in sys.modules)\n"
    )
    run = [sys.executable, "-c", code]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    again = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "True"  # an empty cache: the stored YAML is parsed
    assert again.stdout.strip() == "False"  # cached: PyYAML is never imported
