"""Portfolio fixtures: a real PostgreSQL server started for the session, and ``target``, the
same tests run against a folder of audit files and against that server (a fresh database
for each test)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.team.conftest import copy, edit, new_audit

from .pg_server import PgServer, find_bin

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = find_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server programs (/usr/lib/postgresql/*/bin/initdb)")
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    server = PgServer(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh, empty database on the session's server."""
    name = f"firm_{next(_databases)}"
    pg_server.admin(f"CREATE DATABASE {name}")
    return pg_server.url(name)


@pytest.fixture(params=["folder", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A portfolio target as ``--db`` takes it: a folder, or a postgresql:// URL."""
    if request.param == "folder":
        return str(tmp_path / "firm")
    return str(request.getfixturevalue("pg_url"))


__all__ = ["copy", "edit", "new_audit"]  # the portfolio tests build audits as the team tests do
