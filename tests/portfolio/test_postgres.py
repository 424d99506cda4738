"""The PostgreSQL target alone: refusals in one line, the schema other tools read, and the
README's read-only role."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from .conftest import new_audit
from .pg_server import PASSWORD, PgServer
from .test_publish_pull import portfolio, run

README = Path(__file__).resolve().parents[2] / "README.md"


def one_line_refusal(code: int, out: str, err: str) -> str:
    assert code == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert PASSWORD not in err  # never the password, not even a wrong one
    return err


def test_an_unreachable_server_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: PgServer
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    url = pg_server.url("firm").replace(f":{pg_server.port}/", ":1/")
    err = one_line_refusal(*run(capsys, "publish", path, "--db", url))
    assert err == (
        "error: postgresql://postgres@127.0.0.1:1/firm: cannot connect (Connection refused)\n"
    )


def test_a_wrong_password_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: PgServer
) -> None:
    url = pg_server.url("postgres", password="not-the-password")
    err = one_line_refusal(*run(capsys, "portfolio", "--db", url))
    assert err.endswith(
        '/postgres: cannot connect (password authentication failed for user "postgres")\n'
    )
    assert "not-the-password" not in err


def test_a_database_that_does_not_exist_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: PgServer
) -> None:
    target = tmp_path / "out.audit"
    err = one_line_refusal(
        *run(capsys, "pull", "Acme Ltd", target, "--db", pg_server.url("nofirm"))
    )
    assert err.endswith('cannot connect (database "nofirm" does not exist)\n')
    assert not target.exists()


BAD_URLS = [
    (
        "mysql://firm@db.example.com/audits",
        "error: mysql://: not a portfolio target; use a folder or a postgresql:// URL\n",
    ),
    ("postgresql://firm@127.0.0.1:notaport/audits", "postgresql://firm@127.0.0.1:notaport/"),
    (
        "postgresql://firm@127.0.0.1/audits?sslmode=sometimes",
        'cannot connect (invalid sslmode value: "sometimes")',
    ),
    (
        "postgresql://firm@127.0.0.1/audits?colour=blue",
        'not a valid PostgreSQL URL (invalid URI query parameter: "colour")',
    ),
]


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
def test_a_bad_url_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str, message: str
) -> None:
    path = new_audit(tmp_path / "acme.audit")
    err = one_line_refusal(*run(capsys, "publish", path, "--db", url))
    assert message in err


def test_without_psycopg_the_error_names_the_extra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    err = one_line_refusal(*run(capsys, "portfolio", "--db", "postgresql://localhost/firm"))
    assert err == (
        "error: a postgresql:// target needs psycopg, which is not installed: "
        "pip install 'auditkit[server]'\n"
    )


def test_the_schema_is_plain_tables_with_foreign_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_url: str
) -> None:
    import psycopg

    path = new_audit(tmp_path / "acme.audit")
    assert run(capsys, "answer", path, "8.O1", "yes", "--subject", "Shop")[0] == 0
    assert run(capsys, "publish", path, "--db", pg_url)[0] == 0
    with psycopg.connect(pg_url) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'auditkit'"
            )
        }
        assert {"audits", "journal", "subjects", "answers", "evidence", "actions", "portfolio",
                "schema_migrations"} <= tables  # fmt: skip
        keys = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.table_constraints "
                "WHERE table_schema = 'auditkit' AND constraint_type = 'FOREIGN KEY'"
            )
        }
        assert {"subjects", "subject_aliases", "answers", "evidence", "actions"} <= keys
        assert [r[0] for r in conn.execute("SELECT name FROM auditkit.schema_migrations")] == [
            "m17_portfolio"
        ]
        answer = conn.execute(
            "SELECT s.label, a.value FROM auditkit.answers a JOIN auditkit.subjects s "
            "USING (audit_id) WHERE s.id = a.subject_id"
        ).fetchall()
        assert answer == [("Shop", "yes")]


def read_only_role_sql() -> list[str]:
    """The README's example, statement by statement."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- read-only role -->")[1].split("```sql")[1].split("```")[0]
    return [s.strip() for s in block.split(";") if s.strip()]


def test_the_readme_read_only_role_reads_and_cannot_publish(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    import psycopg

    path = new_audit(tmp_path / "acme.audit")
    assert run(capsys, "publish", path, "--db", pg_url)[0] == 0
    statements = read_only_role_sql()
    password = re.search(r"PASSWORD '([^']+)'", statements[0])
    assert password is not None
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())
    reader = pg_url.replace(f"postgres:{PASSWORD}@", f"portfolio_reader:{password.group(1)}@")
    assert [r["company"] for r in portfolio(capsys, reader)] == ["Acme Ltd"]
    assert run(capsys, "pull", "Acme Ltd", tmp_path / "copy.audit", "--db", reader)[0] == 0
    other = new_audit(tmp_path / "bow.audit", company="Bow Valley Rentals")
    code, out, err = run(capsys, "publish", other, "--db", reader)
    assert code == 1 and "permission denied" in err and err.count("\n") == 1
    assert [r["company"] for r in portfolio(capsys, reader)] == ["Acme Ltd"]
