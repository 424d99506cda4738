"""The firm's PostgreSQL hub: connecting, the schema's migrations, and every write a publish makes.

psycopg 3 is an optional dependency (``pip install 'auditkit[server]'``), imported only when a
``postgresql://`` target is used. Every failure becomes one line naming the server by its URL
with the password removed. Writes happen inside :meth:`PgStore.publishing`: one transaction
per audit, holding a lock on that audit so two people publishing it at once are serialised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from auditkit.errors import AuditkitError
from auditkit.store.journal import Entry
from auditkit.store.postgres_schema import MIGRATIONS

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = 10
INSTALL_HINT = "pip install 'auditkit[server]'"
JOURNAL_COLUMNS = (
    "id",
    "at",
    "author",
    "action",
    "entity",
    "key",
    "before",
    "after",
    "prev",
    "hash",
    "supersedes",
    "reason",
)
# The replayed tables, in the order their foreign keys need them filled.
STATE_TABLES = {
    "subjects": ("id", "kind", "label", "role", "site_id", "fields", "author", "created_at"),
    "subject_aliases": ("alias", "subject_id"),
    "answers": ("id", "question_id", "subject_id", "value", "note", "author", "updated_at"),
    "evidence": (
        "id",
        "question_id",
        "subject_id",
        "sha256",
        "filename",
        "caption",
        "author",
        "added_at",
    ),
    "recommendations": ("id", "course_id", "status", "text", "author", "created_at", "updated_at"),
}
ACTION_COLUMNS = ("id", "item", "element", "priority", "text", "owner", "due", "status")
AUDIT_COLUMNS = (
    "audit_id",
    "company",
    "certificate",
    "protocol_id",
    "protocol_version",
    "protocol_sha256",
    "purpose",
    "wcb_account",
    "industry_code",
    "workers",
    "start_date",
    "end_date",
    "auditors",
    "auditor",
    "finalized_at",
    "answered",
    "questions",
    "percent",
    "passed",
    "profile",
    "entries",
    "base_entries",
    "base_head",
    "base_schema",
)
PORTFOLIO_COLUMNS = (
    "audit_id",
    "company",
    "protocol",
    "purpose",
    "start_date",
    "end_date",
    "auditor",
    "finalized",
    "percent",
    "passed",
    "answered",
    "questions",
    "open_actions",
    "overdue_actions",
    "next_audit_due",
)
_LOCK_MIGRATIONS = 0x617564_69746B  # any constant: one migrator at a time


def redact(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        user = f"{parts.username}@" if parts.username else ""
        return urlunsplit(parts._replace(netloc=f"{user}{host}"))
    except ValueError:
        return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1@", url)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise AuditkitError(
            f"a postgresql:// target needs psycopg, which is not installed: {INSTALL_HINT}"
        ) from None
    return psycopg


def _reason(exc: Exception) -> str:
    """The useful words of a libpq message, on one line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    # "connection failed: connection to server at "h", port 5 failed: FATAL:  why" -> why
    text = text.rsplit(" failed: ", 1)[-1]
    text = re.sub(r"^connection is bad:\s+", "", text)
    return re.sub(r"^(FATAL|ERROR):\s+", "", text).strip()


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows in COPY's text format: one buffer for the server instead of a call per row
    (publishing 45,500 answers spent a second in psycopg's per-row writer)."""
    lines = []
    for row in rows:
        cells = []
        for value in row:
            if value is None:
                cells.append("\\N")
            elif isinstance(value, bool):
                cells.append("t" if value else "f")
            else:
                text = value if type(value) is str else str(value)
                # most values need no escape, and four scans are cheaper than a translate
                if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
                    text = text.translate(_ESCAPES)
                cells.append(text)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n" if lines else ""


def day(value: Any) -> date | None:
    """An ISO date from an audit file's text, or None when it is empty or not a date."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


class PgStore:
    """One connection to the portfolio database. Use :meth:`connect`, and close it."""

    def __init__(self, url: str, conn: psycopg.Connection[Any]) -> None:
        self.url = url
        self.name = redact(url)
        self.conn = conn

    @classmethod
    def connect(cls, url: str) -> PgStore:
        """Connect, or refuse in one line: psycopg missing, bad URL, unreachable, refused."""
        psycopg = _psycopg()
        name = redact(url)
        try:
            params = psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise AuditkitError(f"{name}: not a valid PostgreSQL URL ({_reason(exc)})") from None
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        params.setdefault("application_name", "auditkit")
        try:
            conn = psycopg.connect(autocommit=True, **params)
        except psycopg.Error as exc:
            raise AuditkitError(f"{name}: cannot connect ({_reason(exc)})") from None
        return cls(url, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Database failures inside the block become one line naming this server."""
        psycopg = _psycopg()
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            raise AuditkitError(f"{self.name}: permission denied ({_reason(exc)})") from None
        except psycopg.Error as exc:
            raise AuditkitError(f"{self.name}: database error ({_reason(exc)})") from None

    # -- schema ----------------------------------------------------------------------------

    def applied(self) -> list[str] | None:
        """The migrations applied, or None when this database has no portfolio yet."""
        with self.errors():
            found = self.conn.execute(
                "SELECT to_regclass('auditkit.schema_migrations') IS NOT NULL"
            ).fetchone()
            if not found or not found[0]:
                return None
            rows = self.conn.execute(
                "SELECT name FROM auditkit.schema_migrations ORDER BY applied_at, name"
            ).fetchall()
        return [row[0] for row in rows]

    def check_version(self) -> bool:
        """Whether a portfolio exists here; refuse one written by a newer auditkit."""
        applied = self.applied()
        if applied is None:
            return False
        unknown = set(applied) - {name for name, _ in MIGRATIONS}
        if unknown:
            raise AuditkitError(
                f"{self.name}: portfolio written by a newer auditkit (schema "
                f"{max(unknown)}); upgrade auditkit"
            )
        return True

    def migrate(self) -> None:
        """Create the schema, or bring it up to date; one migrator at a time."""
        if self.check_version() and set(self.applied() or []) >= {n for n, _ in MIGRATIONS}:
            return  # up to date: nothing to write (a read-only role gets this far)
        with self.errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_MIGRATIONS])
            self.conn.execute("CREATE SCHEMA IF NOT EXISTS auditkit")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS auditkit.schema_migrations ("
                "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())"
            )
            done = {
                row[0] for row in self.conn.execute("SELECT name FROM auditkit.schema_migrations")
            }
            for name, sql in MIGRATIONS:
                if name not in done:
                    self.conn.execute(sql.encode())
                    self.conn.execute(
                        "INSERT INTO auditkit.schema_migrations (name) VALUES (%s)", [name]
                    )

    # -- reading ---------------------------------------------------------------------------

    def find(self, ref: str) -> list[tuple[str, str, date | None]]:
        """(audit_id, company, start_date) of the audits ``ref`` names: by id, else company."""
        with self.errors():
            rows = self.conn.execute(
                "SELECT audit_id, company, start_date FROM auditkit.audits WHERE audit_id = %s",
                [ref],
            ).fetchall()
            if not rows:
                rows = self.conn.execute(
                    "SELECT audit_id, company, start_date FROM auditkit.audits "
                    "WHERE lower(company) = lower(%s) ORDER BY start_date, audit_id",
                    [ref.strip()],
                ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def entry_hashes(self, audit_id: str) -> dict[str, str]:
        """Entry id -> hash as first written, of every entry published for the audit."""
        with self.errors():
            rows = self.conn.execute(
                "SELECT id, hash FROM auditkit.journal WHERE audit_id = %s", [audit_id]
            ).fetchall()
        return dict(rows)

    def entries(self, audit_id: str) -> list[Entry]:
        """Every entry published for the audit, as first written, in ``(at, id)`` order."""
        with self.errors():
            rows = self.conn.execute(
                f"SELECT {', '.join(JOURNAL_COLUMNS)} FROM auditkit.journal "
                "WHERE audit_id = %s ORDER BY at, id",
                [audit_id],
            ).fetchall()
        return [Entry(0, *row) for row in rows]

    def base_rank(self, audit_id: str) -> tuple[int, str] | None:
        """(journal length, last hash) of the copy the base rows come from."""
        with self.errors():
            row = self.conn.execute(
                "SELECT base_entries, base_head FROM auditkit.audits WHERE audit_id = %s",
                [audit_id],
            ).fetchone()
        return (row[0], row[1]) if row else None

    def base(self, audit_id: str) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
        """The base copy's migration names, and its rows by table."""
        with self.errors():
            schema = self.conn.execute(
                "SELECT base_schema FROM auditkit.audits WHERE audit_id = %s", [audit_id]
            ).fetchone()
            rows = self.conn.execute(
                "SELECT table_name, row FROM auditkit.base_rows WHERE audit_id = %s "
                "ORDER BY table_name, position",
                [audit_id],
            ).fetchall()
        tables: dict[str, list[dict[str, Any]]] = {}
        for table, row in rows:
            tables.setdefault(table, []).append(row)
        return (list(schema[0]) if schema else []), tables

    def blob(self, sha256: str) -> tuple[str, int, str, bytes] | None:
        with self.errors():
            row = self.conn.execute(
                "SELECT sha256, size, mime, data FROM auditkit.evidence_blobs WHERE sha256 = %s",
                [sha256],
            ).fetchone()
        return (row[0], row[1], row[2], bytes(row[3])) if row else None

    def blobs_present(self, hashes: Iterable[str]) -> set[str]:
        with self.errors():
            rows = self.conn.execute(
                "SELECT sha256 FROM auditkit.evidence_blobs WHERE sha256 = ANY(%s)",
                [list(hashes)],
            ).fetchall()
        return {row[0] for row in rows}

    def portfolio(self) -> list[dict[str, Any]]:
        """The ``portfolio`` view, one dict per audit (dates as ISO text)."""
        if not self.check_version():
            return []
        with self.errors():
            cursor = self.conn.execute(
                f"SELECT {', '.join(PORTFOLIO_COLUMNS)} FROM auditkit.portfolio "
                "ORDER BY lower(company), start_date, audit_id"
            )
            rows = cursor.fetchall()
        return [
            {
                column: value.isoformat() if isinstance(value, date) else value
                for column, value in zip(PORTFOLIO_COLUMNS, row, strict=True)
            }
            for row in rows
        ]

    # -- writing: only inside publishing() -------------------------------------------------

    @contextmanager
    def publishing(self, audit_id: str) -> Iterator[None]:
        """One transaction for one audit's publish, holding that audit's lock."""
        with self.errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 17))", [audit_id])
            yield

    def save_audit(self, row: dict[str, Any], keep_base: bool = False) -> None:
        """Insert or replace the audit's row (``row`` has every :data:`AUDIT_COLUMNS`);
        ``keep_base`` keeps the base copy's columns of a row already there."""
        values = dict(row)
        for column in ("auditors", "profile", "base_schema"):
            values[column] = json.dumps(values[column])
        values["start_date"], values["end_date"] = day(row["start_date"]), day(row["end_date"])
        names = ", ".join(AUDIT_COLUMNS)
        marks = ", ".join(f"%({c})s" for c in AUDIT_COLUMNS)
        kept = ("base_entries", "base_head", "base_schema") if keep_base else ()
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in AUDIT_COLUMNS[1:] if c not in kept)
        self.conn.execute(
            f"INSERT INTO auditkit.audits ({names}) VALUES ({marks}) ON CONFLICT (audit_id) "
            f"DO UPDATE SET {updates}, published_at = now()",
            values,
        )

    def add_entries(self, audit_id: str, entries: Iterable[Entry]) -> None:
        """Append journal entries (as first written) with COPY."""
        columns = ", ".join(("audit_id", *JOURNAL_COLUMNS))
        with self.conn.cursor().copy(f"COPY auditkit.journal ({columns}) FROM STDIN") as copy:
            copy.write(
                copy_text(
                    (
                        audit_id,
                        e.id,
                        e.at,
                        e.author,
                        e.action,
                        e.entity,
                        e.key,
                        e.before,
                        e.after,
                        e.prev,
                        e.hash,
                        e.supersedes,
                        e.reason,
                    )
                    for e in entries
                )
            )

    def replace_state(self, audit_id: str, tables: dict[str, list[tuple[Any, ...]]]) -> None:
        """Replace the audit's replayed rows; ``tables`` maps each of STATE_TABLES to rows,
        as tuples in its columns' order."""
        for table in reversed(STATE_TABLES):
            self.conn.execute(f"DELETE FROM auditkit.{table} WHERE audit_id = %s", [audit_id])
        for table, columns in STATE_TABLES.items():
            self._copy(table, columns, audit_id, tables.get(table, []))

    def replace_actions(self, audit_id: str, rows: list[dict[str, Any]]) -> None:
        self.conn.execute("DELETE FROM auditkit.actions WHERE audit_id = %s", [audit_id])
        cleaned = [
            tuple(day(row.get(c)) if c == "due" else row.get(c) for c in ACTION_COLUMNS)
            for row in rows
        ]
        self._copy("actions", ACTION_COLUMNS, audit_id, cleaned)

    def replace_base(self, audit_id: str, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.conn.execute("DELETE FROM auditkit.base_rows WHERE audit_id = %s", [audit_id])
        with self.conn.cursor().copy(
            "COPY auditkit.base_rows (audit_id, table_name, position, row) FROM STDIN"
        ) as copy:
            for table, rows in tables.items():
                for position, row in enumerate(rows):
                    copy.write_row((audit_id, table, position, json.dumps(row)))

    def add_blobs(self, blobs: Iterable[tuple[str, int, str, bytes]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO auditkit.evidence_blobs (sha256, size, mime, data) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
                list(blobs),
            )

    def _copy(
        self, table: str, columns: tuple[str, ...], audit_id: str, rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        names = ", ".join(("audit_id", *columns))
        with self.conn.cursor().copy(f"COPY auditkit.{table} ({names}) FROM STDIN") as copy:
            copy.write(copy_text((audit_id, *row) for row in rows))
