"""Exports of an audit: the final report (Markdown, HTML, Word) and the data (CSV, Excel, JSON,
zip).

Each format lives in its own module with a ``render(...) -> bytes``; this module picks one and
writes the result safely: never over an existing file without ``force``, never over the audit
itself, and atomically (a temporary file renamed into place), so a failed export leaves no
half-written file behind. Format modules are imported on demand, so python-docx is only loaded
for Word.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from auditkit.audit import Audit
from auditkit.errors import AuditkitError, UsageError
from auditkit.export.report import Report, build
from auditkit.files import built_beside

FORMATS = ("md", "html", "docx", "csv", "xlsx", "json", "bundle")
EXTENSIONS = {
    "md": ".md",
    "html": ".html",
    "docx": ".docx",
    "csv": ".csv",
    "xlsx": ".xlsx",
    "json": ".json",
    "bundle": ".zip",
}
MODULES = {
    "md": "markdown",
    "html": "html",
    "docx": "docx",
    "csv": "csv",
    "xlsx": "xlsx",
    "json": "jsonio",
    "bundle": "bundle",
}
REPORT_FORMATS = ("md", "html", "docx")


def render(audit: Audit, fmt: str, report: Report | None = None) -> bytes:
    """The bytes of ``audit`` in format ``fmt``; the report model is built if not given."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = import_module(f"auditkit.export.{MODULES[fmt]}")
    if fmt in REPORT_FORMATS:
        return bytes(module.render(report or build(audit)))
    return bytes(module.render(audit, report))


def default_output(audit_path: Path, fmt: str) -> Path:
    """``site.audit`` -> ``site.docx`` (or ``.zip`` for a bundle), beside the audit."""
    return audit_path.with_suffix(EXTENSIONS[fmt])


SIDECARS = ("-wal", "-shm", "-journal")


def check_target(target: Path, force: bool, protect: Path | None = None) -> None:
    """Refuse to write over an existing file (unless ``force``), a folder, anything that is
    not a regular file (a device, a pipe), ``protect`` or one of its SQLite sidecars.

    A sidecar replaced under a program that has the audit open loses what it writes next; a
    device node replaced by a file is gone for every other program.
    """
    if target.is_dir():
        raise AuditkitError(f"{target}: is a folder; give a file name with -o")
    if not target.parent.is_dir():
        raise AuditkitError(f"{target.parent}: no such folder")
    if target.exists() and not target.is_file():
        raise AuditkitError(f"{target}: not a regular file (a device or a pipe); choose a file")
    resolved = target.resolve()
    if protect is not None:
        audit = protect.resolve()
        if resolved == audit:
            raise AuditkitError(f"{target}: is the audit file itself; choose another output")
        if resolved in {Path(f"{audit}{suffix}") for suffix in SIDECARS}:
            raise AuditkitError(
                f"{target}: is a working file of the audit {protect}; choose another output"
            )
    for suffix in SIDECARS:
        base = resolved.name.removesuffix(suffix)
        if base != resolved.name and (resolved.parent / base).is_file():
            raise AuditkitError(
                f"{target}: is a working file of the database {base}; choose another output"
            )
    if target.exists() and not force:
        raise AuditkitError(f"{target}: already exists; use --force to overwrite it")


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically: the old file (if any) stays until it is done."""
    with built_beside(target) as temp, temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def export(audit: Audit, fmt: str, target: Path, force: bool = False) -> Path:
    """Render ``audit`` as ``fmt`` into ``target``; refused targets leave everything unchanged."""
    check_target(target, force, protect=Path(audit.path))
    write_file(target, render(audit, fmt))
    return target
