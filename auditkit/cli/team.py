"""Team and trust commands: merge, conflicts, verify, log, evidence, finalize."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, echo, emit_json
from auditkit.rules.finalize import finalize as finalize_audit
from auditkit.rules.scoring import display_percent
from auditkit.store.audit_file import Store
from auditkit.store.evidence import add_evidence, evidence, file_size
from auditkit.team.conflicts import Conflict
from auditkit.team.conflicts import conflicts as list_conflicts
from auditkit.team.history import describe, entries_for, subject_labels
from auditkit.team.merge import merge as merge_files
from auditkit.team.seal import seal_of
from auditkit.team.verify import verify_file

AUDIT_FILE = click.Path(path_type=Path)
SHOWN_PROBLEMS = 20
REASON_HELP = "Why a finalized audit is changed (recorded in the journal)."


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
    with Store.open(file) as store:
        found = list_conflicts(store)
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
        labels = subject_labels(audit.store)
        entries = entries_for(audit.store, question_id)
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


@cli.group(name="evidence")
def evidence_group() -> None:
    """Photos, PDFs and scans attached to answers."""


@evidence_group.command("add")
@click.argument("file", type=AUDIT_FILE)
@click.argument("question")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--subject", "subject_ref", default=None, help="Subject id or label.")
@click.option("--caption", default="", help="What the files show.")
@click.option("--reason", default=None, help=REASON_HELP)
def evidence_add(
    file: Path,
    question: str,
    paths: tuple[Path, ...],
    subject_ref: str | None,
    caption: str,
    reason: str | None,
) -> None:
    """Attach PATHS to the answer of QUESTION; stored inside FILE."""
    with Audit.open(file, write=True) as audit, audit.amending(reason):
        added = add_evidence(audit, question, paths, subject=subject_ref, caption=caption)
    skipped = len(paths) - len(added)
    for item in added:
        echo(
            f"attached {item.filename} ({file_size(item.size)}, sha256 {item.sha256[:12]}) "
            f"to {item.question_id}"
        )
    if skipped:
        echo(f"{skipped} file(s) already attached to that answer")


@evidence_group.command("list")
@click.argument("file", type=AUDIT_FILE)
@click.option("--question", "question_id", default=None)
def evidence_list(file: Path, question_id: str | None) -> None:
    """The files attached to FILE's answers."""
    with Audit.open(file) as audit:
        labels = subject_labels(audit.store)
        items = evidence(audit.store, question_id)
    for item in items:
        where = f" {labels.get(item.subject_id, item.subject_id)}" if item.subject_id else ""
        caption = f"  {item.caption}" if item.caption else ""
        echo(
            f"{item.question_id}{where}  {item.filename}  {file_size(item.size)}  "
            f"{item.sha256[:12]}{caption}"
        )


@cli.command()
@click.argument("file", type=AUDIT_FILE)
def finalize(file: Path) -> None:
    """Lock a complete audit; later changes need --reason."""
    with Audit.open(file, write=True) as audit:
        scores = finalize_audit(audit)
        sealed = seal_of(audit.store)
    verdict = "PASS" if scores.passed else "FAIL"
    echo(
        f"finalized {file}: {scores.answered} of {scores.total} questions answered, "
        f"overall {display_percent(scores.percent)} {verdict}; later changes need "
        f"--reason"
    )
    if sealed is not None:
        echo(f"seal: {sealed.finalized}  (check a copy with: auditkit verify FILE --seal HASH)")
