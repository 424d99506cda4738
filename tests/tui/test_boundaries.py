"""The TUI writes only through the engine, and only the TUI imports Textual."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "auditkit"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_tui_never_touches_sqlite_itself() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / "tui").rglob("*.py")
        if imported_modules(p) & {"sqlite3", "sqlite_utils"}
    ]
    assert offenders == []


def test_the_tui_never_runs_sql() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / "tui").rglob("*.py")
        if ".conn." in p.read_text() or ".db[" in p.read_text()
    ]
    assert offenders == []


def test_only_the_tui_imports_textual() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "tui" not in p.relative_to(PACKAGE).parts and "textual" in imported_modules(p)
    ]
    assert offenders == []
