"""The layers as a contract, checked on the parsed imports and string literals of every module.

* Only the store layer (``auditkit/store/``) imports ``sqlite3`` or ``sqlite_utils``, and only
  it writes: no SQL write statement, ``Store.write()`` or ``Store._journal`` anywhere else.
* The engine (everything but ``tui/`` and ``cli/``) never imports Textual, the TUI or the CLI.
* The TUI never touches SQLite and reaches the store only through the engine (``Audit`` and the
  engine's functions): of the store package it may import only the record types.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "auditkit"
SQL_WRITE = re.compile(
    r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|REPLACE\s+INTO)\b"
)
# sqlite-utils' writing calls, as in db.table("answers").insert(...)
TABLE_WRITES = {"insert", "insert_all", "update", "upsert", "upsert_all", "delete", "delete_where"}
# Store internals: a transaction and a journal entry, only ever inside the store layer.
STORE_INTERNALS = {"_journal", "_stamp", "conn", "db"}


def modules(part: str | None = None) -> list[Path]:
    root = PACKAGE / part if part else PACKAGE
    return sorted(root.rglob("*.py"))


def layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute and dotted (``auditkit.store.records``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def under(names: set[str], *prefixes: str) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


def offenders(paths: list[Path], *prefixes: str) -> dict[str, set[str]]:
    found = {str(p.relative_to(PACKAGE)): under(imports(p), *prefixes) for p in paths}
    return {name: hits for name, hits in found.items() if hits}


def test_only_the_store_imports_sqlite() -> None:
    outside = [p for p in modules() if layer(p) != "store"]
    assert offenders(outside, "sqlite3", "sqlite_utils") == {}


def test_the_engine_never_imports_textual_the_tui_or_the_cli() -> None:
    engine = [p for p in modules() if layer(p) not in ("tui", "cli")]
    assert offenders(engine, "textual", "auditkit.tui", "auditkit.cli") == {}


def test_the_tui_reaches_the_store_only_through_the_engine() -> None:
    found = {
        name: {h for h in hits if not h.startswith("auditkit.store.records")}
        for name, hits in offenders(modules("tui"), "auditkit.store").items()
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
    uses_store = [
        str(p.relative_to(PACKAGE))
        for p in modules("tui")
        if any(
            isinstance(node, ast.Attribute) and node.attr == "store"
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    ]
    assert uses_store == []


def test_no_sql_write_outside_the_store() -> None:
    found = []
    for path in modules():
        if layer(path) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL_WRITE.search(node.value)
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_no_write_or_journal_call_outside_the_store() -> None:
    found = []
    for path in modules():
        if layer(path) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute):
                continue
            table_write = (
                node.attr in TABLE_WRITES
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr == "table"
            )
            store_write = node.attr == "write" and isinstance(node.value, ast.Attribute)
            store_write = store_write and node.value.attr == "store"
            if table_write or store_write or node.attr in STORE_INTERNALS:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
    assert found == []


def test_the_checks_see_a_violation(tmp_path: Path) -> None:
    """The patterns above do match what they forbid (so an empty list means something)."""
    assert SQL_WRITE.search("INSERT OR REPLACE INTO meta (key) VALUES (?)")
    assert SQL_WRITE.search("UPDATE audit SET finalized_at = ?")
    assert SQL_WRITE.search("DELETE FROM answers WHERE id = ?")
    assert not SQL_WRITE.search("Update the profile, then delete from the list")
    probe = tmp_path / "probe.py"
    probe.write_text("import sqlite3\nfrom textual.app import App\n", encoding="utf-8")
    assert under(imports(probe), "sqlite3", "textual") == {
        "sqlite3",
        "textual.app",
        "textual.app.App",
    }
