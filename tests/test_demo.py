"""The demo audit: realistic, half done, valid, and the same for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit.audit import Audit
from auditkit.cli import cli, main
from auditkit.demo import build_demo
from auditkit.protocol.model import ROLES
from auditkit.rules.incidents import INCIDENT_TYPES
from auditkit.rules.progress import answered_keys, components


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.audit")


def test_demo_is_a_fictitious_employer_with_every_kind_of_subject(demo: Path) -> None:
    with Audit.open(demo) as audit:
        assert audit.profile["company"] == "Chinook Ridge Fabrication Ltd."
        assert audit.profile["certificate"] == "COR"
        assert len(audit.subjects("site")) >= 3
        assert {s.role for s in audit.subjects("interviewee")} == set(ROLES)
        incidents = audit.incident_summary()
        assert set(k for k, n in incidents.by_type.items() if n) == set(INCIDENT_TYPES)
        assert incidents.period == "2025-11-07 to 2026-10-02"


def test_demo_is_about_half_done(demo: Path) -> None:
    with Audit.open(demo) as audit:
        progress = components(audit.protocol, audit.subjects(), answered_keys(audit.answers()))
        answered = sum(c.answered for c in progress)
        expected = sum(c.expected for c in progress)
        assert 0.35 <= answered / expected <= 0.65
        assert all(0 < c.answered < c.expected for c in progress)
        noted = [a for a in audit.answers() if a.note]
        assert len(noted) > len(audit.answers()) / 2
        assert not audit.score().complete


def test_same_seed_same_audit(demo: Path, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again.audit")

    def content(path: Path) -> list[tuple[str, str, str | None, str]]:
        with Audit.open(path) as audit:
            labels = {s.id: s.label for s in audit.subjects()} | {"": ""}
            return sorted(
                (a.question_id, labels[a.subject_id], a.value, a.note) for a in audit.answers()
            )

    assert content(again) == content(demo)


def test_cli_demo_no_open_creates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "site.audit"
    result = CliRunner().invoke(cli, ["demo", str(target), "--no-open"])
    assert result.exit_code == 0
    assert result.output.startswith(f"created {target}")
    with Audit.open(target) as audit:
        assert audit.answers()


def test_cli_demo_refuses_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken.audit"
    target.write_bytes(b"keep me")
    assert main(["demo", str(target), "--no-open"]) == 1
    assert capsys.readouterr().err == f"error: {target}: already exists; choose another file name\n"
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["taken.audit"]


def test_cli_open_refuses_what_is_not_an_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("hello")
    assert main(["open", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {target}: not an auditkit audit") and err.count("\n") == 1
