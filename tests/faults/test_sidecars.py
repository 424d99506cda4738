"""Findings 1 and 2 of issue 16: a new audit never inherits the SQLite sidecars of its name.

1. A writer killed, its audit deleted: the ``-wal``/``-shm`` it left are replayed into the next
   file of that name. ``new``, ``demo``, ``merge`` and ``import`` must remove them first.
2. ``import --force`` over an audit another program has open (or left a log for) must refuse
   while it is open, and otherwise replace it only once its log is checkpointed away."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.store.audit_file import Store
from auditkit.team.verify import verify_file
from tests.conftest import MINI
from tests.faults.conftest import child_env, integrity, make_field_audit

# Holds an audit open for writing, records one answer, then waits to be killed.
HOLDER = """
import sys
from auditkit.audit import Audit
audit = Audit.open(sys.argv[1], write=True)
audit.store.conn.execute("PRAGMA wal_autocheckpoint = 0")
audit.answer("1.D1", "no", note="recorded in the log by the holder")
print("ready", flush=True)
sys.stdin.read()
"""


def leave_stale_sidecars(path: Path, scratch: Path) -> None:
    """A database written in WAL mode whose writer died with its log full; then the database
    itself deleted, leaving only ``-wal`` and ``-shm`` under ``path``'s name."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE junk (id INTEGER PRIMARY KEY, filler TEXT)")
    for n in range(400):
        conn.execute("INSERT INTO junk (filler) VALUES (?)", ["x" * 500 + str(n)])
    for suffix in ("-wal", "-shm"):
        shutil.copy(f"{path}{suffix}", scratch / f"kept{suffix}")
    conn.close()
    path.unlink()
    for suffix in ("-wal", "-shm"):
        shutil.copy(scratch / f"kept{suffix}", f"{path}{suffix}")
    assert Path(f"{path}-wal").stat().st_size > 100_000


def _new(target: Path, tmp: Path) -> list[str]:
    return ["new", str(target), "--company", "Acme Ltd", "--protocol", str(MINI)]


def _demo(target: Path, tmp: Path) -> list[str]:
    return ["demo", str(target), "--no-open"]


def _merge(target: Path, tmp: Path) -> list[str]:
    source = make_field_audit(tmp / "laptop.audit")
    return ["merge", str(target), str(source)]


def _import(target: Path, tmp: Path) -> list[str]:
    source = make_field_audit(tmp / "laptop.audit")
    assert main(["export", str(source), "--format", "json", "-o", str(tmp / "a.json")]) == 0
    return ["import", str(tmp / "a.json"), str(target)]


@pytest.mark.parametrize("command", [_new, _demo, _merge, _import], ids=lambda c: c.__name__[1:])
def test_creating_an_audit_over_stale_sidecars_gives_a_sound_file(
    tmp_path: Path, command: Callable[[Path, Path], list[str]]
) -> None:
    target = tmp_path / "a.audit"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    args = command(target, tmp_path)
    leave_stale_sidecars(target, scratch)
    assert main(args) == 0
    assert integrity(target) == "ok"
    with closing(sqlite3.connect(target)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "junk" not in tables
    assert verify_file(target).ok


def _holder(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n", child.communicate()[1]
    return child


def _documents_audit(path: Path) -> Path:
    from auditkit.audit import Profile

    Audit.create(path, Profile(company="Acme Ltd", protocol=str(MINI))).close()
    return path


def test_import_force_refuses_a_file_open_elsewhere_and_takes_over_after_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_field_audit(tmp_path / "laptop.audit")
    assert main(["export", str(source), "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    target = _documents_audit(tmp_path / "target.audit")
    child = _holder(target)
    try:
        capsys.readouterr()
        code = main(["import", str(tmp_path / "a.json"), str(target), "--force"])
        err = capsys.readouterr().err
        assert code == 1
        assert err.startswith(f"error: {target}: in use") and err.count("\n") == 1
        with Store.open(target) as store:  # unchanged, the holder's answer still there
            assert [a.note for a in store.answers()] == ["recorded in the log by the holder"]
        assert integrity(target) == "ok"
    finally:
        child.send_signal(signal.SIGKILL)  # a crash: the log stays beside the file
        child.communicate(timeout=30)
    assert Path(f"{target}-wal").exists()
    assert main(["import", str(tmp_path / "a.json"), str(target), "--force"]) == 0
    assert integrity(target) == "ok"
    assert verify_file(target).ok
    with Audit.open(target) as audit:
        assert audit.profile["company"] == "Acme Ltd"
        assert audit.answers() == []  # the import's content, not the old log's
        assert len(audit.subjects()) == 10
