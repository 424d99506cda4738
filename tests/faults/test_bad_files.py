"""Every command that reads an audit, given something that is not a sound audit file: one line
on stderr naming the path, exit 1 or 2, no traceback, and not a byte written anywhere."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest

from auditkit.cli import cli, main
from tests.faults.conftest import child_env, fingerprint, make_field_audit

SQLITE_HEADER = b"SQLite format 3\x00"
PAGE = 4096


def _commands(target: Path, out: Path) -> dict[str, list[str]]:
    """Each command that takes an audit FILE, with arguments it would otherwise accept."""
    photo = out.parent / "photo.jpg"
    return {
        "score": ["score", str(target)],
        "score --json": ["score", str(target), "--json"],
        "questions": ["questions", str(target)],
        "answer": ["answer", str(target), "1.D1", "yes"],
        "subject add": ["subject", "add", str(target), "--kind", "site", "--label", "Depot"],
        "verify": ["verify", str(target)],
        "log": ["log", str(target)],
        "conflicts": ["conflicts", str(target)],
        "finalize": ["finalize", str(target)],
        "sample": ["sample", str(target)],
        "recommend": ["recommend", str(target)],
        "profile": ["profile", str(target)],
        "profile --workers": ["profile", str(target), "--workers", "12"],
        "export": ["export", str(target), "--format", "md", "-o", str(out)],
        "evidence list": ["evidence", "list", str(target)],
        "evidence add": ["evidence", "add", str(target), "1.D1", str(photo)],
        "merge": ["merge", str(out), str(target)],
    }


COMMAND_NAMES = list(_commands(Path("x"), Path("y")))


def _registered(args: list[str]) -> bool:
    """Whether ``args`` starts with a command auditkit has (commands may load lazily)."""
    command: click.Command | None = cli
    for word in args:
        if not isinstance(command, click.Group):
            return True
        command = command.get_command(click.Context(command), word)
        if command is None:
            return False
    return False


# -- the bad files --------------------------------------------------------------------------


def _valid(folder: Path) -> Path:
    """A copy of the session's sound field audit (hundreds of cases start from it)."""
    return Path(shutil.copyfile(folder.parent / "template.audit", folder / "valid.audit"))


def empty(folder: Path) -> Path:
    path = folder / "empty.audit"
    path.write_bytes(b"")
    return path


def random_bytes(folder: Path) -> Path:
    path = folder / "noise.audit"
    path.write_bytes(random.Random(1).randbytes(3 * PAGE))
    return path


def sqlite_header_then_noise(folder: Path) -> Path:
    path = folder / "header.audit"
    path.write_bytes(SQLITE_HEADER + random.Random(2).randbytes(3 * PAGE))
    return path


def _truncated(keep: Callable[[int], int]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = _valid(folder)
        data = path.read_bytes()
        path.write_bytes(data[: keep(len(data))])
        return path

    return make


def damaged_page(folder: Path) -> Path:
    """A valid audit whose subjects table's page was partly overwritten by noise."""
    path = _valid(folder)
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'subjects'")
        page = root.fetchone()[0] - 1
    conn.close()
    data = bytearray(path.read_bytes())
    data[page * PAGE + 8 : page * PAGE + 1008] = random.Random(3).randbytes(1000)
    path.write_bytes(bytes(data))
    return path


def other_sqlite_database(folder: Path) -> Path:
    path = folder / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('app', 'something-else')")
    return path


def newer_schema(folder: Path) -> Path:
    path = _valid(folder)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('auditkit', 'm999_from_the_future', '2030-01-01')"
        )
    conn.close()
    return path


def directory(folder: Path) -> Path:
    path = folder / "folder.audit"
    path.mkdir()
    return path


