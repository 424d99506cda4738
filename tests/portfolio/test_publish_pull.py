"""publish, pull and portfolio, each run against a folder of audit files and a PostgreSQL
server (the ``target`` fixture): what a user sees, and what the pulled file holds."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from auditkit.cli import main
from tests.team.conftest import CONTENT_TABLES as TEAM_CONTENT_TABLES

from .conftest import copy, edit, new_audit

# The team tests' content tables, and the protocol copy a pulled file must carry too.
CONTENT_TABLES = (*TEAM_CONTENT_TABLES, "protocol_files")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def content(path: Path, tables: tuple[str, ...] = CONTENT_TABLES) -> dict[str, list[Any]]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def team(tmp_path: Path) -> list[Path]:
    """The lead's file and two auditors' copies, edited apart: one conflicting answer, one
    interviewee code chosen by both, a site answer and notes."""
    lead = new_audit(tmp_path / "lead.audit")
    pat, sam = copy(lead, tmp_path / "pat.audit"), copy(lead, tmp_path / "sam.audit")
    with edit(pat, "pat") as audit:
        audit.answer("5.D1", "yes", note="Hazard assessments signed by the crew lead")
        audit.add_subject("interviewee", "W1", role="supervisor")
        audit.answer("1.I1", "yes", subject="W1")
    with edit(sam, "sam") as audit:
        audit.answer("5.D1", "partial", note="Two of five assessments unsigned")
        audit.add_subject("interviewee", "W1", role="supervisor")
        audit.answer("8.O1", "yes", subject="Shop", note="Eyewash station tagged and in date")
    return [lead, pat, sam]


def portfolio(capsys: pytest.CaptureFixture[str], target: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "portfolio", "--db", target, "--json")
    assert code == 0, err
    return list(json.loads(out))


def test_publishing_twice_adds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    files = team(tmp_path)
    code, out, err = run(capsys, "publish", *files, "--db", target)
    assert code == 0, err
    published = [line for line in out.splitlines() if line.startswith("published ")]
    assert published[0].startswith(f"published {files[0]} (Acme Ltd) to ")
    assert len(published) == 3 and all(" new journal entr" in line for line in published)
    before = portfolio(capsys, target)

    code, out, err = run(capsys, "publish", *files, "--db", target)
    assert code == 0, err
    assert [line.split(":")[0] for line in out.splitlines()] == [str(f) for f in files]
    assert all("nothing new" in line for line in out.splitlines())
    assert portfolio(capsys, target) == before


def test_pull_is_the_merge_of_the_published_copies_and_verifies(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    lead, pat, sam = team(tmp_path)
    for path in (lead, pat, sam):  # one at a time: each publish merges into what is there
        assert run(capsys, "publish", path, "--db", target)[0] == 0

    pulled = tmp_path / "pulled.audit"
    code, out, err = run(capsys, "pull", "Acme Ltd", pulled, "--db", target)
    assert code == 0, err
    assert out.startswith("pulled Acme Ltd (")
    assert "relabelled interviewee 'W1' added by " in out
    assert "1 conflict(s): the later change was kept" in out

    merged = tmp_path / "merged.audit"
    assert run(capsys, "merge", merged, lead, pat, sam)[0] == 0
    assert content(pulled) == content(merged)
    code, out, _ = run(capsys, "verify", pulled)
    assert code == 0 and "verified" in out


def test_a_colleagues_changes_come_back_with_a_pull(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    lead, pat, sam = team(tmp_path)
    assert run(capsys, "publish", pat, "--db", target)[0] == 0
    pulled = tmp_path / "pat-pulled.audit"
    assert run(capsys, "pull", "Acme Ltd", pulled, "--db", target)[0] == 0
    assert run(capsys, "publish", sam, "--db", target)[0] == 0
    again = tmp_path / "pat-again.audit"
    assert run(capsys, "pull", "acme ltd", again, "--db", target)[0] == 0
    _, first, _ = run(capsys, "score", pulled, "--json")
    _, second, _ = run(capsys, "score", again, "--json")
    assert json.loads(first)["answered"] < json.loads(second)["answered"]
    code, out, _ = run(capsys, "log", again, "--question", "8.O1")
    assert code == 0 and "sam" in out


def test_portfolio_rows_carry_score_pass_dates_and_the_next_audit_due(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = new_audit(tmp_path / "acme.audit", start_date="2025-03-03", end_date="2025-03-07")
    with edit(path, "lead") as audit:
        audit.answer("5.D1", "yes")
        audit.answer("8.D1", "no")
    assert run(capsys, "publish", path, "--db", target)[0] == 0
    _, scored, _ = run(capsys, "score", path, "--json")
    score = json.loads(scored)

    [row] = portfolio(capsys, target)
    assert row["company"] == "Acme Ltd" and row["protocol"] == "mini"
    assert row["purpose"] == "certification" and row["auditor"] == "Lead"
    assert (row["start_date"], row["end_date"]) == ("2025-03-03", "2025-03-07")
    assert row["percent"] == pytest.approx(score["overall"]["percent"])
    assert row["passed"] is score["pass"]["passed"] is False
    assert row["finalized"] is False
    assert (row["open_actions"], row["overdue_actions"]) == (0, 0)
    assert row["next_audit_due"] == "2026-03-07"  # the first maintenance audit, a year on

    code, out, _ = run(capsys, "portfolio", "--db", target)
    assert code == 0
    assert out.splitlines()[1].split() == [
        "Acme", "Ltd", "certification", "2025-03-03..2025-03-07", "Lead", "66.7", "%",
        "draft", "0", "open", "2026-03-07",
    ]  # fmt: skip


def test_the_next_audit_follows_the_three_year_cycle(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    cycle = [
        ("certification", "2024-05-10"),
        ("maintenance", "2025-05-12"),
        ("maintenance", "2026-05-14"),
    ]
    paths = [
        new_audit(
            tmp_path / f"{n}.audit",
            purpose=purpose,
            start_date=day,
            end_date=day,
        )  # fmt: skip
        for n, (purpose, day) in enumerate(cycle)
    ]
    paths.append(
        new_audit(tmp_path / "other.audit", company="Bow Valley Rentals", end_date="2024-02-29")
    )
    assert run(capsys, "publish", *paths, "--db", target)[0] == 0
    due = {
        (r["company"], r["purpose"], r["end_date"]): r["next_audit_due"]
        for r in portfolio(capsys, target)
    }
    assert due == {
        ("Acme Ltd", "certification", "2024-05-10"): "2025-05-10",
        ("Acme Ltd", "maintenance", "2025-05-12"): "2026-05-10",
        ("Acme Ltd", "maintenance", "2026-05-14"): "2027-05-10",  # recertification
        ("Bow Valley Rentals", "certification", "2024-02-29"): "2025-02-28",
    }


def add_action_plan(path: Path) -> None:
    """The action plan as auditkit keeps it (issue 13): one action per SFI."""
    from auditkit.audit import Audit
    from auditkit.rules.actions import set_action
    from auditkit.rules.findings import set_finding

    plan = [
        ("5.D1", "high", "Sign every field-level hazard assessment before work starts",
         "Site supervisor", "2020-01-31", "open"),
        ("8.D1", "medium", "Run the annual evacuation drill", "H&S coordinator", "2999-06-30",
         "in-progress"),
        ("1.D1", "low", "Post the signed policy in the shop", "Owner", "2020-01-31", "done"),
    ]  # fmt: skip
    with Audit.open(path, write=True) as audit:
        for item, priority, sfi, owner, due, status in plan:
            set_finding(audit, item, sfi=sfi, priority=priority)
            set_action(audit, item, owner=owner, due=due, status=status)


def test_open_and_overdue_actions_are_counted_where_the_file_has_an_action_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    add_action_plan(path)
    plain = new_audit(tmp_path / "bow.audit", company="Bow Valley Rentals")
    assert run(capsys, "publish", path, plain, "--db", target)[0] == 0
    counts = {
        r["company"]: (r["open_actions"], r["overdue_actions"]) for r in portfolio(capsys, target)
    }
    assert counts == {"Acme Ltd": (2, 1), "Bow Valley Rentals": (0, 0)}
    pulled = tmp_path / "pulled.audit"
    assert run(capsys, "pull", "Acme Ltd", pulled, "--db", target)[0] == 0
    assert content(pulled, ("actions",)) == content(path, ("actions",))


def test_pull_refuses_a_company_name_two_audits_share(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    first = new_audit(tmp_path / "2024.audit", start_date="2024-04-02")
    second = new_audit(tmp_path / "2025.audit", start_date="2025-04-07")
    assert run(capsys, "publish", first, second, "--db", target)[0] == 0
    out_file = tmp_path / "out" / "acme.audit"
    out_file.parent.mkdir()
    code, out, err = run(capsys, "pull", "Acme Ltd", out_file, "--db", target)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1
    assert "'Acme Ltd' names 2 different audits; give the audit id" in err
    assert "started 2024-04-02" in err and "started 2025-04-07" in err
    assert list(out_file.parent.iterdir()) == []

    [audit_id] = [
        r["audit_id"] for r in portfolio(capsys, target) if r["start_date"] == "2025-04-07"
    ]
    assert run(capsys, "pull", audit_id, out_file, "--db", target)[0] == 0
    assert content(out_file, ("audit",)) == content(second, ("audit",))


def test_pull_refuses_an_unknown_audit_and_an_existing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    assert run(capsys, "publish", path, "--db", target)[0] == 0
    code, _, err = run(capsys, "pull", "Nobody Inc", tmp_path / "x.audit", "--db", target)
    assert code == 1 and "no published audit 'Nobody Inc'" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.audit").exists()
    before = content(path)
    code, _, err = run(capsys, "pull", "Acme Ltd", path, "--db", target)
    assert code == 1 and err == f"error: {path}: already exists; pull into a new file\n"
    assert content(path) == before


def test_publish_refuses_a_file_that_is_not_an_audit_and_sends_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    good = new_audit(tmp_path / "acme.audit")
    junk = tmp_path / "notes.audit"
    junk.write_text("site walk notes, not an audit\n")
    code, out, err = run(capsys, "publish", good, junk, "--db", target)
    assert code == 1 and out == ""
    assert err == f"error: {junk}: not an auditkit audit (not an SQLite database)\n"
    if "://" not in target:
        assert not Path(target).exists()  # nothing written, not even the folder
    assert portfolio(capsys, target) == []


def test_publish_refuses_a_file_changed_outside_auditkit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    with edit(path, "lead") as audit:
        audit.answer("5.D1", "no")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE answers SET value = 'yes' WHERE question_id = '5.D1'")
    conn.close()
    code, _, err = run(capsys, "publish", path, "--db", target)
    assert code == 1 and "fails verification" in err and len(err.splitlines()) == 1
    assert portfolio(capsys, target) == []


def test_evidence_travels_with_the_audit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    photo = tmp_path / "eyewash.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 eyewash station tag, inspected 2025-03-04")
    assert run(capsys, "evidence", "add", path, "8.O1", photo, "--subject", "Shop")[0] == 0
    assert run(capsys, "publish", path, "--db", target)[0] == 0
    pulled = tmp_path / "pulled.audit"
    assert run(capsys, "pull", "Acme Ltd", pulled, "--db", target)[0] == 0
    assert content(pulled, ("evidence", "evidence_blobs")) == content(
        path, ("evidence", "evidence_blobs")
    )


def test_the_target_defaults_to_auditkit_db(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    target: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUDITKIT_DB", target)
    path = new_audit(tmp_path / "acme.audit")
    assert run(capsys, "publish", path)[0] == 0
    assert [r["company"] for r in portfolio(capsys, target)] == ["Acme Ltd"]
    monkeypatch.delenv("AUDITKIT_DB")
    code, _, err = run(capsys, "portfolio")
    assert code == 2 and err.startswith("error: no portfolio: give --db TARGET or set AUDITKIT_DB")


def test_an_empty_portfolio_says_so(capsys: pytest.CaptureFixture[str], target: str) -> None:
    code, out, _ = run(capsys, "portfolio", "--db", target)
    assert code == 0 and out.endswith(": no audit published yet (auditkit publish FILE --db …)\n")
    assert date.today()  # the listing needs no audit to compute dates


def test_a_merged_file_and_its_inputs_are_the_same_entries(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    lead, pat, sam = team(tmp_path)
    merged = tmp_path / "merged.audit"
    assert run(capsys, "merge", merged, lead, pat, sam)[0] == 0
    assert run(capsys, "publish", merged, "--db", target)[0] == 0
    code, out, err = run(capsys, "publish", pat, sam, "--db", target)
    assert code == 0, err
    assert [line.split(": ")[1].split(";")[0] for line in out.splitlines()] == ["nothing new"] * 2
    pulled = tmp_path / "pulled.audit"
    assert run(capsys, "pull", "Acme Ltd", pulled, "--db", target)[0] == 0
    assert content(pulled) == content(merged)


def test_notes_with_tabs_newlines_and_backslashes_come_back_intact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    note = "Line 1: guard missing\n\tLine 2: see C:\\Safety\\grinder.jpg\r\nand \\N is not null"
    with edit(path, "lead") as audit:
        audit.answer("8.O1", "no", subject="Shop", note=note)
        audit.add_subject("incident", "INC\t7", fields={"description": "Cut\nhand\\glove"})
    assert run(capsys, "publish", path, "--db", target)[0] == 0
    pulled = tmp_path / "pulled.audit"
    assert run(capsys, "pull", "Acme Ltd", pulled, "--db", target)[0] == 0
    assert content(pulled) == content(path)
    assert run(capsys, "verify", pulled)[0] == 0


def test_a_folder_target_skips_files_that_are_not_audits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "firm"
    assert run(capsys, "publish", new_audit(tmp_path / "acme.audit"), "--db", folder)[0] == 0
    (folder / "stray.audit").write_text("not an audit")
    assert [r["company"] for r in portfolio(capsys, str(folder))] == ["Acme Ltd"]
    audit_file = tmp_path / "acme.audit"
    code, _, err = run(capsys, "portfolio", "--db", audit_file)
    assert code == 1
    assert err == f"error: {audit_file}: not a folder (a portfolio is a folder of audits)\n"


def test_two_people_publishing_at_once_lose_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    import subprocess
    import sys

    lead, pat, sam = team(tmp_path)
    code = "import sys; from auditkit.cli import main; sys.exit(main(sys.argv[1:]))"
    both = [
        subprocess.Popen(
            [sys.executable, "-c", code, "publish", str(path), "--db", target],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (pat, sam)
    ]
    for process in both:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert out.startswith("published ")
    pulled, merged = tmp_path / "pulled.audit", tmp_path / "merged.audit"
    assert run(capsys, "pull", "Acme Ltd", pulled, "--db", target)[0] == 0
    assert run(capsys, "merge", merged, pat, sam)[0] == 0
    assert content(pulled, ("answers", "subjects", "journal")) == content(
        merged, ("answers", "subjects", "journal")
    )
