"""One zip to hand over: the report in every format, the data, the evidence and a manifest.

``metadata.json`` labels the audit file's tables for Datasette (``datasette acme.audit -m
metadata.json``). ``manifest.json`` lists every other file of the zip with its size and
SHA-256, so the receiver can check that nothing was altered; evidence files are listed with the
answers they support.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from auditkit import __version__
from auditkit.audit import Audit
from auditkit.export import csv, datasette, docx, html, jsonio, markdown, xlsx
from auditkit.export.report import Report, build
from auditkit.store.evidence import read_blob, stored_files

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
STORED = (".docx", ".xlsx", ".zip", ".jpg", ".jpeg", ".png", ".pdf", ".heic", ".gif", ".webp")


def safe_name(name: str, limit: int = 80) -> str:
    """A file name that is safe inside a zip on every system (no folders, no odd characters)."""
    cleaned = UNSAFE.sub("_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("._")
    return cleaned[-limit:] or "file"


def evidence_files(audit: Audit) -> list[tuple[str, bytes, list[dict[str, Any]]]]:
    """(name in the zip, content, the answers it supports) for every stored evidence file.

    The name starts with the file's short SHA-256, as the report's evidence list shows it.
    """
    store = audit.store
    return [
        (
            f"evidence/{item.sha256[:12]}-{safe_name(item.filename or 'file')}",
            read_blob(store, item.sha256),
            [
                {
                    "question": link.question_id,
                    "subject": link.subject_id,
                    "caption": link.caption or "",
                }
                for link in item.links
            ],
        )
        for item in stored_files(store)
    ]


def render(audit: Audit, report: Report | None = None) -> bytes:
    """The bundle as zip bytes."""
    report = report or build(audit)
    stem = safe_name(audit.path.stem)
    if stem.lower() == "manifest":  # manifest.json is the bundle's own list of files
        stem = "manifest-audit"
    parts: list[tuple[str, bytes, dict[str, Any]]] = [
        (f"{stem}.docx", docx.render(report), {"kind": "report"}),
        (f"{stem}.html", html.render(report), {"kind": "report"}),
        (f"{stem}.md", markdown.render(report), {"kind": "report"}),
        (f"{stem}.csv", csv.render(audit, report), {"kind": "answers"}),
        (f"{stem}.xlsx", xlsx.render(audit, report), {"kind": "workbook"}),
        (f"{stem}.json", jsonio.render(audit, report), {"kind": "audit data"}),
        ("metadata.json", datasette.render(audit), {"kind": "datasette metadata"}),
    ]
    parts += [
        (name, data, {"kind": "evidence", "supports": supports})
        for name, data, supports in evidence_files(audit)
    ]
    manifest = {
        "audit": audit.profile["id"],
        "company": report.company,
        "protocol": {
            "id": audit.protocol.id,
            "version": audit.protocol.version,
            "sha256": audit.protocol.sha256,
        },
        "auditkit_version": __version__,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "draft": report.draft,
        "files": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), **info}
            for name, data, info in parts
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, _ in parts:
            method = zipfile.ZIP_STORED if name.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method, compresslevel=1)
        archive.writestr(
            "manifest.json",
            json.dumps(manifest, indent=2, ensure_ascii=False),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()
