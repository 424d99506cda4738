"""Where the bundled protocols and reference data live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Path of a bundled top-level folder (``checklists`` or ``data``).

    A wheel carries them inside the package under ``_bundled``; an editable install or a
    checkout finds them beside the package.
    """
    inside = _PACKAGE / "_bundled" / name
    if inside.exists():
        return inside
    return _PACKAGE.parent / name


def checklists_dir() -> Path:
    return bundled("checklists")


def data_dir() -> Path:
    return bundled("data")
