"""A file built beside its target appears whole, or not at all, and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.errors import AuditkitError
from auditkit.files import built_beside


def test_the_file_appears_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), built_beside(target) as temp:
        temp.write_text("half")
        Path(f"{temp}-wal").write_text("wal")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []
    with built_beside(target) as temp:
        temp.write_text("whole")
    assert target.read_text() == "whole"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_target_that_appeared_meanwhile_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.audit"
    with (
        pytest.raises(AuditkitError, match=r"a.audit: already exists; pick another"),
        built_beside(target, "pick another") as temp,
    ):
        temp.write_text("new")
        target.write_text("someone else's")
    assert target.read_text() == "someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["a.audit"]
