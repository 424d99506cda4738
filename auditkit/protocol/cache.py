"""Parsed protocols cached as JSON, so opening an audit does not re-parse its YAML every time.

Every open rebuilds the audit's stored protocol; for a 2,000-question protocol PyYAML alone
takes about a quarter of a second, most of ``auditkit score``'s budget. The stored texts never
change (their SHA-256 is checked against the audit's), so the protocol built from them is kept
under the user's cache folder, keyed by that digest and by the source of the code that builds
it. The cache is derived data: a missing, unreadable or malformed entry is ignored and rebuilt,
a folder that cannot be written is skipped, and nothing is ever written to an audit file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from auditkit.protocol.model import (
    Checklist,
    Criterion,
    Element,
    Justification,
    PassRule,
    Protocol,
    Question,
    files_sha256,
)

FORMAT = 2


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/auditkit/protocols`` (``~/.cache`` when unset)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "auditkit" / "protocols"


def cached_protocol(files: Mapping[str, str], build: Callable[[], Protocol]) -> Protocol:
    """The protocol of these file texts: from the cache when present, else ``build()`` it.

    ``build`` validates; only a protocol it returned is cached, so an invalid text is
    refused exactly as without the cache.
    """
    entry = cache_dir() / f"{_key(files)}.json"
    try:
        return from_json(entry.read_text(encoding="utf-8"), files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # not cached yet, or damaged: rebuild below
    protocol = build()
    _write(entry, to_json(protocol))
    return protocol


# Entry texts this process has already found equal to a fresh build, by key: the same key and
# the same text need no second build (merge verifies ten copies of one 2,000-question protocol).
_confirmed: dict[str, str] = {}


def drop_if_stale(files: Mapping[str, str], build: Callable[[], Protocol]) -> Path | None:
    """Compare the cache entry of these texts with a fresh build; remove it if it differs.

    The cache lives outside the audit file, so ``verify`` rebuilds the protocol once and
    checks the entry it would be scored with. Returns the removed entry, or None.
    """
    key = _key(files)
    entry = cache_dir() / f"{key}.json"
    try:
        cached = entry.read_text(encoding="utf-8")
    except OSError:
        return None
    if _confirmed.get(key) == cached:
        return None
    if cached == to_json(build()):
        _confirmed[key] = cached
        return None
    entry.unlink(missing_ok=True)
    return entry


def remember(protocol: Protocol) -> None:
    """Cache a protocol just built from its folder (an audit is being created from it)."""
    _write(cache_dir() / f"{_key(protocol.files)}.json", to_json(protocol))


def to_json(protocol: Protocol) -> str:
    """Everything of a protocol except its file texts (the caller has those)."""
    return json.dumps(
        {
            "format": FORMAT,
            "id": protocol.id,
            "title": protocol.title,
            "certificate": protocol.certificate,
            "version": protocol.version,
            "description": protocol.description,
            "elements": [_plain(e) for e in protocol.elements],
            "checklists": [
                {**_plain(c), "questions": [_plain(q) for q in c.questions]}
                for c in protocol.checklists
            ],
            "pass_rules": {purpose: _plain(rule) for purpose, rule in protocol.pass_rules.items()},
            "criteria": [_plain(c) for c in protocol.criteria],
            "justification": _plain(protocol.justification),
            "sfi_below": protocol.sfi_below,
        },
        ensure_ascii=False,
    )


def _plain(item: Any) -> dict[str, Any]:
    """One dataclass's own fields, shallow (``asdict`` deep-copies: 5× slower on 2,000)."""
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def from_json(text: str, files: Mapping[str, str]) -> Protocol:
    """Rebuild a protocol written by :func:`to_json`; raises ValueError on another format."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError("cache entry of another format")
    return Protocol(
        id=data["id"],
        title=data["title"],
        certificate=data["certificate"],
        version=data["version"],
        description=data["description"],
        elements=tuple(Element(**e) for e in data["elements"]),
        checklists=tuple(_checklist(c) for c in data["checklists"]),
        pass_rules={purpose: PassRule(**rule) for purpose, rule in data["pass_rules"].items()},
        files=dict(files),
        criteria=tuple(
            Criterion(**{**c, "training": tuple(c["training"])}) for c in data["criteria"]
        ),
        justification=Justification(**data["justification"]),
        sfi_below=data["sfi_below"],
    )


def _checklist(data: dict[str, Any]) -> Checklist:
    questions = tuple(
        Question(
            **{
                **q,
                "methods": tuple(q["methods"]),
                "roles": tuple(q["roles"]),
                "training": tuple(q["training"]),
                "applies_to": tuple(q.get("applies_to", ())),
            }
        )
        for q in data["questions"]
    )
    return Checklist(**{**data, "questions": questions})


def _key(files: Mapping[str, str]) -> str:
    """The texts' digest combined with the code that turns texts into a protocol."""
    digest = hashlib.sha256(files_sha256(files).encode())
    for module in ("model.py", "validate.py", "checker.py", "criteria.py", "cache.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def write_entry(entry: Path, text: str) -> None:
    """Write one entry of a parsed-file cache atomically, best effort (the sampling rules
    keep theirs beside the protocols)."""
    _write(entry, text)


def _write(entry: Path, text: str) -> None:
    """Best effort and atomic: a reader never sees half an entry; failure just skips it."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, entry)
    except OSError:
        Path(temp).unlink(missing_ok=True)
