"""Training recommendations: proposed from the scores, curated, stored and journaled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.cli import main
from auditkit.rules import training
from auditkit.rules.finalize import finalize
from auditkit.store.audit_file import Store

COR_REQUIRED = ["lse", "ohs_legislation", "ohs_mgmt"]  # no points lost: ordered by course id


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def by_id(recs: list[training.Recommendation]) -> dict[str, training.Recommendation]:
    return {r.id: r for r in recs}


def test_a_fresh_audit_proposes_the_certificates_required_courses(audit: Audit) -> None:
    recs = training.recommend(audit)
    assert [r.id for r in recs] == COR_REQUIRED
    assert all(r.required and r.status == "proposed" and not r.questions for r in recs)


def test_secor_proposes_its_own_required_courses(tmp_path: Path) -> None:
    with Audit.create(
        tmp_path / "s.audit", Profile(company="Tiny Co", protocol="secor", headcounts=(4,))
    ) as audit:
        assert [r.id for r in training.recommend(audit)] == ["industry_safety", "phsm", "sfa"]


def test_a_question_that_lost_points_yields_its_courses_with_it(audit: Audit) -> None:
    audit.answer(
        "5.I1", "no", subject=audit.add_subject("interviewee", "S-1", role="supervisor").id
    )
    audit.answer("5.D1", "yes")  # keeps element 5 at 20/30, above its 50 % minimum
    recs = by_id(training.recommend(audit))
    for course in ("lse", "hazard_assessment"):  # the courses question 5.I1 names
        assert recs[course].questions == (training.Shortfall("5.I1", "hazard_assessment", 0, 10),)
        assert recs[course].elements == ()
    assert recs["lse"].required and not recs["hazard_assessment"].required
    assert "erp" not in recs


def test_ordered_by_points_lost(audit: Audit) -> None:
    audit.add_subject("interviewee", "S-1", role="supervisor")
    audit.answer("1.D1", "6")  # ohs_mgmt: 4 points lost
    audit.answer("1.I1", "partial", subject="S-1")  # ohs_mgmt: 5 more; element 1 at 55 %
    audit.answer("5.I1", "partial", subject="S-1")  # lse, hazard_assessment: 5; element 5 50 %
    recs = training.recommend(audit)
    # Equal points lost: the required course first.
    assert [(r.id, r.points_lost) for r in recs] == [
        ("ohs_mgmt", 9),
        ("lse", 5),
        ("hazard_assessment", 5),
        ("ohs_legislation", 0),
    ]
    assert [q.question_id for q in recs[0].questions] == ["1.I1", "1.D1"]


def test_an_element_under_its_minimum_yields_the_courses_that_address_it(audit: Audit) -> None:
    audit.answer("1.D1", "no")
    recs = by_id(training.recommend(audit))
    leadership = {r.id for r in recs.values() if r.elements == ("leadership",)}
    # phsm addresses leadership too, but it is SECOR's required course, not COR's.
    assert leadership == {"ohs_mgmt", "ohs_legislation", "lse", "erp", "auditor", "contractor_mgmt"}
    assert recs["ohs_mgmt"].questions[0].question_id == "1.D1"


def test_a_completed_required_course_is_not_recommended(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "profile", audit_path, "--completed-course", "lse")
    assert code == 0 and "completed courses: lse" in out
    data = json.loads(run(capsys, "recommend", audit_path, "--json")[1])
    assert data["completed_courses"] == ["lse"]
    assert [r["id"] for r in data["recommendations"]] == ["ohs_legislation", "ohs_mgmt"]
    # A weak question still proposes it, marked as completed: a refresher or more staff.
    with Audit.open(audit_path, write=True) as audit:
        audit.add_subject("interviewee", "S-1", role="supervisor")
        audit.answer("5.I1", "no", subject="S-1")
        lse = by_id(training.recommend(audit))["lse"]
    assert lse.completed and not lse.required and lse.points_lost == 10
    run(capsys, "profile", audit_path, "--not-completed", "lse")
    data = json.loads(run(capsys, "recommend", audit_path, "--json")[1])
    assert data["completed_courses"] == []


def test_curation_persists_across_reopen_and_is_journaled(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "recommend",
        audit_path,
        "--accept",
        "whmis",
        "--drop",
        "lse",
        "--add",
        "Coach the supervisors on field-level hazard assessments",
    )
    assert code == 0
    assert err.startswith("added ") and err.endswith(
        ": Coach the supervisors on field-level hazard assessments\n"
    )
    with Audit.open(audit_path) as audit:
        recs = training.recommend(audit)
        entries = audit.store.journal("recommendations")
    assert [(r.id if r.course_id else "", r.status) for r in recs] == [
        ("lse", "dropped"),
        ("ohs_legislation", "proposed"),
        ("ohs_mgmt", "proposed"),
        ("whmis", "accepted"),
        ("", "added"),
    ]
    assert [r.kept for r in recs] == [False, True, True, True, True]
    added = recs[-1]
    assert added.title == "Coach the supervisors on field-level hazard assessments"
    assert [(e.action, e.key) for e in entries] == [
        ("recommendation.set", "course:whmis"),
        ("recommendation.set", "course:lse"),
        ("recommendation.set", added.id),
    ]
    assert entries[1].after_data() == {"course_id": "lse", "status": "dropped", "text": ""}
    assert out.splitlines()[-1] == "Dropped: lse"
    assert f"[added {added.id[:8]}] Coach the supervisors" in out

    # A dropped course stays dropped when the scores propose it again; accepting takes it back.
    with Audit.open(audit_path, write=True) as audit:
        audit.add_subject("interviewee", "S-1", role="supervisor")
        audit.answer("5.I1", "no", subject="S-1")
        assert by_id(training.recommend(audit))["lse"].status == "dropped"
        training.accept(audit, "lse")
        assert by_id(training.recommend(audit))["lse"].status == "accepted"
    # Dropping your own recommendation (by a prefix of its id) deletes it, journaled.
    assert run(capsys, "recommend", audit_path, "--drop", added.id[:8])[0] == 0
    with Audit.open(audit_path) as audit:
        assert all(r.course_id for r in training.recommend(audit))
        last = audit.store.journal("recommendations")[-1]
    assert (last.action, last.key, last.after) == ("recommendation.remove", added.id, None)


def test_recommend_text(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "no")
    code, out, err = run(capsys, "recommend", audit_path)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Training recommendations (COR), from 1 of 8 questions answered:"
    assert lines[1:5] == [
        "  1. [proposed] Health and Safety Management Systems (Principles of Health and "
        "Safety Management) (ohs_mgmt)",
        "       10 points lost on 1 question(s): 1.D1 (-10)",
        "       element(s) under the 50 % minimum: 1 leadership",
        "       required for COR, not completed",
    ]


def test_recommend_json(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "partial")
    data = json.loads(run(capsys, "recommend", audit_path, "--json")[1])
    assert (data["certificate"], data["answered"], data["questions"]) == ("COR", 1, 8)
    first = data["recommendations"][0]
    assert first == {
        "id": "ohs_mgmt",
        "course_id": "ohs_mgmt",
        "title": "Health and Safety Management Systems (Principles of Health and Safety "
        "Management)",
        "provider": "Certifying Partner (e.g. Alberta Construction Safety Association)",
        "status": "proposed",
        "note": "",
        "points_lost": 5,
        "elements": [],
        "required": True,
        "completed": False,
        "questions": [
            {"id": "1.D1", "element": "leadership", "awarded": 5, "possible": 10, "lost": 5}
        ],
    }


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("recommend", "--accept", "bogus"),
            1,
            "unknown course 'bogus' (course ids are listed by 'auditkit recommend FILE' and in "
            "data/training.yaml)",
        ),
        (("recommend", "--accept", "lse", "--accept", "bogus"), 1, "unknown course 'bogus'"),
        (("recommend", "--drop", "nope"), 1, "'nope' names no course or recommendation in "),
        (("recommend", "--drop", "lse", "--add", "  "), 2, "--add needs some text"),
        (
            ("recommend", "--accept", "lse", "--drop", "lse"),
            2,
            "--accept and --drop both name 'lse'",
        ),
        (("profile", "--completed-course", "bogus"), 1, "unknown course 'bogus'"),
        (
            ("profile", "--completed-course", "lse", "--headcount", "many"),
            2,
            "headcount 'many' is not a whole number",
        ),
    ],
)
def test_refused_input_changes_nothing(
    audit_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    code: int,
    message: str,
) -> None:
    with Store.open(audit_path) as store:
        before = store.dump()
    command, *rest = args
    result, out, err = run(capsys, command, audit_path, *rest)
    assert (result, out) == (code, "")
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    with Store.open(audit_path) as store:
        assert store.dump() == before


def test_profile_sets_the_workforce_and_points_out_the_other_certificate(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "profile",
        audit_path,
        "--headcount",
        "6",
        "--headcount",
        "9",
        "--contact",
        "J. Smith",
    )
    assert code == 0
    assert err == ""  # 9 workers may choose COR as well as SECOR: nothing to point out
    assert "workers:           9" in out and "contact:           J. Smith" in out
    with Audit.open(audit_path) as audit:
        assert (audit.profile["workers"], audit.headcounts) == (9, [6, 9])
        assert audit.profile["contact"] == "J. Smith"


@pytest.mark.parametrize(
    ("counts", "certificate"),
    [
        (["10"], "SECOR"),
        (["11"], "COR"),
        (["3", "10", "7"], "SECOR"),
        (["8", "9", "12"], "COR"),
        (["0"] * 11 + ["10"], "SECOR"),
    ],
)
def test_eligibility_edges(
    capsys: pytest.CaptureFixture[str], counts: list[str], certificate: str
) -> None:
    code, out, _ = run(capsys, "eligibility", "--json", "--headcount", *counts)
    assert code == 0 and json.loads(out)["certificate"] == certificate


def test_a_one_worker_employer_is_pointed_to_secor(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "profile", audit_path, "--headcount", "1")
    assert code == 0
    assert err == (
        "note: a largest headcount of 1 qualifies for SECOR; this audit stays COR "
        "(its protocol does not change)\n"
    )
    code, out, _ = run(capsys, "eligibility", "--json", "--headcount", "1", "1")
    assert json.loads(out)["choices"] == ["SECOR"]
    code, out, _ = run(capsys, "eligibility", "--json", "--headcount", "2", "10")
    assert json.loads(out)["choices"] == ["SECOR", "COR"]


def test_eligibility_refuses_thirteen_months(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "eligibility", "--headcount", *["5"] * 13)
    assert (code, out) == (2, "")
    assert err == "error: give at most 12 monthly headcounts (the past 12 months), not 13\n"


def test_a_finalized_audit_takes_curation_only_with_a_reason(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Audit.open(audit_path, write=True) as audit:
        audit.add_subject("interviewee", "S-1", role="supervisor")
        audit.add_subject("incident", "INC-1")
        for question in audit.protocol.questions:
            subject = {"site": "Yard", "interviewee": "S-1", "incident": "INC-1"}.get(
                question.subject
            )
            audit.answer(question.id, "yes", subject=subject)
        finalize(audit, deviation="The senior manager was away; the CP agreed to one interview.")
    with Store.open(audit_path) as store:
        before = store.dump()
    code, out, err = run(capsys, "recommend", audit_path, "--accept", "whmis")
    assert (code, out) == (1, "")
    assert "a change needs a reason (--reason)" in err
    with Store.open(audit_path) as store:
        assert store.dump() == before
    code, _, _ = run(
        capsys,
        "recommend",
        audit_path,
        "--accept",
        "whmis",
        "--reason",
        "QA asked for WHMIS refreshers",
    )
    assert code == 0
    with Store.open(audit_path) as store:
        entry = store.journal("recommendations")[-1]
    assert (entry.key, entry.reason) == ("course:whmis", "QA asked for WHMIS refreshers")
