"""Team and trust figures: merge, verify and evidence, each against a baseline of the same run.

* merging ten team files of 1,000 answers each (target < 2 s); baseline: reading every journal
  row of the ten files with bare SQLite;
* verifying a 20,000-entry journal (target < 1 s); baseline: reading its journal rows;
* attaching a 10 MB photo (target < 0.5 s); baseline: a bare SQLite insert of the same bytes
  into a WAL file with ``synchronous=FULL``.

Run ``python -m benchmarks.team`` for this table alone.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from auditkit.audit import Audit
from auditkit.rules.attachments import add_evidence
from auditkit.team.merge import merge
from auditkit.team.verify import verify_file
from benchmarks import Row, median_time, row
from benchmarks.synthetic import large_audit, team_files

PHOTO_BYTES = 10 * 1024 * 1024
REPEAT = 3


def run() -> list[Row]:
    """Every figure of this module."""
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        return [bench_merge(tmp), bench_verify(tmp), bench_evidence(tmp)]


def bench_merge(tmp: Path) -> Row:
    files = team_files(tmp / "team", files=10, answers=1000)
    outputs = iter(tmp / f"merged-{i}.audit" for i in range(REPEAT))
    value = median_time(lambda: merge(next(outputs), files), REPEAT)
    baseline = median_time(lambda: [_read_journal(path) for path in files], REPEAT)
    return row("merge 10 files of 1,000 answers", value, baseline, "< 2 s")


def bench_verify(tmp: Path) -> Row:
    # 2,000 questions x 13 subjects: 500 + 1,500 x 13 answers + 39 subjects ~ 20,000 entries
    path = large_audit(tmp / "large.audit", questions=2000, subjects=13)
    entries = len(_read_journal(path))
    report = verify_file(path)
    if not report.ok:
        raise SystemExit(f"benchmark file fails verification: {report.problems[0]}")
    value = median_time(lambda: verify_file(path), REPEAT)
    baseline = median_time(lambda: _read_journal(path), REPEAT)
    return row(f"verify a {entries:,}-entry journal", value, baseline, "< 1 s")


def bench_evidence(tmp: Path) -> Row:
    audit_path = large_audit(tmp / "evidence.audit", questions=2000, subjects=1)
    photos = []
    for i in range(REPEAT):
        photo = tmp / f"photo-{i}.jpg"
        photo.write_bytes(os.urandom(PHOTO_BYTES))
        photos.append(photo)
    pending = iter(photos)
    with Audit.open(audit_path, write=True) as audit:
        question = next(q.id for q in audit.protocol.questions if not q.per_subject)
        value = median_time(lambda: add_evidence(audit, question, [next(pending)]), REPEAT)
    bare = tmp / "bare.sqlite"
    conn = sqlite3.connect(bare, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, data BLOB)")
    pending = iter(photos)

    def bare_insert() -> None:
        data = next(pending).read_bytes()
        conn.execute("INSERT INTO blobs VALUES (?, ?)", [os.urandom(8).hex(), data])

    baseline = median_time(bare_insert, REPEAT)
    conn.close()
    return row("attach a 10 MB photo", value, baseline, "< 0.5 s")


def _read_journal(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT * FROM journal").fetchall()


if __name__ == "__main__":
    for result in run():
        print(
            f"{result['name']:<40} {result['value']:8.3f} s  baseline "
            f"{result['baseline']:8.3f} s  ratio {result['ratio']:6.1f}  "
            f"target {result['target']}"
        )
