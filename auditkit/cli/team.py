"""Working as a team and closing: merge, conflicts, verify, log, finalize and the QA check
that gates it."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, echo, emit_json
from auditkit.rules.finalize import finalize as finalize_audit
from auditkit.rules.qa_check import check_audit
from auditkit.rules.scoring import display_percent
from auditkit.team.conflicts import Conflict
from auditkit.team.conflicts import conflicts as list_conflicts
from auditkit.team.history import describe, entries_for, subject_labels
from auditkit.team.merge import merge as merge_files
from auditkit.team.seal import seal_of
from auditkit.team.verify import verify_file

AUDIT_FILE = click.Path(path_type=Path)
SHOWN_PROBLEMS = 20


@cli.command()
@click.argument("out", type=AUDIT_FILE)
@click.argument("inputs", nargs=-1, required=True, type=AUDIT_FILE)
def merge(out: Path, inputs: tuple[Path, ...]) -> None:
    """Merge the team's copies INPUTS of one audit into the new file OUT."""
    result = merge_files(out, list(inputs))
    echo(
        f"merged {len(inputs)} file(s) into {out}: {result.entries} journal entries, "
        f"{result.answers} answers, {result.subjects} subjects, {result.evidence} "
        f"evidence link(s)"
    )
    for path, count in result.brought.items():
        echo(f"  {path}: {count} change(s) no other file had")
    for note in result.notes:
        echo(f"  {note}")
    _print_conflicts(result.conflicts, out)


@cli.command()
@click.argument("file", type=AUDIT_FILE)
def conflicts(file: Path) -> None:
    """Answers changed differently in merged files, with the side kept."""
    with Audit.open(file) as audit:
        found = list_conflicts(audit)
    if not found:
        echo(f"{file}: no conflicts")
    _print_conflicts(found, file)


def _print_conflicts(found: list[Conflict], file: Path) -> None:
    if not found:
        return
    echo(
        f"{len(found)} conflict(s): the later change was kept; to keep another, "
        f"answer again (auditkit answer {file} …) or pick it in the TUI:"
    )
    for conflict in found:
        echo(f"  {conflict.describe()}")


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option(
    "--seal",
    default=None,
    metavar="HASH",
    help="The seal a report or JSON export printed: check the journal still holds it.",
)
def verify(file: Path, seal: str | None) -> None:
    """Check that FILE was not changed outside auditkit (exit 1 naming what differs)."""
    report = verify_file(file, seal=seal)
    if report.ok:
        echo(report.summary())
        return
    echo(report.summary(), err=True)
    for problem in report.problems[:SHOWN_PROBLEMS]:
        echo(f"  {problem}", err=True)
    if len(report.problems) > SHOWN_PROBLEMS:
        echo(f"  … and {len(report.problems) - SHOWN_PROBLEMS} more", err=True)
    raise click.exceptions.Exit(1)


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--question", "question_id", default=None, help="Only this question's history.")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
def log(file: Path, question_id: str | None, as_json: bool) -> None:
    """The history of FILE: who changed what, when, and why (after finalizing)."""
    with Audit.open(file) as audit:
        if question_id is not None:
            question_id = audit.question(question_id).id
        labels = subject_labels(audit)
        entries = entries_for(audit, question_id)
    if as_json:
        emit_json(
            [
                {
                    "at": e.at,
                    "author": e.author,
                    "action": e.action,
                    "key": e.key,
                    "change": describe(e, labels),
                    "before": e.before_data(),
                    "after": e.after_data(),
                    "reason": e.reason,
                    "hash": e.hash,
                }
                for e in entries
            ]
        )
        return
    for e in entries:
        reason = f"  [reason: {e.reason}]" if e.reason else ""
        echo(f"{e.at[:19].replace('T', ' ')}  {e.author or '-':<14} {describe(e, labels)}{reason}")


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option(
    "--deviation",
    default=None,
    metavar="TEXT",
    help="Why the sample falls short: accepts the sample.* problems of 'check', printed in the "
    "report's scope.",
)
def finalize(file: Path, deviation: str | None) -> None:
    """Lock a complete audit that passes the QA check; later changes need --reason."""
    with Audit.open(file, write=True) as audit:
        scores = finalize_audit(audit, deviation)
        sealed = seal_of(audit.store)
    verdict = "PASS" if scores.passed else "FAIL"
    echo(
        f"finalized {file}: {scores.answered} of {scores.total} questions answered, "
        f"overall {display_percent(scores.percent)} {verdict}; later changes need "
        f"--reason"
    )
    if sealed is not None:
        echo(f"seal: {sealed.finalized}  (check a copy with: auditkit verify FILE --seal HASH)")


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
            echo(problem.describe())
        verdict = "submittable" if result.ok else "not submittable"
        echo(f"{file}: {verdict}: {errors} error(s), {warnings} warning(s)")
    return 0 if result.ok else 1
