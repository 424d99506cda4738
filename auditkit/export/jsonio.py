"""The whole audit as one JSON document, and back into a new audit file, losslessly.

The export holds the profile, the protocol copy, every row of every table (subjects, answers,
evidence, journal, ...) and the scores; ``docs/json-schema.md`` documents it. Import writes a
new file holding exactly those rows, journal included, so the copy scores, reports and verifies
like the original. It is refused, with the file untouched, unless the protocol matches its
SHA-256, every answer obeys the protocol and the recomputed scores equal the exported ones.
"""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditkit import __version__
from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.export.report import Report
from auditkit.files import built_beside
from auditkit.protocol.model import ProtocolInvalid, protocol_from_texts
from auditkit.rules.scoring import scores_to_json
from auditkit.store import file_tables
from auditkit.store.building import RowRefused, build_imported
from auditkit.store.journal import Entry
from auditkit.store.migrations import migrations
from auditkit.store.sidecars import taking_name
from auditkit.team.seal import seal_of
from auditkit.team.verify import check_chain, verify

FORMAT = "auditkit-audit"
FORMAT_VERSION = 1
LIST_COLUMNS = ("headcounts", "auditors", "completed_courses")  # JSON text in the audit table
# Tables with a dedicated place in the document; every other table is exported row by row.
SPECIAL = ("meta", "audit", "protocol_files", "_sqlite_migrations", "questions")
# The largest export import reads (README, "Limits"): evidence travels base64 in the JSON,
# and the whole document is parsed in memory.
IMPORT_MAX_BYTES = 512 * 1024 * 1024


def _plain(value: Any) -> Any:
    """A column value as JSON: bytes (evidence files) become ``{"base64": ...}``."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _column(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"base64"}:
        return base64.b64decode(value["base64"], validate=True)
    if isinstance(value, dict | list):
        raise ValueError("nested value")
    return value


def _tables(audit: Audit) -> list[str]:
    names = file_tables.table_names(audit.store)
    return sorted(n for n in names if not n.startswith("sqlite_") and n not in SPECIAL)


def header(audit: Audit, report: Report | None = None) -> dict[str, Any]:
    """Everything but the tables, as a JSON-ready dict (the report's scores reused if given)."""
    profile = dict(audit.profile)
    for column in LIST_COLUMNS:
        profile[column] = json.loads(profile.get(column) or "[]")
    if not profile.get("created_at"):  # files from before created_at was set: first entry
        profile["created_at"] = file_tables.first_entry_time(audit.store)
    applied = file_tables.applied_migrations(audit.store)
    meta = file_tables.meta_items(audit.store)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "auditkit_version": __version__,
        "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "schema": applied,
        "audit": profile,
        "protocol": {
            "id": audit.protocol.id,
            "version": audit.protocol.version,
            "sha256": audit.protocol.sha256,
            "files": audit.store.protocol_files(),
        },
        "meta": meta,
        "scores": scores_to_json(report.data.scores if report else audit.score()),
        "seal": _seal(audit),
    }


def _seal(audit: Audit) -> dict[str, str] | None:
    """The seal of a finalized audit, and the journal head at this export."""
    sealed = seal_of(audit.store)
    return None if sealed is None else {"finalized": sealed.finalized, "head": sealed.head}


def render(audit: Audit, report: Report | None = None) -> bytes:
    """The whole audit as compact UTF-8 JSON: the header, then ``"tables"`` spliced in."""
    tables = ",".join(
        f"{json.dumps(table)}:{file_tables.table_json(audit.store, table, _plain)}"
        for table in _tables(audit)
    )
    head = json.dumps(header(audit, report), ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"tables":{{{tables}}}}}'.encode()


class ImportRefused(AuditkitError):
    """The JSON cannot become an audit file; the message names the file and the field."""


