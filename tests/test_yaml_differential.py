"""The protocol loader against PyYAML's own safe loader, on generated YAML text.

Where both accept a document they give the same data (keys as text: the loader makes every key
a string, which PyYAML leaves as it reads it). Where the loader refuses what PyYAML accepts,
its message says what it refused and why. Also the cases the official YAML test suite caught:
a file holding only ``---``, ``~`` or ``null``, and tabs inside quoted or block scalars.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditkit.cli import main
from auditkit.protocol import yaml_source
from auditkit.protocol.yaml_source import parse

# The loader's own refusals of documents PyYAML reads, each worded with its reason.
OWN_REFUSALS = (
    "file is empty",
    "the file holds no data: an empty YAML document",
    "aliases; refused before expanding them",
    "nested too deeply for this loader",
)

PLAIN = [
    "yes", "No", "on", "OFF", "~", "null", "0x1F", "0o17", "017", "1_000", "+12", "-0",
    "1:20", "1.5e3", ".inf", "-.Inf", "2024-01-31", "2024-01-31 10:20:30", "true", "x y",
    "OHS Code s.7(4)", "5.3-D", "80 %",
]  # fmt: skip
TAB = "\t"
words = st.text(alphabet="abcdefgh XYZ-.,:#'\"\t\\", min_size=0, max_size=12)
keys = st.one_of(
    st.sampled_from(["id", "text", "points", "1", "true", "a b"]), st.sampled_from(PLAIN)
)


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def double_quoted(text: str) -> str:
    # Tabs stay literal (legal inside quotes); quotes and backslashes escaped.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def value_text(draw: st.DrawFn, indent: int) -> str:
    """A value as it follows ``key:``, possibly spanning lines indented by ``indent``."""
    pad = " " * indent
    kind = draw(st.sampled_from(["plain", "single", "double", "block", "flow", "map", "list"]))
    if kind == "plain":
        return " " + draw(st.sampled_from(PLAIN))
    if kind == "single":
        return " " + single_quoted(draw(words))
    if kind == "double":
        return " " + double_quoted(draw(words))
    if kind == "block":
        indicator = draw(st.sampled_from(["|", ">", "|-", ">+"]))
        lines = draw(st.lists(words, min_size=1, max_size=3))
        # A tab after the block's indentation is content, not indentation.
        body = "".join(
            f"\n{pad}  {TAB if n % 2 else ''}{line.strip() or 'x'}" for n, line in enumerate(lines)
        )
        return f" {indicator}{body}"
    if kind == "flow":
        items = draw(st.lists(st.sampled_from(PLAIN[:12]), max_size=3))
        return " [" + ", ".join(items) + "]"
    if kind == "list":
        items = draw(st.lists(st.sampled_from(PLAIN), min_size=1, max_size=3))
        return "".join(f"\n{pad}  - {item}" for item in items)
    entries = draw(st.dictionaries(keys, st.sampled_from(PLAIN), min_size=1, max_size=3))
    return "".join(f"\n{pad}  {key}: {value}" for key, value in entries.items())


@st.composite
def documents(draw: st.DrawFn) -> str:
    start = draw(st.sampled_from(["", "---\n", "# a protocol file\n"]))
    entries = draw(st.lists(st.tuples(keys, value_text(0)), min_size=1, max_size=5))
    return start + "".join(f"{key}:{value}\n" for key, value in entries)


def plain(value: Any) -> Any:
    """Data as comparable values: mappings with text keys (as the loader makes them)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return (type(value).__name__, value)


