"""The demo tells one story: last year's audit, this year's started from it, SFIs in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.demo import build_demo, previous_path
from auditkit.export import render
from auditkit.rules.findings import findings, sfi_missing


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
    # Last year's action plan as the employer kept it: the done ones are not carried.
    assert carried == [
        "carried:1.6",
        "carried:5.2",
        "carried:5.R1",
        "carried:7.6",
        "carried:8.2",
    ]
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


def test_last_years_audit_is_complete_finalized_and_passes_the_qa_check(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = previous_path(demo)
    assert main(["check", str(last)]) == 0
    assert capsys.readouterr().out == f"{last}: submittable: 0 error(s), 0 warning(s)\n"
    assert main(["sample", str(last), "--json"]) == 0
    sample = json.loads(capsys.readouterr().out)
    with Audit.open(last) as old:
        assert old.profile["finalized_at"].startswith("2025-12-08")  # the report's date
        assert not old.profile.get("deviation")  # the sample was met, not excused
        scores = old.score()
        assert scores.complete and scores.passed
        # Its notes were written then: nothing names a later record, date or assessment.
        notes = [a.note for a in old.answers()] + [f.note for f in findings(old).values()]
        assert not [n for n in notes if "2026" in n or "INC-26" in n]
    assert sample["interviews"]["met"] and sample["sites"]["met"]
    assert len(sample["sites"]["visited"]) == sample["sites"]["required"] == 3
    assert sample["sites"]["pending"] == ["Field erection crew, Red Deer"]  # left for this year


def test_this_years_report_follows_up_the_finalized_audit_with_its_scores(demo: Path) -> None:
    last = previous_path(demo)
    with Audit.open(last) as old:
        then = old.score()
    with Audit.open(demo) as audit:
        report = render(audit, "md").decode()
    since = report[report.index("## Since the last audit") : report.index("## Auditor sign-off")]
    assert (
        "Previous audit: Maintenance audit, 2025-11-17 to 2025-11-21 (finalized on 2025-12-08)."
        in since
    )
    assert f"| Overall | {float(then.percent or 0):.1f} % |" in since
    for element in then.elements:
        assert (
            f"| {element.number} {element.title} | {float(element.percent or 0):.1f} % |" in since
        )