def _read_capped(source: Path) -> bytes:
    """The export's bytes: a regular file of at most :data:`IMPORT_MAX_BYTES`, read no
    further than that (``/dev/zero`` or a pipe would be read for ever)."""
    try:
        info = source.stat()
    except OSError as exc:
        raise ImportRefused(f"{source}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(f"{source}: not a regular file (a device, a pipe or a folder)")
    limit = f"the {IMPORT_MAX_BYTES // 1024 // 1024} MB limit for an import"
    if info.st_size > IMPORT_MAX_BYTES:
        raise ImportRefused(f"{source}: {info.st_size / 1024 / 1024:,.0f} MB is over {limit}")
    try:
        with source.open("rb") as handle:
            data = handle.read(IMPORT_MAX_BYTES + 1)
    except OSError as exc:
        raise ImportRefused(f"{source}: cannot read ({exc.strerror})") from None
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportRefused(f"{source}: grew over {limit} while it was read")
    return data


def _load(source: Path) -> dict[str, Any]:
    raw = _read_capped(source)
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ImportRefused(f"{source}: not an auditkit export (JSON nested too deeply)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRefused(f"{source}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(f'{source}: not an auditkit JSON export (no "format": "{FORMAT}")')
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(
            f"{source}: format_version {data.get('format_version')!r} is not "
            f"{FORMAT_VERSION}; export it again with this auditkit"
        )
    if "scores" not in data:  # the tamper check compares them: without, it would be skipped
        raise ImportRefused(f'{source}: "scores" is missing; export the audit again')
    for key, kind in (
        ("audit", dict),
        ("protocol", dict),
        ("meta", dict),
        ("tables", dict),
        ("schema", list),
    ):
        if not isinstance(data.get(key), kind):
            raise ImportRefused(
                f'{source}: "{key}" is missing or not a JSON {"object" if kind is dict else "list"}'
            )
    known = {m.name for m in migrations._migrations}
    newer = sorted(set(map(str, data["schema"])) - known)
    if newer:
        raise ImportRefused(
            f"{source}: exported by a newer auditkit (schema {newer[-1]}); upgrade auditkit"
        )
    return data


def _protocol_files(source: Path, data: dict[str, Any]) -> dict[str, str]:
    files = data["protocol"].get("files")
    if not isinstance(files, dict) or not all(isinstance(t, str) for t in files.values()):
        raise ImportRefused(f"{source}: protocol.files must map file names to their text")
    try:
        protocol = protocol_from_texts(files, origin=f"{source}:protocol")
    except ProtocolInvalid as exc:
        raise ImportRefused(f"{source}: the protocol copy is invalid: {exc}") from None
    if protocol.sha256 != data["audit"].get("protocol_sha256"):
        raise ImportRefused(
            f"{source}: the protocol copy does not match audit.protocol_sha256 "
            f"(changed after export?)"
        )
    return dict(files)


def _journal(source: Path, data: dict[str, Any]) -> list[Entry]:
    """The exported journal, its chain verified before anything is written."""
    rows = data["tables"].get("journal", [])
    try:
        entries = sorted((Entry(**row) for row in rows), key=lambda e: e.seq)
    except (TypeError, ValueError) as exc:
        raise ImportRefused(f"{source}: tables.journal has a malformed entry ({exc})") from None
    problems = check_chain(entries)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ImportRefused(f"{source}: the journal does not verify: {problems[0]}{more}")
    return entries


def _stored_created_at(profile: dict[str, Any], entries: list[Entry]) -> str:
    """The profile's created_at as the file stored it: an export of a file from before it was
    set carries the first entry's time instead, which the journal does not say."""
    created = str(profile.get("created_at") or "")
    first = entries[0] if entries else None
    if first is None or first.action != "audit.create" or created != first.at:
        return created
    return created if (first.after_data() or {}).get("created_at") else ""


def _tables_to_store(tables: dict[str, Any]) -> dict[str, Any]:
    """The exported tables as the file stores them: a once-per-audit answer's subject is
    NULL (exports from before m15 hold "")."""
    answers = tables.get("answers")
    if not isinstance(answers, list):
        return tables
    fixed = [
        {**row, "subject_id": row["subject_id"] or None}
        if isinstance(row, dict) and "subject_id" in row
        else row
        for row in answers
    ]
    return {**tables, "answers": fixed}


def _write(temp: Path, source: Path, data: dict[str, Any], files: dict[str, str]) -> None:
    """Every row into a fresh file at ``temp``, in one transaction."""
    profile = dict(data["audit"])
    profile["created_at"] = _stored_created_at(profile, _journal(source, data))
    for column in LIST_COLUMNS:
        if not isinstance(profile.get(column, []), list):
            raise ImportRefused(f"{source}: audit.{column} must be a list")
        profile[column] = json.dumps(profile.get(column, []))
    for table in data["tables"]:
        if table in SPECIAL:  # each has its own place in the document, checked there
            raise ImportRefused(f"{source}: tables.{table}: not allowed among the tables")
    try:
        build_imported(
            temp, data["meta"], files, profile, _tables_to_store(data["tables"]), _column
        )
    except RowRefused as exc:
        raise ImportRefused(f"{source}: {exc}") from None


def _check(temp: Path, source: Path, data: dict[str, Any]) -> None:
    """The new file must obey the protocol and score exactly as exported."""
    with Audit.open(temp) as audit:
        try:
            subjects = {s.id: s for s in audit.subjects()}
        except ValueError as exc:  # a subject's fields that are not JSON text
            raise ImportRefused(f"{source}: tables.subjects: fields are not JSON ({exc})") from None
        for row in audit.answers():
            where = f"{source}: answer {row.question_id}"
            if not audit.protocol.has_question(row.question_id):
                raise ImportRefused(f"{where}: no such question in protocol {audit.protocol.id}")
            question = audit.protocol.question(row.question_id)
            subject = subjects.get(row.subject_id)
            if question.per_subject and (subject is None or subject.kind != question.subject):
                raise ImportRefused(
                    f"{where}: subject {row.subject_id!r} is not a {question.subject} of this audit"
                )
            if not question.per_subject and row.subject_id:
                raise ImportRefused(f"{where}: answered once for the audit, takes no subject")
            if row.value is not None and audit.parse_value(question, row.value) != row.value:
                raise ImportRefused(f"{where}: value {row.value!r} is not in stored form")
        scores = scores_to_json(audit.score())
        problems = verify(audit.store).problems  # every table as its journal says
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ImportRefused(f"{source}: the rows do not match the journal: {problems[0]}{more}")
    if "scores" in data and data["scores"] != scores:
        raise ImportRefused(
            f"{source}: the scores recomputed from the rows differ from the "
            f"exported scores; the file was changed after export"
        )


def import_audit(source: Path, target: Path, force: bool = False) -> Path:
    """Create audit file ``target`` from JSON export ``source``; refused imports write nothing.

    The target is built under a temporary name and renamed into place only once it checks out.
    """
    if target.exists() and not force:
        raise AuditkitError(f"{target}: already exists; use --force to overwrite it")
    if target.is_dir():
        raise AuditkitError(f"{target}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise AuditkitError(f"{target.parent}: no such folder")
    data = _load(source)
    files = _protocol_files(source, data)
    _journal(source, data)  # refused here, before any file is written
    with built_beside(target, guard=taking_name) as temp:
        _write(temp, source, data, files)
        try:
            _check(temp, source, data)
        except AuditkitError as exc:
            if isinstance(exc, ImportRefused):
                raise
            raise ImportRefused(
                f"{source}: {str(exc).replace(str(temp), 'the imported audit')}"
            ) from None
    return target
