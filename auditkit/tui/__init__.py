"""The Textual field UI. Only this package imports Textual."""

from __future__ import annotations


def run_home() -> None:
    raise NotImplementedError("the TUI lands with issue 4")
