"""Markdown escaping: whatever the auditor types shows as typed, and the raw file stays readable.

The property tests render escaped text with markdown-it (CommonMark, GitHub tables and
strikethrough) in every place the report puts text, and read back what a reader would see.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from auditkit.audit import Audit
from auditkit.export import render
from auditkit.export.markdown import esc, esc_heading

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Pieces that mean something to Markdown somewhere, and plain ones to glue them.
PIECES = [
    "a",
    "b",
    "1",
    "12",
    " ",
    "  ",
    "\t",
    "\n",
    "_",
    "*",
    "~",
    "`",
    "<",
    ">",
    "&",
    "#",
    ";",
    "[",
    "]",
    "(",
    ")",
    "!",
    "|",
    "\\",
    "-",
    "+",
    "=",
    ".",
    ":",
    "/",
    "amp",
    "x41",
    "http",
    "script",
    "é",
    "'",
    '"',
]
texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def shown(text: str) -> str:
    """What the reader must see: the text on one line, spaces folded."""
    return " ".join(text.split())


def inner(markdown: str, pattern: str) -> str:
    """The text markdown-it renders inside ``pattern``'s group, which must hold no tag."""
    found = re.fullmatch(pattern, MD.render(markdown), re.DOTALL)
    assert found, MD.render(markdown)
    assert "<" not in found[1], found[1]  # markdown-it writes a typed "<" as "&lt;"
    return html.unescape(found[1])


@settings(max_examples=400)
@given(texts)
@example("<script>alert(1)</script>")
@example("1. # - > + [x]: /u")
def test_a_paragraph_shows_the_text_as_typed(text: str) -> None:
    if shown(text):
        assert inner(esc(text, start=True), r"<p>(.*)</p>\n") == shown(text)
    else:
        assert MD.render(esc(text, start=True)) == ""


@settings(max_examples=400)
@given(texts)
@example("- nested")
@example("1) numbered")
def test_a_list_item_shows_the_text_as_typed(text: str) -> None:
    out = inner(f"- {esc(text, start=True)}", r"<ul>\n<li>(.*)</li>\n</ul>\n")
    assert out == shown(text)


@settings(max_examples=400)
@given(texts.filter(lambda t: shown(t) != ""))
@example("*")
@example("a\\")
def test_bold_text_in_a_line_shows_as_typed(text: str) -> None:
    # Our own markup around the text must still work: the question id is written **1.D1**.
    out = inner(f"x **{esc(text)}** y", r"<p>x <strong>(.*)</strong> y</p>\n")
    assert out == shown(text)


@settings(max_examples=400)
@given(texts)
@example("a | b")
def test_a_table_cell_shows_the_text_as_typed(text: str) -> None:
    out = inner(
        f"| h | i |\n|---|---|\n| {esc(text, cell=True)} | z |",
        r"<table>.*<tbody>\n<tr>\n<td>(.*)</td>\n<td>z</td>\n</tr>\n</tbody>\n"
        r"</table>\n",
    )
    assert out == shown(text)


@settings(max_examples=400)
@given(texts.filter(lambda t: shown(t) != ""))
@example("Acme #")
@example("#")
def test_a_heading_shows_the_text_as_typed(text: str) -> None:
    assert inner(f"## 3 {esc_heading(text)}", r"<h2>3 (.*)</h2>\n") == f"3 {shown(text)}"[2:]


@pytest.mark.parametrize(
    ("text", "start", "raw"),
    [
        ("-2 kits short", True, "-2 kits short"),  # no space after "-": not a list
        ("- two kits short", False, "- two kits short"),  # mid-line: not a list
        ("- two kits short", True, "\\- two kits short"),
        ("#5 bolt missing", True, "#5 bolt missing"),
        ("# of kits", True, "\\# of kits"),
        ("2026. Year end", True, "2026\\. Year end"),
        ("v1.2 of the policy.", True, "v1.2 of the policy."),
        ("snake_case_name", False, "snake_case_name"),
        ("2 * 3 kits", False, "2 * 3 kits"),
        ("R&D, a < b, a > b", False, "R&D, a < b, a > b"),
        ("**bold**", False, "\\*\\*bold\\*\\*"),
        ("<script>", False, "\\<script>"),
        ("&amp;", False, "\\&amp;"),
        ("[text](http://x)", False, "[text\\](http://x)"),
        ("`rm`", False, "\\`rm\\`"),
        ("a | b", False, "a | b"),
    ],
)
def test_only_what_markdown_would_read_is_escaped(text: str, start: bool, raw: str) -> None:
    assert esc(text, start=start) == raw


def test_pipes_are_escaped_in_table_cells_only() -> None:
    assert esc("a | b", cell=True) == "a \\| b"


def test_the_raw_report_reads_like_the_notes_typed(half: Audit) -> None:
    raw = render(half, "md").decode()
    assert "- Yard: Yes — -2 kits short second line" in raw
    assert "- Shop: Partial — @SUM(A1)" in raw
    assert (
        "**1.D1** Is there a written health and safety policy, signed and dated by the "
        "senior manager?" in raw
    )
    assert "\\<script>alert(1)\\</script>" in raw
    assert "\\." not in raw and "\\-" not in raw and "\\#" not in raw
