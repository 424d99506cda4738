"""The QA check command: what a Certifying Partner's QA reviewer would send back."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, emit_json
from auditkit.rules.qa_check import check_audit

AUDIT_FILE = click.Path(path_type=Path)


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def check(file: Path, as_json: bool) -> int:
    """What a CP's QA reviewer would send back; exit 1 while any problem is an error.

    Unanswered items (saying why a role-only question cannot be answered), the interview
    sample by level, site visits and the head office, justification notes and N/A reasons
    where the protocol asks for them, and the audit's dates.
    """
    with Audit.open(file) as audit:
        result = check_audit(audit)
    if as_json:
        emit_json(result.to_json())
    else:
        errors = len(result.errors)
        warnings = len(result.problems) - errors
        for problem in result.problems:
            click.echo(problem.describe())
        verdict = "submittable" if result.ok else "not submittable"
        click.echo(f"{file}: {verdict}: {errors} error(s), {warnings} warning(s)")
    return 0 if result.ok else 1
