"""Shared fixtures: the mini protocol, a fresh audit on it, and the CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never touch the real home folder: the parsed-protocol cache (``~/.cache``), the
    recent-audits list (``~/.config``) and anything else under HOME go to a temporary one.
    Set in ``os.environ`` so the subprocesses tests start inherit it too."""
    home = tmp_path_factory.mktemp("home")
    saved = {
        key: os.environ.get(key)
        for key in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "AUDITKIT_DB")
    }
    os.environ.pop("AUDITKIT_DB", None)  # Home shows a portfolio only where a test sets one
    os.environ["HOME"] = str(home)
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini protocol, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    """An audit file on the mini protocol with two sites, closed and ready to open."""
    path = tmp_path / "acme.audit"
    profile = Profile(
        company="Acme Ltd", protocol=str(MINI), sites=("Yard", "Shop"), auditors=("Pat Lee",)
    )
    Audit.create(path, profile).close()
    return path


@pytest.fixture
def audit(audit_path: Path) -> Iterator[Audit]:
    with Audit.open(audit_path, write=True) as opened:
        yield opened


SCHEMA = Path(__file__).parent.parent / "docs" / "audit.schema.json"


@pytest.fixture(autouse=True, scope="session")
def _every_json_export_obeys_the_schema() -> Iterator[None]:
    """Every JSON export any test makes (``export --format json``, the bundle's copy) is
    validated against docs/audit.schema.json as it is written."""
    import json

    import jsonschema

    from auditkit.export import jsonio

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    original = jsonio.render

    def render(*args: object, **kwargs: object) -> bytes:
        data = original(*args, **kwargs)  # type: ignore[arg-type]
        error = jsonschema.exceptions.best_match(validator.iter_errors(json.loads(data)))
        if error is not None:
            raise AssertionError(f"JSON export breaks the schema at {error.json_path}: {error}")
        return data

    jsonio.render = render  # type: ignore[assignment]
    yield
    jsonio.render = original  # type: ignore[assignment]