def missing(folder: Path) -> Path:
    return folder / "nowhere.audit"


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "empty file": empty,
    "random bytes": random_bytes,
    "SQLite header then noise": sqlite_header_then_noise,
    "truncated to 100 bytes": _truncated(lambda size: 100),
    "truncated to one page": _truncated(lambda size: PAGE),
    "truncated to half": _truncated(lambda size: size // 2 // PAGE * PAGE),
    "truncated by one page": _truncated(lambda size: size - PAGE),
    "truncated mid-page": _truncated(lambda size: size - PAGE // 2),
    "a page overwritten": damaged_page,
    "another SQLite database": other_sqlite_database,
    "newer schema version": newer_schema,
    "a directory": directory,
    "a missing path": missing,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_field_audit(tmp_path_factory.mktemp("template") / "template.audit")


@pytest.mark.parametrize("bad", list(BAD_FILES))
@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_bad_file_gives_one_line_and_changes_nothing(
    bad: str, command: str, tmp_path: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copyfile(template, tmp_path / "template.audit")
    target = BAD_FILES[bad](folder)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    args = _commands(target, folder / "out.md")[command]
    if not _registered(args):
        pytest.skip(f"auditkit has no {command!r} command")
    for leftover in folder.glob("*-[ws][ah][lm]"):  # -wal/-shm from building the fixture
        leftover.unlink()
    before = fingerprint(folder)
    capsys.readouterr()

    code = main(args)  # anything but an AuditkitError would escape here as a traceback

    out, err = capsys.readouterr()
    assert code in (1, 2), (out, err)
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert target.name in err
    assert fingerprint(folder) == before  # not a byte written, no file added
    assert target.exists() == (bad != "a missing path")


# -- read-only files and folders, as a user who may not write them --------------------------


def _unprivileged() -> list[str] | None:
    """A command prefix under which file permissions apply, or None when none is available.

    As a normal user nothing is needed. As root, first ``nobody`` (when it can import this
    checkout and its libraries), else root stripped of the capabilities that override file
    permissions (``setpriv --bounding-set``), so read-only really means read-only.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    probe = [sys.executable, "-c", "import auditkit.cli"]
    for prefix in (
        [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"],
        [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"],
    ):
        try:
            done = subprocess.run(
                [*prefix, *probe], capture_output=True, env=child_env(), cwd="/", timeout=60
            )
        except OSError:
            continue
        if done.returncode == 0:
            return prefix
    return None


UNPRIVILEGED = _unprivileged()
needs_unprivileged = pytest.mark.skipif(
    UNPRIVILEGED is None,
    reason="running as root with no way to drop the right to write read-only files "
    "(no setpriv, or it cannot run auditkit)",
)


def _run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from auditkit.cli import main; sys.exit(main(sys.argv[1:]))"
    assert UNPRIVILEGED is not None
    return subprocess.run(
        [*UNPRIVILEGED, sys.executable, "-c", code, *args],
        text=True,
        capture_output=True,
        env=child_env(),
        cwd="/",
        timeout=120,
    )


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user can reach, directly under the system's temp folder: pytest's own
    temp folders are private to root, and another pytest run on the machine makes them private
    again at any moment, so opening their parents up would race it."""
    base = Path(tempfile.mkdtemp(prefix="auditkit-shared-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for folder in (base, *base.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


@needs_unprivileged
@pytest.mark.parametrize("readonly", ["file", "folder"])
def test_read_only_audit_can_be_read_but_refuses_changes(
    readonly: str, shared_folder: Path
) -> None:
    folder = shared_folder / "audits"
    folder.mkdir()
    path = make_field_audit(folder / "ro.audit")
    if readonly == "file":
        folder.chmod(0o777)
        path.chmod(0o444)
    else:
        path.chmod(0o666)
        folder.chmod(0o555)
    before = fingerprint(folder)
    try:
        answered = _run_unprivileged("answer", str(path), "1.D1", "yes")
        added = _run_unprivileged("subject", "add", str(path), "--kind", "site", "--label", "Depot")
        scored = _run_unprivileged("score", str(path))
        after = fingerprint(folder)
    finally:
        folder.chmod(0o755)
    for refused in (answered, added):
        assert refused.returncode == 1
        assert "Traceback" not in refused.stderr
        assert refused.stderr.startswith("error: ") and "read-only" in refused.stderr
        assert len(refused.stderr.splitlines()) == 1
    # Reading a write-protected audit (a locked-down share, a read-only stick) still works.
    assert scored.returncode == 0, scored.stderr
    assert "INCOMPLETE: 8 of 8 scored items unanswered" in scored.stdout
    assert after == before  # no -wal/-shm left beside it, not a byte changed
