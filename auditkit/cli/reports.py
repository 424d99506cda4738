"""Export and import commands: the final report and data out, a JSON export back in."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, echo
from auditkit.export import FORMATS, default_output, export
from auditkit.export.jsonio import import_audit

PATH = click.Path(path_type=Path)


@cli.command("export")
@click.argument("file", type=PATH)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="md, html, docx (the report), csv, json (the data) or bundle (a zip of all).",
)
@click.option(
    "-o",
    "--output",
    type=PATH,
    default=None,
    help="Output file (default: beside FILE, e.g. acme.docx; acme.zip for a bundle).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def export_command(file: Path, fmt: str, output: Path | None, force: bool) -> None:
    """Write the final report or the data of audit FILE."""
    target = output or default_output(file, fmt)
    with Audit.open(file) as audit:
        export(audit, fmt, target, force=force)
        scores = audit.score()
    state = (
        ""
        if scores.complete
        else f" (DRAFT: {scores.unanswered} of {scores.total} scored items unanswered)"
    )
    echo(f"wrote {target}{state}")


@cli.command("import")
@click.argument("source", metavar="JSON", type=PATH)
@click.argument("newfile", type=PATH)
@click.option("--force", is_flag=True, help="Overwrite NEWFILE if it exists.")
def import_command(source: Path, newfile: Path, force: bool) -> None:
    """Create audit NEWFILE from a JSON export (scores, notes, subjects, journal: all of it)."""
    import_audit(source, newfile, force=force)
    with Audit.open(newfile) as audit:
        answers = len(audit.answers())
        subjects = len(audit.subjects())
        company = audit.profile["company"]
    echo(f"created {newfile}: {company}, {subjects} subjects, {answers} answers")
