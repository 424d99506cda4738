"""The demo tells one story: last year's audit, this year's started from it, SFIs in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.demo import build_demo, previous_path
from auditkit.export import render
from auditkit.rules.findings import sfi_missing


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("story") / "demo.audit")


def test_last_years_audit_is_beside_the_demo(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = previous_path(demo)
    assert last.name == "demo-2025.audit" and last.exists()
    assert main(["compare", str(last), str(demo), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["elements"]) == 10 and data["overall"]["old"] is not None
    with Audit.open(last) as old, Audit.open(demo) as new:
        assert (old.purpose, new.purpose) == ("maintenance", "recertification")
        assert old.profile["company"] == new.profile["company"]


def test_carried_actions_and_rotation_show(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["actions", str(demo), "--json"])
    plan = json.loads(capsys.readouterr().out)
    carried = [a["id"] for a in plan if a["carried"]]
    assert carried == ["carried:1.6", "carried:5.2"]  # the done one is not carried
    main(["sample", str(demo)])
    assert "visit first): Field erection crew, Red Deer" in capsys.readouterr().out


def test_every_answered_item_under_80_percent_has_an_sfi(demo: Path) -> None:
    with Audit.open(demo) as audit:
        assert sfi_missing(audit) == []
        report = render(audit, "md").decode()
    summary = report[report.index("### Key suggestions") : report.index("### Audit activities")]
    assert "1.6" in summary and "5.2" in summary
    assert "Bring question" not in report
    assert "## Since the last audit" in report


def test_what_the_demo_answered_passes_the_check(demo: Path) -> None:
    from auditkit.rules.qa_check import check_audit

    with Audit.open(demo) as audit:
        codes = {p.code for p in check_audit(audit).problems}
    assert codes <= {"unanswered", "sample.interviews", "sample.sites"}  # only what is not done
