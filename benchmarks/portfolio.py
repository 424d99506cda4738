"""Portfolio figures against a local PostgreSQL server started for the run, each against a
baseline of the same run.

* publishing the 45,500-answer audit to an empty portfolio (target < 5 s); baseline: reading
  its journal rows with bare SQLite;
* publishing it again, nothing new (target < 1 s); same baseline;
* pulling one audit from ten published copies of 1,000 answers (target < 3 s); baseline:
  ``merge`` of the same ten files on this machine;
* ``portfolio`` over 500 audits (target < 1 s); baseline: a bare ``SELECT *`` of the audits
  table. Ten audits are published for real; the other 490 are their rows copied in SQL under
  new ids, companies and dates, each with an action plan, so the view does its full work.

Needs the PostgreSQL server programs (Debian's ``postgresql``) and psycopg; without them the
rows say so. Run ``python -m benchmarks portfolio`` for this table alone.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from pathlib import Path

from auditkit.portfolio.pull import pull
from auditkit.portfolio.server import PostgresTarget
from auditkit.portfolio.target import LocalCopy
from auditkit.team.merge import merge
from benchmarks import Row, median_time, row
from benchmarks.synthetic import large_audit, team_files

REPEAT = 3
AUDITS = 500


def run() -> list[Row]:
    """Every figure of this module."""
    from tests.portfolio.pg_server import PgServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server programs (/usr/lib/postgresql/*/bin)")
    server = PgServer(bin_dir).start()
    databases = itertools.count(1)

    def fresh() -> str:
        name = f"bench_{next(databases)}"
        server.admin(f"CREATE DATABASE {name}")
        return server.url(name)

    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            return [
                *bench_publish(tmp, fresh),
                bench_pull(tmp, fresh()),
                bench_portfolio(tmp, fresh()),
            ]
    finally:
        server.stop()


def publish(url: str, path: Path) -> int:
    target = PostgresTarget(url)
    copy = LocalCopy.read(path)
    try:
        return target.publish(copy).added
    finally:
        copy.close()
        target.close()


def bench_publish(tmp: Path, fresh: object) -> list[Row]:
    path = large_audit(tmp / "large.audit")
    urls = [fresh() for _ in range(REPEAT)]  # type: ignore[operator]
    pending = iter(urls)
    first = median_time(lambda: publish(next(pending), path), REPEAT)
    added = publish(urls[0], path)
    if added:
        raise SystemExit(f"a second publish added {added} entries")
    again = median_time(lambda: publish(urls[0], path), REPEAT)
    baseline = median_time(lambda: _read_journal(path), REPEAT)
    answers = _count(path, "answers")
    return [
        row(f"publish a {answers:,}-answer audit to PostgreSQL", first, baseline, "< 5 s"),
        row("publish it again (nothing new)", again, baseline, "< 1 s"),
    ]


def bench_pull(tmp: Path, url: str) -> Row:
    files = team_files(tmp / "team", files=10, answers=1000)
    for path in files:
        publish(url, path)
    company = _company(files[0])
    outputs = iter(tmp / f"pulled-{i}.audit" for i in range(REPEAT))
    target = PostgresTarget(url)
    try:
        value = median_time(lambda: pull(target, company, next(outputs)), REPEAT)
    finally:
        target.close()
    merged = iter(tmp / f"merged-{i}.audit" for i in range(REPEAT))
    baseline = median_time(lambda: merge(next(merged), files), REPEAT)
    return row(
        "pull 10 published copies of 1,000 answers (baseline: merge)", value, baseline, "< 3 s"
    )


def bench_portfolio(tmp: Path, url: str) -> Row:
    import psycopg

    from auditkit.audit import Audit, Profile
    from tests.portfolio.conftest import MINI

    purposes = ("certification", "maintenance", "maintenance", "recertification")
    for n in range(10):
        path = tmp / f"firm-{n}.audit"
        day = f"20{20 + n % 6}-0{1 + n % 9}-1{n % 10}"
        Audit.create(
            path,
            Profile(
                company=f"Employer {n}",
                protocol=str(MINI),
                purpose=purposes[n % 4],
                start_date=day,
                end_date=day,
                auditors=("Dana Whitford",),
            ),
        ).close()
        publish(url, path)
    copies = AUDITS // 10 - 1
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO auditkit.audits SELECT a.audit_id || '-' || g, a.company || ' ' || g, "
            "a.certificate, a.protocol_id, a.protocol_version, a.protocol_sha256, a.purpose, "
            "a.wcb_account, a.industry_code, a.workers, a.start_date + g * 7, "
            "a.end_date + g * 7, a.auditors, a.auditor, a.finalized_at, a.answered, a.questions, "
            "a.percent, a.passed, a.profile, a.entries, a.published_at, a.base_entries, "
            "a.base_head, a.base_schema FROM auditkit.audits a, generate_series(1, %s) g",
            [copies],
        )
        conn.execute(
            "INSERT INTO auditkit.actions SELECT a.audit_id, 'act-' || n, '5.D1', "
            "'hazard_assessment', 'medium', 'Sign every field-level hazard assessment', "
            "'Site supervisor', current_date + (n * 20 - 50), "
            "(ARRAY['open', 'in-progress', 'done'])[1 + n % 3] "
            "FROM auditkit.audits a, generate_series(1, 5) n"
        )
        count = conn.execute("SELECT count(*) FROM auditkit.portfolio").fetchone()
    if not count or count[0] != AUDITS:
        raise SystemExit(f"expected {AUDITS} audits, found {count}")
    target = PostgresTarget(url)
    try:
        value = median_time(target.rows, REPEAT)
    finally:
        target.close()
    with psycopg.connect(url) as conn:
        baseline = median_time(
            lambda: conn.execute("SELECT * FROM auditkit.audits").fetchall(), REPEAT
        )
    return row(f"portfolio over {AUDITS} audits", value, baseline, "< 1 s")


def _read_journal(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT * FROM journal").fetchall()


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _company(path: Path) -> str:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return str(conn.execute("SELECT company FROM audit").fetchone()[0])


if __name__ == "__main__":
    for result in run():
        print(
            f"{result['name']:<60} {result['value']:8.3f} s  baseline "
            f"{result['baseline']:8.3f} s  ratio {result['ratio']:6.1f}  "
            f"target {result['target']}"
        )
