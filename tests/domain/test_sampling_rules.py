"""Interview and site-visit sampling: the bundled table, its validation, and audit progress."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.resources import data_dir
from auditkit.rules.sampling import (
    SamplingInvalid,
    parse_sampling,
    required_interviews,
    required_sites,
    sample_progress,
)
from auditkit.store.audit_file import Store

BUNDLED = (data_dir() / "sampling.yaml").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("workers", "total"),
    [
        (1, 1),
        (4, 4),
        (5, 4),
        (10, 8),
        (11, 8),
        (50, 19),
        (64, 19),
        (65, 20),
        (199, 25),
        (200, 26),
        (250, 37),  # the published TSCBC rows, not an interpolation
        (380, 55),
        (475, 57),
        (499, 58),
        (500, 59),
        (549, 63),
        (550, None),  # from 550 the Certifying Partner decides
        (5000, None),
    ],
)
def test_interviews_required_by_workforce_size(workers: int, total: int | None) -> None:
    plan = required_interviews(workers)
    assert plan.total == total
    assert plan.cp == (total is None)


def test_the_cp_number_applies_from_550() -> None:
    plan = required_interviews(620, cp_required=70, staff=STAFF_620)
    assert plan.total == 70 and plan.cp
    assert sum(v or 0 for v in plan.by_role.values()) == 70
    # Until the CP's number is recorded, only the senior manager is required by level.
    plan = required_interviews(620, staff=STAFF_620)
    assert plan.total is None
    assert plan.by_role == {
        "senior_manager": 1,
        "manager": None,
        "supervisor": None,
        "worker": None,
    }


STAFF_620 = {"senior_manager": 2, "manager": 18, "supervisor": 60, "worker": 540}


def test_small_workforces_are_all_interviewed() -> None:
    assert required_interviews(1).everyone and required_interviews(4).everyone
    assert not required_interviews(5).everyone
    assert required_interviews(0).total == 0
    staff = {"senior_manager": 1, "manager": 0, "supervisor": 1, "worker": 2}
    assert required_interviews(4, staff=staff).by_role == staff


def test_without_staff_only_the_senior_manager_is_required_by_level() -> None:
    plan = required_interviews(50)
    assert plan.by_role == {
        "senior_manager": 1,
        "manager": None,
        "supervisor": None,
        "worker": None,
    }
    assert plan.questionnaires_max == 9  # half of the 18 interviews after the senior manager


def test_levels_follow_the_declared_staff() -> None:
    staff = {"senior_manager": 1, "manager": 3, "supervisor": 6, "worker": 30}
    plan = required_interviews(40, staff=staff)
    assert plan.total == 17
    assert plan.by_role == {"senior_manager": 1, "manager": 1, "supervisor": 3, "worker": 12}
    assert plan.questionnaires_max == 6
    # No managers: none required; a workforce of field crews with one supervisor gets one.
    staff = {"senior_manager": 1, "manager": 0, "supervisor": 1, "worker": 48}
    assert required_interviews(50, staff=staff).by_role == {
        "senior_manager": 1,
        "manager": 0,
        "supervisor": 1,
        "worker": 17,
    }


@pytest.mark.parametrize("seed", range(40))
def test_each_level_within_one_of_its_share_at_least_one_never_more_than_staff(
    seed: int,
) -> None:
    import random

    rng = random.Random(seed)
    staff = {
        "senior_manager": rng.randint(1, 3),
        "manager": rng.choice([0, rng.randint(1, 40)]),
        "supervisor": rng.randint(1, 80),
        "worker": rng.randint(5, 450),
    }
    size = sum(staff.values())
    plan = required_interviews(size, staff=staff)
    counts = plan.by_role
    assert counts["senior_manager"] == 1
    assert sum(v or 0 for v in counts.values()) == plan.total
    rest = (plan.total or 0) - 1
    pool = staff["manager"] + staff["supervisor"] + staff["worker"]
    for level in ("manager", "supervisor", "worker"):
        got = counts[level] or 0
        assert got <= staff[level]
        if staff[level]:
            assert got >= 1
            assert abs(got - Fraction(rest * staff[level], pool)) < 1, (level, staff, counts)
        else:
            assert got == 0


def test_a_level_no_question_asks_is_sampled_with_the_next_level() -> None:
    staff = {"senior_manager": 1, "manager": 2, "supervisor": 1, "worker": 6}
    plan = required_interviews(10, staff=staff, askable=SECOR_LEVELS)
    assert plan.by_role["manager"] == 0
    assert plan.by_role == {"senior_manager": 1, "manager": 0, "supervisor": 2, "worker": 5}


SECOR_LEVELS = ("senior_manager", "supervisor", "worker")


@pytest.mark.parametrize(
    ("sites", "required"),
    [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
        (5, 3),
        (8, 3),
        (9, 3),
        (10, 4),
        (12, 4),
        (30, 10),
        (31, None),  # beyond 30 the Certifying Partner decides
    ],
)
def test_site_visits_required(sites: int, required: int | None) -> None:
    assert required_sites(sites) == required


def test_site_visits_beyond_30_are_the_cps_number() -> None:
    assert required_sites(40, cp_required=12) == 12


def refused(text: str) -> list[str]:
    with pytest.raises(SamplingInvalid) as caught:
        parse_sampling(text.encode(), "sampling.yaml")
    return [str(p) for p in caught.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_gap_in_the_rows_names_its_line() -> None:
    text = BUNDLED.replace("{min: 6, max: 7, required: 5,", "{min: 7, max: 7, required: 5,")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 7, max: 7')}: interviews row 3: starts at 7, "
        f"expected 6 (rows must be contiguous and ascending from 1)"
    ]


def test_the_last_row_must_be_open_ended() -> None:
    text = BUNDLED.replace("{min: 550, required: cp,", "{min: 550, max: 600, required: cp,")
    rows = sum(1 for line in text.split("sites:")[0].splitlines() if "{min:" in line)
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 550')}: interviews row {rows}: the last row must "
        f"leave out 'max' so that every size has a row"
    ]


def test_rows_must_start_at_one_and_counts_never_fall() -> None:
    text = BUNDLED.replace("{min: 1, max: 4, required: all,", "{min: 2, max: 4, required: all,")
    assert "starts at 2, expected 1" in refused(text)[0]
    text = BUNDLED.replace("{min: 50, max: 64, required: 19,", "{min: 50, max: 64, required: 17,")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 50, max: 64')}: interviews row 17: requires 17 "
        f"at 50, fewer than the 18 of the row before; the count must not fall as the size "
        f"grows"
    ]


def test_the_old_role_shares_are_refused_with_the_reason() -> None:
    text = BUNDLED + "roles:\n  worker: {share: 0.6, min: 1}\n"
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, 'roles:')}: 'roles' is no longer used: interviews "
        f"follow the staff declared by level (auditkit profile --staff)"
    ]


def test_a_site_row_gives_a_count_or_a_percentage() -> None:
    text = BUNDLED.replace(
        "{min: 9, max: 30, percent: 33,", "{min: 9, max: 30, percent: 33, required: 3,"
    )
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 9, max: 30')}: sites row 3: give exactly one of "
        f"'required' (a number, all or cp) or 'percent'"
    ]


def test_every_problem_is_reported_in_one_run() -> None:
    text = (
        BUNDLED.replace("{min: 6, max: 7, required: 5,", "{min: 7, max: 7, required: 5,")
        .replace(
            "{min: 5, max: 5, required: 4, source: TSCBC}",
            "{min: 5, max: 5, required: 4, source: 7}",
        )
        .replace("sites:", "site:")
    )
    assert refused(text) == [
        "sampling.yaml:1: missing 'sites'",
        f"sampling.yaml:{line_of(text, '{min: 5, max: 5')}: interviews row 2: 'source' must "
        f"be text",
        f"sampling.yaml:{line_of(text, '{min: 7, max: 7')}: interviews row 3: starts at 7, "
        f"expected 6 (rows must be contiguous and ascending from 1)",
        f"sampling.yaml:{line_of(text, 'site:')}: unknown key 'site'",
    ]


def test_yaml_errors_name_the_line() -> None:
    assert refused("interviews: [\n")[0].startswith("sampling.yaml:2: YAML syntax error")


# -- an audit's progress -----------------------------------------------------------------------


def test_progress_counts_interviewees_and_sites_with_an_answer(audit: Audit) -> None:
    audit.set_staff({"senior_manager": 1, "manager": 3, "supervisor": 6, "worker": 40})
    audit.add_subject("interviewee", "S-01", role="supervisor")
    audit.add_subject("interviewee", "W-01", role="worker")
    audit.answer("5.I1", "yes", subject="S-01")
    audit.answer("8.O1", "no", subject="Yard")
    progress = sample_progress(audit)
    assert progress.workers == 50 and progress.interviews_required == 19
    roles = {r.role: (r.required, r.staff, r.added, r.done) for r in progress.roles}
    assert roles == {
        "senior_manager": (1, 1, 0, 0),
        "manager": (1, 3, 0, 0),
        "supervisor": (2, 6, 1, 1),
        "worker": (15, 40, 1, 0),
    }
    assert progress.interviews_done == 1 and not progress.interviews_met
    assert progress.sites_required == 2
    assert (progress.sites_visited, progress.sites_pending) == (("Yard",), ("Shop",))
    assert not progress.sites_met


def test_a_visit_is_an_observation_answer(audit: Audit) -> None:
    audit.set_note("8.O1", "gate locked", subject="Shop")
    assert sample_progress(audit).sites_visited == ()
    audit.answer("8.O1", "yes", subject="Shop")
    assert sample_progress(audit).sites_visited == ("Shop",)


def test_the_head_office_must_be_among_the_visited(audit: Audit) -> None:
    site = audit.set_head_office("Head office, Calgary")  # a new site: added as active
    assert site.label == "Head office, Calgary"
    audit.answer("8.O1", "yes", subject="Yard")
    audit.answer("8.O1", "yes", subject="Shop")
    progress = sample_progress(audit)
    assert progress.sites_required == 3 and not progress.sites_met
    assert progress.head_office == "Head office, Calgary" and not progress.head_office_visited
    audit.answer("5.O1", "yes", subject="Head office, Calgary")
    assert sample_progress(audit).sites_met


def test_questionnaires_count_for_at_most_half_of_the_worker_interviews(audit: Audit) -> None:
    audit.set_staff({"senior_manager": 1, "worker": 9})
    plan = sample_progress(audit).plan
    assert plan is not None and plan.by_role["worker"] == 7 and plan.questionnaires_max == 3
    for number in range(1, 6):
        audit.add_subject("interviewee", f"Q-{number}", role="worker", questionnaire=True)
        audit.answer("1.I1", "yes", subject=f"Q-{number}")
    worker = sample_progress(audit).roles[3]
    assert (worker.questionnaires, worker.done) == (5, 3)


def test_unknown_workforce_requires_nothing_and_says_so(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Audit.open(audit_path) as audit:
        progress = sample_progress(audit)
    assert progress.workers is None and progress.plan is None
    assert {r.required for r in progress.roles} == {None}
    code, out, _ = run(capsys, "sample", audit_path)
    assert code == 0
    assert out.splitlines()[:2] == [
        "Acme Ltd (COR): workforce size unknown; the profile records no headcount, so the "
        "interviews required cannot be worked out.",
        f"  Record it with: auditkit profile {audit_path} --staff senior_manager=N,manager=N,"
        "supervisor=N,worker=N (or --workers N)",
    ]
    code, out, _ = run(capsys, "sample", audit_path, "--json")
    data = json.loads(out)
    assert data["workers"] is None and data["interviews"]["required"] is None


def test_sample_command(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = "senior_manager=1,manager=1,supervisor=2,worker=8"
    assert run(capsys, "profile", audit_path, "--staff", staff)[0] == 0
    run(
        capsys,
        "subject",
        "add",
        audit_path,
        "--kind",
        "interviewee",
        "--label",
        "W-01",
        "--role",
        "worker",
    )
    assert run(capsys, "answer", audit_path, "1.I1", "yes", "--subject", "W-01")[0] == 0
    code, out, err = run(capsys, "sample", audit_path)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Acme Ltd (COR): workforce 12 (staff by level)",
        "Interviews: 1 of 9 done",
        "  senior manager   0 of 1    staff 1",
        "  manager          0 of 1    staff 1",
        "  supervisor       0 of 1    staff 2",
        "  worker           1 of 6    staff 8",
        "  Written questionnaires may replace at most 3 of the worker interviews, never the "
        "others.",
        "Site visits: 0 of 2 required done (2 active site(s))",
        "  not yet: Yard; Shop",
    ]
    data = json.loads(run(capsys, "sample", audit_path, "--json")[1])
    assert data["interviews"]["roles"][3] == {
        "role": "worker",
        "required": 6,
        "added": 1,
        "done": 1,
        "staff": 8,
        "questionnaires": 0,
    }
    assert data["sites"] == {
        "in_scope": 2,
        "required": 2,
        "visited": [],
        "pending": ["Yard", "Shop"],
        "head_office": None,
        "met": False,
    }


def test_from_550_the_sample_waits_for_the_cps_number(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = "senior_manager=2,manager=18,supervisor=60,worker=540"
    assert run(capsys, "profile", audit_path, "--staff", staff)[0] == 0
    data = json.loads(run(capsys, "sample", audit_path, "--json")[1])
    assert data["workers"] == 620 and data["interviews"]["required"] is None
    code, out, _ = run(capsys, "check", audit_path, "--json")
    problems = json.loads(out)["problems"]
    assert code == 1
    assert any(
        p["code"] == "sample.interviews" and "--interviews-required" in p["message"]
        for p in problems
    )
    assert run(capsys, "profile", audit_path, "--interviews-required", "70")[0] == 0
    data = json.loads(run(capsys, "sample", audit_path, "--json")[1])
    assert data["interviews"]["required"] == 70
    assert [r["required"] for r in data["interviews"]["roles"]] == [1, 2, 7, 60]


def test_a_protocol_folder_carries_its_own_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from tests.conftest import MINI

    folder = tmp_path / "cp-instrument"
    shutil.copytree(MINI, folder)
    own = BUNDLED.replace("{min: 10, max: 11, required: 8,", "{min: 10, max: 11, required: 9,")
    (folder / "sampling.yaml").write_text(own, encoding="utf-8")
    path = tmp_path / "cp.audit"
    args = ["new", path, "--company", "Acme Ltd", "--protocol", folder, "--workers", "10"]
    assert run(capsys, *args)[0] == 0
    (folder / "sampling.yaml").unlink()  # the audit keeps its own copy
    data = json.loads(run(capsys, "sample", path, "--json")[1])
    assert data["interviews"]["required"] == 9
    # A broken table in the folder is a protocol problem, named with its line.
    (folder / "sampling.yaml").write_text(own.replace("{min: 1, max: 4", "{min: 2, max: 4"))
    code, _, err = run(capsys, "validate", folder)
    assert code == 1 and "sampling.yaml:" in err + capsys.readouterr().out


def test_sample_refuses_what_is_not_an_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    code, out, err = run(capsys, "sample", path)
    assert (code, out) == (1, "")
    assert err == f"error: {path}: not an auditkit audit (not an SQLite database)\n"
    assert path.read_text() == "hello"


def test_sample_reads_without_writing(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(audit_path) as store:
        before = store.dump()
    run(capsys, "sample", audit_path)
    with Store.open(audit_path) as store:
        assert store.dump() == before


def test_a_file_from_before_staff_by_level_opens_and_scores_unchanged(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "7")
        before = audit.score()
    conn = sqlite3.connect(audit_path)  # the file as an auditkit before m12 wrote it
    for column in ("staff", "interviews_required", "sites_required", "head_office", "deviation"):
        conn.execute(f"ALTER TABLE audit DROP COLUMN {column}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm12_sampling'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "sample", audit_path, "--json")  # read-only: not migrated
    assert code == 0 and json.loads(out)["workers"] is None
    assert run(capsys, "check", audit_path)[0] == 1
    assert run(capsys, "profile", audit_path, "--staff", "senior_manager=1,worker=6")[0] == 0
    with Audit.open(audit_path) as audit:
        assert audit.score() == before
    code, out, _ = run(capsys, "verify", audit_path)
    assert code == 0 and "verified" in out


def test_without_headcounts_the_staff_chooses_the_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.audit"
    staff = "senior_manager=1,supervisor=1,worker=5"
    code, out, _ = run(capsys, "new", path, "--company", "Prairie Plumbing Ltd", "--staff", staff)
    assert code == 0 and "(SECOR, certification)" in out
    with Audit.open(path) as audit:
        assert audit.profile["workers"] == 7


def test_the_parsed_rules_cache_never_hides_a_problem(tmp_path: Path) -> None:
    from auditkit.protocol.cache import cache_dir
    from auditkit.rules.sampling_table import cached_sampling

    first = cached_sampling(BUNDLED.encode(), "sampling.yaml")
    entries = list((cache_dir().parent / "sampling").glob("*.json"))
    assert entries and cached_sampling(BUNDLED.encode(), "sampling.yaml") == first
    for entry in entries:
        entry.write_text("{damaged")
    assert cached_sampling(BUNDLED.encode(), "sampling.yaml") == first  # parsed again
    broken = BUNDLED.replace("{min: 1, max: 4", "{min: 2, max: 4").encode()
    for _ in range(2):  # an invalid table is refused every time: never cached
        with pytest.raises(SamplingInvalid):
            cached_sampling(broken, "sampling.yaml")
