"""Two programs writing the same audit file at once: no answer lost, no traceback, and when one
must wait too long, a clear one-line "busy" refusal that changes nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from auditkit.audit import Audit
from auditkit.store.audit_file import Store
from tests.faults.conftest import assert_intact, child_env, recorder, reported

ANSWERS_EACH = 150


def auditkit(*args: object) -> subprocess.CompletedProcess[str]:
    """The real command line, as a separate process."""
    code = "import sys; from auditkit.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=120,
    )


def landed_or_busy(code: int | None, err: str) -> None:
    """Either the writer finished, or it was refused with one clear line saying "busy"."""
    assert "Traceback" not in err
    if code != 0:
        assert code == 1
        assert len(err.splitlines()) == 1 and err.startswith("error: ") and "busy" in err


def test_two_engine_writers_at_once_lose_nothing(field_audit: Path) -> None:
    # Each writer has its own subjects, so every answer it reports must still be there.
    first = recorder(field_audit, 0, ANSWERS_EACH, subjects="Yard,SM-1,S-1,INC-1")
    second = recorder(field_audit, 100_000, ANSWERS_EACH, subjects="Shop,M-1,W-1,S-2,INC-2")
    saved = []
    for child in (first, second):
        out, err = child.communicate(timeout=120)
        landed_or_busy(child.returncode, err)
        saved += reported(out)
    assert len(saved) > ANSWERS_EACH  # both wrote; the busy refusal is the exception
    assert_intact(field_audit, saved)


def test_two_command_lines_answering_at_once(field_audit: Path) -> None:
    jobs = {"Yard": ["5.O1", "8.O1"] * 2, "Shop": ["8.O1", "5.O1"] * 2}

    def answer_all(site: str) -> list[tuple[str, str, subprocess.CompletedProcess[str]]]:
        results = []
        for number, question in enumerate(jobs[site]):
            value = ("yes", "no", "partial")[number % 3]
            results.append(
                (
                    question,
                    value,
                    auditkit(
                        "answer",
                        field_audit,
                        question,
                        value,
                        "--subject",
                        site,
                        "--note",
                        f"{site} {number}",
                    ),
                )
            )
        return results

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(jobs, pool.map(answer_all, jobs), strict=True))
    expected = {}
    for site, results in runs.items():
        for question, value, done in results:
            landed_or_busy(done.returncode, done.stderr)
            if done.returncode == 0:
                assert done.stdout == f"saved {question} for {site}: {value}\n"
                expected[(question, site)] = value
    with Audit.open(field_audit) as audit:
        labels = {s.id: s.label for s in audit.subjects()}
        held = {(a.question_id, labels[a.subject_id]): a.value for a in audit.answers()}
    assert held == expected
    assert_intact(field_audit, [])


def test_a_writer_held_off_too_long_is_told_the_file_is_busy(field_audit: Path) -> None:
    with Store.open(field_audit) as store:
        before = store.dump()
    blocker = sqlite3.connect(field_audit, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        refused = auditkit("answer", field_audit, "1.D1", "7")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"error: {field_audit}: busy, another program is writing to it; try again\n"
    )
    with Store.open(field_audit) as store:
        assert store.dump() == before
    # Once the other program lets go, the same command goes through.
    again = auditkit("answer", field_audit, "1.D1", "7")
    assert (again.returncode, again.stdout) == (0, "saved 1.D1: 7\n")
