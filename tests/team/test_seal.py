"""Finding 6 of issue 16: rolling back the end of the journal (the last entries and the
finalize mark deleted together) leaves a chain that verifies; the seal catches it.

``finalize`` prints the seal, the report and the JSON export carry it, and ``verify --seal``
checks a file against it."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.team.conftest import complete, edit, run

HASH = re.compile(r"[0-9a-f]{64}")


def roll_back(path: Path, entries: int) -> None:
    """What an attacker with sqlite3 does: drop the last entries and undo what they did."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "DELETE FROM journal WHERE seq IN (SELECT seq FROM journal ORDER BY seq DESC LIMIT ?)",
            [entries],
        )
        conn.execute("UPDATE audit SET finalized_at = NULL")
        conn.commit()


def test_finalize_prints_the_seal_the_report_and_json_carry_it_and_verify_checks_it(
    lead: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with edit(lead, "pat") as audit:
        complete(audit)
    code, out, err = run(capsys, "finalize", lead)
    assert code == 0, err
    seal = HASH.search(out.splitlines()[-1])
    assert seal is not None and out.splitlines()[-1].startswith("seal: ")
    sealed = seal.group()
    md, data = lead.with_suffix(".md"), lead.with_suffix(".json")
    assert run(capsys, "export", lead, "--format", "md", "-o", md)[0] == 0
    assert run(capsys, "export", lead, "--format", "json", "-o", data)[0] == 0
    assert f"| Seal | {sealed} " in md.read_text()
    assert json.loads(data.read_text())["seal"] == {"finalized": sealed, "head": sealed}
    code, out, err = run(capsys, "verify", lead, "--seal", sealed)
    assert code == 0, err
    assert "seal" in out and "nothing changed after it" in out

    roll_back(lead, 1)  # the finalize mark: the chain that is left still verifies
    code, out, err = run(capsys, "verify", lead)
    assert code == 0
    code, out, err = run(capsys, "verify", lead, "--seal", sealed)
    assert code == 1
    assert "no journal entry has this hash" in err and "rolled back" in err


def test_a_seal_with_amendments_after_it_is_reported_not_refused(
    lead: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with edit(lead, "pat") as audit:
        complete(audit)
    out = run(capsys, "finalize", lead)[1]
    sealed = out.split("seal: ")[1].split()[0]
    code, _, err = run(capsys, "answer", lead, "1.D1", "3", "--reason", "corrected on review")
    assert code == 0, err
    code, out, _ = run(capsys, "verify", lead, "--seal", sealed)
    assert code == 0 and "1 change(s) recorded after it" in out
    code, _, err = run(capsys, "verify", lead, "--seal", "abc")
    assert code == 1 and "not a SHA-256" in err
