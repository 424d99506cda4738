"""Audits for the TUI tests: the mini protocol with one subject of each kind, and the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.demo import build_demo

MINI = Path(__file__).parent.parent / "fixtures" / "mini"


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the recent-audits list out of the real home folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("AUDITKIT_AUDITOR", "Test Auditor")


@pytest.fixture
def mini_path(tmp_path: Path) -> Path:
    path = tmp_path / "mini.audit"
    with Audit.create(
        path,
        Profile(
            company="Mini Co",
            protocol=str(MINI),
            headcounts=(12,),
            sites=("Yard",),
            start_date="2026-11-16",
        ),
    ) as audit:
        audit.add_subject("interviewee", "SV-01", role="supervisor", site="Yard")
        audit.add_subject("interviewee", "WK-01", role="worker", site="Yard")
        audit.add_subject("incident", "INC-1", fields={"date": "2026-03-01", "type": "first_aid"})
    return path


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.audit")


@pytest.fixture
def demo_path(_demo_master: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo audit (built once per test run, with the fixed seed)."""
    path = tmp_path / "demo.audit"
    shutil.copy(_demo_master, path)
    return path