def keys_compare_alike(text: str, loader_class: type[Any]) -> bool:
    """Whether every mapping's keys are as distinct as Python values as they are as text.

    ``1`` and ``'1'`` are one key to the loader (keys are text) but two to PyYAML; ``1`` and
    ``yes`` are two keys to the loader but one to PyYAML (``1 == True`` in a Python dict).
    Such documents differ by design and are left out of the comparison.
    """
    from yaml.nodes import MappingNode, SequenceNode

    loader = loader_class(text)
    try:
        pending = [loader.get_single_node()]
        while pending:
            node = pending.pop()
            if isinstance(node, MappingNode):
                found = [loader.construct_object(k, deep=True) for k, _ in node.value]
                hashable = [k for k in found if not isinstance(k, list | dict)]
                if len(set(hashable)) != len({str(k) for k in hashable}):
                    return False
                pending += [v for _, v in node.value]
            elif isinstance(node, SequenceNode):
                pending += node.value
        return True
    finally:
        loader.dispose()


SAFE_LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


def agree(text: str) -> None:
    """PyYAML's safe loader, pure Python and libyaml (they differ on a few corners, such as
    ``!`` alone, and the loader may follow either), against the loader."""
    readings, readers = [], []
    for loader in SAFE_LOADERS:
        with contextlib.suppress(yaml.YAMLError):
            readings.append(plain(yaml.load(text, Loader=loader)))  # noqa: S506 (safe loaders)
            readers.append(loader)
    data, problems = parse(text, "doc.yaml")
    if not readings:
        return  # PyYAML reads none of it; the loader's own wording is tested elsewhere
    if problems:
        assert len(problems) == 1 and any(r in problems[0].message for r in OWN_REFUSALS), (
            f"refused what PyYAML reads, without saying why: {problems}"
        )
        return
    assume(keys_compare_alike(text, readers[0]))
    assert plain(data) in readings
    careful, fast = yaml_source._loaders()
    if fast is not None:  # the fast path, when it takes the document, agrees too
        built = yaml_source._from_events(fast, text)
        if built is not None:
            assert plain(built) in readings


@settings(max_examples=400, deadline=None)
@given(documents())
def test_generated_documents_read_as_pyyaml_reads_them(text: str) -> None:
    agree(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \t\n-:#'\"[]{}|>&*!%@`,?abc01~", max_size=40))
def test_arbitrary_text_is_refused_only_with_a_reason(text: str) -> None:
    agree(text)


@pytest.mark.parametrize(
    "text",
    [
        'text: "Guard\tin place"\n',
        "text: 'tab\there'\n",
        "guidance: |\n  First line\n  \tindented by a tab inside the block\n",
        "guidance: >\n  folded\n  \twith a tab\n",
        "items:\n  - 'a\tb'\n",
    ],
)
def test_tabs_inside_quoted_or_block_scalars_are_legal(text: str) -> None:
    data, problems = parse(text, "doc.yaml")
    assert problems == []
    assert plain(data) == plain(yaml.safe_load(text))


def test_a_tab_in_indentation_is_still_named() -> None:
    _, problems = parse("questions:\n\t- id: x\n", "doc.yaml")
    assert [str(p) for p in problems] == ["doc.yaml:2: tab character in indentation; use spaces"]


@pytest.mark.parametrize("content", ["---\n", "~\n", "null\n", "--- ~\n", "# nothing\n---\n"])
def test_a_checklist_holding_no_data_is_a_file_line_problem(
    mini_dir: Path, content: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (mini_dir / "incidents.yaml").write_text(content)
    assert main(["validate", str(mini_dir)]) == 1
    out = capsys.readouterr()
    line = 2 if content.startswith("#") else 1
    assert f"{mini_dir}/incidents.yaml:{line}: the file holds no data" in out.out + out.err
    target = tmp_path / "new.audit"
    assert main(["new", str(target), "--company", "Acme", "--protocol", str(mini_dir)]) == 1
    assert not target.exists()
    assert "incidents.yaml" in capsys.readouterr().err


def test_a_protocol_yaml_holding_null_exits_1_with_a_message(
    mini_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini_dir / "protocol.yaml").write_text("null\n")
    assert main(["validate", str(mini_dir)]) == 1
    out = capsys.readouterr()
    assert f"{mini_dir}/protocol.yaml:1: the file holds no data" in out.out + out.err
