"""Issue 16's bounded rendering: what the runner's pane costs for text and lists that grew.

Both figures render the pane's parts the way the TUI does (rich, at 100 columns) and compare
them with the ordinary case measured in the same run:

- a per-site question of an audit with 1,700 sites (each move laid out 1,700 rows, about a
  second, before the pane listed the first 40 and a count) against one with 40 sites;
- a 10 MB note (laid out whole, 60-90 s each time its question was shown) against a one-line
  note.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from benchmarks import Row, median_time, row

MINI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini"


def _render(renderable: object) -> None:
    Console(width=100, file=io.StringIO()).print(renderable)


def run() -> list[Row]:
    from auditkit.protocol.model import load_protocol
    from auditkit.tui.safe import plain
    from auditkit.tui.widgets.question_view import _others_table

    question = load_protocol(MINI).question("8.O1")
    many = [(f"Well pad {n:04d}", None) for n in range(1700)]
    few = many[:40]
    sites = median_time(lambda: _render(_others_table(question, many)), 7)
    sites_base = median_time(lambda: _render(_others_table(question, few)), 7)
    note = "Kit checked and tagged. " * 450_000  # about 10 MB
    long_note = median_time(lambda: _render(plain(note)), 7)
    short_note = median_time(lambda: _render(plain("Kit checked and tagged.")), 7)
    return [
        row(
            "runner pane, a question over 1,700 sites (vs 40 sites)",
            sites * 1000,
            sites_base * 1000,
            "<= 3x",
            "ms",
        ),
        row(
            "runner pane, a 10 MB note (vs a one-line note)",
            long_note * 1000,
            short_note * 1000,
            "< 50 ms",
            "ms",
        ),
    ]
