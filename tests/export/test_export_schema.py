"""docs/audit.schema.json: a real JSON Schema (2020-12) of the JSON export."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from auditkit.audit import Audit
from auditkit.export import render
from auditkit.rules.attachments import add_evidence
from auditkit.rules.finalize import finalize
from tests.conftest import SCHEMA


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)  # a valid schema of that dialect
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(schema)


def test_exports_of_every_kind_validate(complete: Audit, tmp_path: Path) -> None:
    photo = tmp_path / "kit.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    add_evidence(complete, "8.O1", [photo], subject="Yard", caption="kit")
    finalize(complete, deviation="The CP agreed to the crew on shift: one supervisor, one worker.")
    document = json.loads(render(complete, "json"))
    assert list(validator().iter_errors(document)) == []
    assert document["audit"]["created_at"].endswith("Z")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("tables", "answers", 0, "value"), "maybe"),
        (("audit", "created_at"), ""),
        (("scores", "overall", "percent"), "79 %"),
        (("protocol", "sha256"), "not a hash"),
        (("tables", "journal", 0, "hash"), 42),
    ],
)
def test_a_broken_export_does_not_validate(
    half: Audit, path: tuple[object, ...], value: object
) -> None:
    document = json.loads(render(half, "json"))
    target = document
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    assert not validator().is_valid(document)
