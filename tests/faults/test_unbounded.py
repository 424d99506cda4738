"""Findings 10 and 11 of issue 16: unbounded inputs are capped with a clear limit, and odd
ones (non-UTF-8 bytes, deep JSON, huge numbers, wrong types) are refused in one line, never
a traceback, a hang or a MemoryError."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.cli import main
from auditkit.rules.attachments import EVIDENCE_MAX_BYTES, add_evidence
from auditkit.store.audit_file import Store
from tests.faults.conftest import child_env

RUN = "from auditkit.cli import run; run()"  # the console script's entry point
MEMORY_CAP = 1024 * 1024 * 1024  # a child that reads /dev/zero whole dies at this, not later


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def auditkit(
    *args: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real command in a child (argv bytes as a shell passes them), memory capped."""
    return subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        timeout=30,  # a FIFO read for ever fails the test here instead of hanging it
        env=env or child_env(),
        preexec_fn=_limit_memory,
    )


def one_line_error(done: subprocess.CompletedProcess[bytes], code: int = 1) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_import_refuses_devices_pipes_and_oversized_files(tmp_path: Path) -> None:
    err = one_line_error(auditkit("import", "/dev/zero", str(tmp_path / "z.audit")))
    assert "not a regular file" in err
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    err = one_line_error(auditkit("import", str(fifo), str(tmp_path / "f.audit")))
    assert "not a regular file" in err
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)  # sparse: no disk used
    err = one_line_error(auditkit("import", str(huge), str(tmp_path / "h.audit")))
    assert "over the 512 MB limit" in err
    assert not list(tmp_path.glob("*.audit"))


def test_evidence_over_the_limit_is_refused_and_a_large_one_is_streamed(
    audit_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.truncate(EVIDENCE_MAX_BYTES + 1)
    with Store.open(audit_path) as store:
        before = store.dump()
    code = main(["evidence", "add", str(audit_path), "1.D1", str(big)])
    err = capsys.readouterr().err
    assert code == 1 and "over the 100 MB limit" in err and err.count("\n") == 1
    with Store.open(audit_path) as store:
        assert store.dump() == before
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(1024) * 30 * 1024)  # 30 MB
    tracemalloc.start()
    with Audit.open(audit_path, write=True) as audit:
        added = add_evidence(audit, "1.D1", [photo])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"{peak:,} bytes held at once for a 30 MB file"
    assert added[0].size == 30 * 1024 * 1024
    assert main(["verify", str(audit_path)]) == 0


def test_non_utf8_arguments_and_auditor_are_one_line_errors(audit_path: Path) -> None:
    err = one_line_error(
        auditkit("answer", str(audit_path), "1.D1", "yes", "--note", b"caf\xe9 au lait"), 2
    )
    assert "not valid UTF-8" in err
    env = {**child_env()}
    env_bytes = os.environb.copy()
    env_bytes[b"AUDITKIT_AUDITOR"] = b"Ren\xe9"
    env_bytes[b"PYTHONPATH"] = env["PYTHONPATH"].encode()
    done = subprocess.run(
        [sys.executable, "-c", RUN, "answer", str(audit_path), "1.D1", "yes"],
        capture_output=True,
        timeout=60,
        env=env_bytes,
    )
    err = one_line_error(done, 2)
    assert "AUDITKIT_AUDITOR" in err
    with Audit.open(audit_path) as audit:
        assert audit.answers() == []


def test_huge_numbers_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new", str(tmp_path / "a.audit"), "--company", "Acme", "--workers", str(10**30)])
    err = capsys.readouterr().err
    assert code in (1, 2) and err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "a.audit").exists()


@pytest.fixture
def exported(audit_path: Path, tmp_path: Path) -> dict[str, object]:
    target = tmp_path / "a.json"
    with Audit.open(audit_path, write=True) as audit:
        audit.answer("1.D1", "yes")
    assert main(["export", str(audit_path), "--format", "json", "-o", str(target)]) == 0
    return dict(json.loads(target.read_text()))


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "breakage",
    ["deep", "workers", "subject fields", "protocol_files table", "scores deleted"],
)
def test_import_of_odd_json_is_one_line(
    exported: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str], breakage: str
) -> None:
    data = json.loads(json.dumps(exported))
    source = tmp_path / "odd.json"
    if breakage == "deep":
        text = '{"format": "auditkit-audit", "audit": ' + _deep(100_000) + "}"
    else:
        if breakage == "workers":
            data["audit"]["workers"] = 10**30
        elif breakage == "subject fields":
            data["tables"]["subjects"][0]["fields"] = "{not json"
        elif breakage == "protocol_files table":
            data["tables"]["protocol_files"] = [{"name": "x.yaml", "text": "a: 1", "sha256": "0"}]
        elif breakage == "scores deleted":  # and an answer changed: the scores no longer match
            del data["scores"]
            for row in data["tables"]["answers"]:
                row["value"] = "no"
        text = json.dumps(data)
    source.write_text(text)
    target = tmp_path / "new.audit"
    code = main(["import", str(source), str(target)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not target.exists()


def test_subject_fields_that_are_not_json_are_named_not_a_traceback(
    audit_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(audit_path)) as conn:
        conn.execute("UPDATE subjects SET fields = '{not json' WHERE label = 'Yard'")
        conn.commit()
    report = str(audit_path.with_suffix(".md"))
    for command in (["sample"], ["export", "--format", "md", "-o", report]):
        code = main([command[0], str(audit_path), *command[1:]])
        err = capsys.readouterr().err
        assert code == 1, command
        assert (
            err == f"error: {audit_path}: site 'Yard': its fields are not JSON "
            "(changed outside auditkit)\n"
        ), err
    assert main(["verify", str(audit_path)]) == 1
    assert "fields is '{not json' in the table" in capsys.readouterr().err
