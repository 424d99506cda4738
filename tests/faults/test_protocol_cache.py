"""The parsed-protocol cache is derived data: damaged, missing or unwritable, an audit still
opens with exactly the protocol its stored YAML describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.protocol.cache import cache_dir, from_json, to_json
from auditkit.protocol.model import load_protocol, protocol_from_texts
from tests.conftest import MINI
from tests.faults.conftest import make_field_audit


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize("source", [str(MINI), "cor", "secor"])
def test_a_cached_protocol_is_the_protocol_its_yaml_builds(source: str) -> None:
    built = load_protocol(source)
    assert from_json(to_json(built), built.files) == built
    assert protocol_from_texts(built.files, origin="x") == built  # first: parsed and cached
    assert protocol_from_texts(built.files, origin="x") == built  # then: from the cache


def test_creating_an_audit_caches_its_protocol(tmp_path: Path) -> None:
    make_field_audit(tmp_path / "a.audit")
    assert len(list(cache_dir().glob("*.json"))) == 1


@pytest.mark.parametrize(
    "damage", ["", "{not json", '{"format": 1, "id": 3}', "[1, 2]", '{"format": 99}']
)
def test_a_damaged_cache_entry_is_rebuilt(damage: str, tmp_path: Path) -> None:
    path = make_field_audit(tmp_path / "a.audit")
    [entry] = cache_dir().glob("*.json")
    entry.write_text(damage, encoding="utf-8")
    with Audit.open(path) as audit:
        assert [q.id for q in audit.protocol.questions] == [
            q.id for q in load_protocol(MINI).questions
        ]
    assert from_json(entry.read_text(encoding="utf-8"), audit.protocol.files) == audit.protocol


def test_an_unwritable_cache_folder_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = make_field_audit(tmp_path / "a.audit")
    with Audit.open(path) as audit:
        assert len(audit.protocol.questions) == 8
    assert blocker.read_text() == "a file where the cache folder would go"


def test_verify_catches_a_cache_entry_changed_outside_auditkit(tmp_path: Path) -> None:
    from auditkit.team.verify import verify_file

    path = make_field_audit(tmp_path / "a.audit")
    [entry] = cache_dir().glob("*.json")
    entry.write_text(entry.read_text().replace('"points": 10', '"points": 1', 1))
    with Audit.open(path) as audit:
        tampered = audit.protocol
    assert any(q.points == 1 for q in tampered.questions)  # what a tampered cache would score
    report = verify_file(path)
    assert any("protocol cache" in p and "did not match" in p for p in report.problems)
    assert not entry.exists()
    with Audit.open(path) as audit:
        assert audit.protocol == load_protocol(MINI)
    assert not verify_file(path).problems


def test_verify_catches_a_change_made_after_the_entry_was_checked(tmp_path: Path) -> None:
    from auditkit.team.verify import verify_file

    path = make_field_audit(tmp_path / "a.audit")
    assert not verify_file(path).problems  # the entry is checked against a fresh build
    [entry] = cache_dir().glob("*.json")
    entry.write_text(entry.read_text().replace('"points": 10', '"points": 1', 1))
    report = verify_file(path)  # the same process, the same protocol: checked again
    assert any("protocol cache" in p and "did not match" in p for p in report.problems)
    assert not entry.exists()
