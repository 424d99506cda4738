"""Interview and site-visit sampling: the bundled table, its validation, and audit progress."""

from __future__ import annotations

import json
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
        (499, 58),
        (500, 59),
        (549, 63),
        (550, 64),
        (5000, 64),
    ],
)
def test_interviews_required_by_workforce_size(workers: int, total: int) -> None:
    plan = required_interviews(workers)
    assert plan.total == total
    assert sum(plan.by_role.values()) == total


def test_small_workforces_are_all_interviewed() -> None:
    assert required_interviews(1).everyone and required_interviews(4).everyone
    assert not required_interviews(5).everyone
    assert required_interviews(0).total == 0


def test_the_split_by_role() -> None:
    assert required_interviews(50).by_role == {
        "senior_manager": 1,
        "manager": 3,
        "supervisor": 4,
        "worker": 11,
    }
    assert required_interviews(500).by_role == {
        "senior_manager": 1,
        "manager": 9,
        "supervisor": 14,
        "worker": 35,
    }
    # Four interviews: one per level, the minimums taken from the workers' share.
    assert required_interviews(5).by_role == {
        "senior_manager": 1,
        "manager": 1,
        "supervisor": 1,
        "worker": 1,
    }
    # One person: the owner, as the senior manager.
    assert required_interviews(1).by_role == {
        "senior_manager": 1,
        "manager": 0,
        "supervisor": 0,
        "worker": 0,
    }
    assert required_interviews(50).questionnaires_max == 5


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
        (30, 10),
        (31, 11),
    ],
)
def test_site_visits_required(sites: int, required: int) -> None:
    assert required_sites(sites) == required


def refused(text: str) -> list[str]:
    with pytest.raises(SamplingInvalid) as caught:
        parse_sampling(text.encode(), "sampling.yaml")
    return [str(p) for p in caught.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_gap_in_the_rows_names_its_line() -> None:
    text = BUNDLED.replace("{min: 6, max: 7, required: 5}", "{min: 7, max: 7, required: 5}")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 7, max: 7')}: interviews row 3: starts at 7, "
        f"expected 6 (rows must be contiguous and ascending from 1)"
    ]


def test_the_last_row_must_be_open_ended() -> None:
    text = BUNDLED.replace("{min: 550, required: 64}", "{min: 550, max: 600, required: 64}")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 550')}: interviews row 62: the last row must "
        f"leave out 'max' so that every size has a row"
    ]


def test_rows_must_start_at_one_and_counts_never_fall() -> None:
    text = BUNDLED.replace("{min: 1, max: 4, required: all}", "{min: 2, max: 4, required: all}")
    assert "starts at 2, expected 1" in refused(text)[0]
    text = BUNDLED.replace("{min: 50, max: 64, required: 19}", "{min: 50, max: 64, required: 17}")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 50, max: 64')}: interviews row 17: requires 17 "
        f"at 50, fewer than the 18 of the row before; the count must not fall as the size "
        f"grows"
    ]


def test_role_shares_must_add_up_to_one() -> None:
    text = BUNDLED.replace("worker: {share: 0.60, min: 1}", "worker: {share: 0.50, min: 1}")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, 'roles:')}: roles: the shares add up to 0.9, not 1"
    ]
    text = BUNDLED.replace("manager: {share: 0.15", "foreman: {share: 0.15")
    assert "roles: unknown role 'foreman'" in refused(text)[0]


def test_a_site_row_gives_a_count_or_a_percentage() -> None:
    text = BUNDLED.replace("{min: 9, percent: 33}", "{min: 9, percent: 33, required: 3}")
    assert refused(text) == [
        f"sampling.yaml:{line_of(text, '{min: 9, percent')}: sites row 4: give exactly one of "
        f"'required' (a number or all) or 'percent'"
    ]


def test_every_problem_is_reported_in_one_run() -> None:
    text = (
        BUNDLED.replace("{min: 6, max: 7, required: 5}", "{min: 7, max: 7, required: 5}")
        .replace("worker: {share: 0.60", "worker: {share: 0.50")
        .replace("sites:", "site:")
    )
    assert refused(text) == [
        "sampling.yaml:1: missing 'sites'",
        f"sampling.yaml:{line_of(text, '{min: 7, max: 7')}: interviews row 3: starts at 7, "
        f"expected 6 (rows must be contiguous and ascending from 1)",
        f"sampling.yaml:{line_of(text, 'roles:')}: roles: the shares add up to 0.9, not 1",
        f"sampling.yaml:{line_of(text, 'site:')}: unknown key 'site'",
    ]


def test_yaml_errors_name_the_line() -> None:
    assert refused("interviews: [\n")[0].startswith("sampling.yaml:2: YAML syntax error")


# -- an audit's progress -----------------------------------------------------------------------


def test_progress_counts_interviewees_and_sites_with_an_answer(audit: Audit) -> None:
    audit.update_profile(workers=50)
    audit.add_subject("interviewee", "S-01", role="supervisor")
    audit.add_subject("interviewee", "W-01", role="worker")
    audit.answer("5.I1", "yes", subject="S-01")
    audit.answer("8.O1", "no", subject="Yard")
    progress = sample_progress(audit)
    assert progress.workers == 50 and progress.interviews_required == 19
    roles = {r.role: (r.required, r.added, r.done) for r in progress.roles}
    assert roles == {
        "senior_manager": (1, 0, 0),
        "manager": (3, 0, 0),
        "supervisor": (4, 1, 1),
        "worker": (11, 1, 0),
    }
    assert progress.interviews_done == 1 and not progress.interviews_met
    assert progress.sites_required == 2
    assert (progress.sites_visited, progress.sites_pending) == (("Yard",), ("Shop",))
    assert not progress.sites_met


def test_a_note_alone_is_not_a_visit(audit: Audit) -> None:
    audit.set_note("8.O1", "gate locked", subject="Shop")
    assert sample_progress(audit).sites_visited == ()


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
        f"  Record it with: auditkit profile {audit_path} --workers N",
    ]
    code, out, _ = run(capsys, "sample", audit_path, "--json")
    data = json.loads(out)
    assert data["workers"] is None and data["interviews"]["required"] is None


def test_sample_command(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "profile", audit_path, "--workers", "12")[0] == 0
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
        "Acme Ltd (COR): workforce 12 (largest monthly headcount)",
        "Interviews: 1 of 9 done",
        "  senior manager   0 of 1",
        "  manager          0 of 1",
        "  supervisor       0 of 2",
        "  worker           1 of 5",
        "  Written questionnaires may replace at most 2 of the worker interviews, never the "
        "others.",
        "Site visits: 0 of 2 required done (2 site(s) in scope)",
        "  not yet: Yard; Shop",
    ]
    data = json.loads(run(capsys, "sample", audit_path, "--json")[1])
    assert data["interviews"]["roles"][3] == {
        "role": "worker",
        "required": 5,
        "added": 1,
        "done": 1,
    }
    assert data["sites"] == {
        "in_scope": 2,
        "required": 2,
        "visited": [],
        "pending": ["Yard", "Shop"],
        "met": False,
    }


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
