"""Core engine figures (issue 2): recording an answer, ``auditkit score``, ``auditkit --help``.

Each figure is set against a baseline measured in the same run:

* one durable answer through ``Audit.answer`` against a bare ``sqlite3`` INSERT + COMMIT into
  a WAL database with ``synchronous=FULL`` in the same folder (target: at most 3×);
* ``auditkit score`` on 2,000 questions × 30 subjects as a whole process (target: under
  0.5 s), against ``python -c pass``: as usual (the parsed protocol cached under
  ``~/.cache/auditkit`` by an earlier open), and the first time a machine opens an audit of that
  protocol (an empty cache, so the 2,000-question YAML is parsed);
* ``auditkit score`` on the same 2,000 questions rewritten on the second edition's mechanics
  (300 criteria of 3 parts, 300 cascades; issue 11), under 0.5 s too;
* ``auditkit --help`` against ``python -c 'import click'`` (no target is named; shown so a
  slow import is seen).

auditkit's bytecode is compiled before the process figures, as an install does (see
:func:`benchmarks.compile_auditkit`).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from auditkit.audit import Audit
from benchmarks import Row, compile_auditkit, process_time, python, row, synthetic

ANSWERS = 300


def auditkit_command() -> list[str]:
    """The installed ``auditkit`` script run directly (a pyenv shim would add its own cost)."""
    script = Path(sys.executable).parent / "auditkit"
    if script.exists():
        return [sys.executable, str(script)]
    return python("from auditkit.cli import run; run()")


def answer_times(workdir: Path, count: int = ANSWERS) -> tuple[float, float]:
    """Median seconds for one engine answer and for one bare INSERT + COMMIT.

    The two alternate, so both see the same disk at the same moment. The engine writes into
    the large synthetic audit (45,500 answers), the worst case an auditor's file reaches.
    """
    audit = Audit.open(synthetic.large_audit(workdir / "answer.audit"), write=True)
    bare = sqlite3.connect(workdir / "bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute(
        "CREATE TABLE answers (id TEXT PRIMARY KEY, question_id TEXT, subject_id TEXT, "
        "value TEXT, note TEXT, author TEXT, updated_at TEXT)"
    )
    rng = random.Random(7)
    slots = _answer_slots(audit, rng, count)
    engine, floor = [], []
    try:
        for question_id, subject_id, value in slots:
            start = time.perf_counter()
            audit.answer(question_id, value, subject=subject_id or None, note="benchmark")
            engine.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare.execute("BEGIN IMMEDIATE")
            bare.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    str(uuid.uuid4()),
                    question_id,
                    subject_id,
                    value,
                    "benchmark",
                    "bench",
                    "2026-01-01T00:00:00Z",
                ),
            )
            bare.execute("COMMIT")
            floor.append(time.perf_counter() - start)
    finally:
        audit.close()
        bare.close()
    return statistics.median(engine), statistics.median(floor)


def cold_score_time(command: list[str], audit: Path, repeat: int = 7) -> float:
    """Median wall time of ``score`` with an empty protocol cache, i.e. parsing the YAML."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(dir=synthetic.CACHE) as empty:
            env = {**os.environ, "XDG_CACHE_HOME": empty}
            start = time.perf_counter()
            subprocess.run(
                [*command, "score", str(audit)], check=True, env=env, stdout=subprocess.DEVNULL
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def _answer_slots(audit: Audit, rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """``count`` random (question, subject id, value) triples the protocol accepts."""
    by_kind = {
        kind: [s.id for s in audit.subjects(kind)] for kind in ("site", "interviewee", "incident")
    }
    slots = []
    for question in rng.sample(audit.protocol.questions, count):
        subject = rng.choice(by_kind[question.subject]) if question.per_subject else ""
        slots.append((question.id, subject, rng.choice(("yes", "partial", "no"))))
    return slots


def run() -> list[Row]:
    """Measure every core figure; returns the table rows."""
    synthetic.CACHE.mkdir(parents=True, exist_ok=True)
    compile_auditkit()
    with tempfile.TemporaryDirectory(prefix="run-", dir=synthetic.CACHE) as tmp:
        workdir = Path(tmp)
        engine, floor = answer_times(workdir)
        large = synthetic.large_audit(workdir / "score.audit")
        command = auditkit_command()
        score = process_time([*command, "score", str(large)])
        cold_score = cold_score_time(command, large)
        mechanics = synthetic.mechanics_audit(workdir / "mechanics.audit")
        mechanics_score = process_time([*command, "score", str(mechanics)])
        bare_python = process_time(python("pass"))
        help_time = process_time([*command, "--help"])
        import_click = process_time(python("import click"))
    return [
        row(
            "answer: Audit.answer, durable (vs bare sqlite3 INSERT+COMMIT, WAL, sync=FULL)",
            engine * 1000,
            floor * 1000,
            "<= 3x",
            unit="ms",
        ),
        row(
            "auditkit score, 2,000 questions x 30 subjects, whole process (vs python -c pass)",
            score,
            bare_python,
            "< 0.5 s",
        ),
        row(
            "auditkit score, the same, on a machine that has not seen the protocol yet "
            "(empty protocol cache: the YAML is parsed)",
            cold_score,
            bare_python,
            "< 0.5 s",
        ),
        row(
            "auditkit score, 2,000 questions rewritten as 300 criteria of 3 parts and 300 "
            "cascades, x 30 subjects, whole process (vs python -c pass)",
            mechanics_score,
            bare_python,
            "< 0.5 s",
        ),
        row(
            "auditkit --help cold start (vs python -c 'import click')", help_time, import_click, ""
        ),
    ]
