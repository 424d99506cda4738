"""A throwaway PostgreSQL server for the portfolio tests and benchmarks.

Debian's ``postgresql`` package puts its programs in ``/usr/lib/postgresql/<version>/bin``.
The server runs in a temporary folder on a free localhost port with password authentication
(so a wrong password is refused as on a real server), and fsync off: nothing here needs to
survive a crash. PostgreSQL refuses to run as root, so as root it runs as the ``postgres``
user, in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PASSWORD = "audit-firm-secret"
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def find_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    """``start()`` it, create databases, ``stop()`` it; it removes its folder when stopped."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="auditkit-pg-"))
        self.port = _free_port()
        self.as_user: str | None = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            runner = shutil.which("runuser")
            command = (
                [runner, "-u", self.as_user, "--", *command]
                if runner
                else ["su", self.as_user, "-c", " ".join(f"'{a}'" for a in command)]
            )
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.folder)

    def start(self) -> PgServer:
        password = self.folder / "pw"
        password.write_text(PASSWORD + "\n")
        if self.as_user:
            user = pwd.getpwnam(self.as_user)
            for path in (self.folder, password):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", "data", "-U", "postgres", f"--pwfile={password}",
            "-A", "scram-sha-256", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {SERVER_OPTIONS}"
        self._run("pg_ctl", "-D", "data", "-o", options, "-l", "log", "-w", "-t", "60", "start")
        return self

    def url(
        self, database: str = "postgres", user: str = "postgres", password: str = PASSWORD
    ) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", "data", "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
