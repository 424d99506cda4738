"""Shared fixtures: the mini protocol, a fresh audit on it, and the CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini protocol, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    """An audit file on the mini protocol with two sites, closed and ready to open."""
    path = tmp_path / "acme.audit"
    profile = Profile(company="Acme Ltd", protocol=str(MINI), sites=("Yard", "Shop"),
                      auditors=("Pat Lee",))
    Audit.create(path, profile).close()
    return path


@pytest.fixture
def audit(audit_path: Path) -> Iterator[Audit]:
    with Audit.open(audit_path, write=True) as opened:
        yield opened
