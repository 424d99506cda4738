"""A migration set that imports sqlite-utils only when a migration has to be applied.

Importing sqlite-utils loads its plugins (an entry-point scan) and numpy when installed, about
0.1–0.2 s: most of what opening an audit in the TUI cost before its first frame. Only creating
a file, or opening one written by an older auditkit, needs it; every other open only reads
which migrations were applied, which plain sqlite3 does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MigrationFn = Callable[["Database"], None]
TABLE = "_sqlite_migrations"  # sqlite-utils' own table, so files stay compatible


@dataclass(frozen=True)
class Step:
    name: str
    fn: MigrationFn


class Migrations:
    """Registered like :class:`sqlite_utils.migrations.Migrations` (``@migrations(name=...)``)
    and applied by it; ``pending`` reads the applied names with sqlite3 alone."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Step] = []

    def __call__(self, *, name: str) -> Callable[[MigrationFn], MigrationFn]:
        def register(fn: MigrationFn) -> MigrationFn:
            if any(step.name == name for step in self._migrations):
                raise ValueError(f"migration {name!r} is registered twice")
            self._migrations.append(Step(name, fn))
            return fn

        return register

    def pending(self, conn: sqlite3.Connection) -> list[str]:
        """Names of the migrations not yet applied to the database behind ``conn``."""
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]
        ).fetchone():
            return [step.name for step in self._migrations]
        applied = {
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {TABLE} WHERE migration_set = ?", [self.name]
            )
        }
        return [step.name for step in self._migrations if step.name not in applied]

    def apply(self, db: Database) -> None:
        """Apply every pending migration, each in its own transaction (sqlite-utils does)."""
        from sqlite_utils.migrations import Migrations as SqliteUtilsMigrations

        real = SqliteUtilsMigrations(self.name)
        for step in self._migrations:
            real(name=step.name)(step.fn)
        real.apply(db)
