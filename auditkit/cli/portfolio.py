"""The firm's portfolio: publish, pull, portfolio (targets: a folder or a postgresql:// URL)."""

from __future__ import annotations

from contextlib import ExitStack
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import click

from auditkit.cli.group import cli, echo, emit_json
from auditkit.portfolio.pull import pull as pull_audit
from auditkit.portfolio.target import LocalCopy, open_target

AUDIT_FILE = click.Path(path_type=Path)
DB_HELP = "A folder of audit files or a postgresql:// URL (default: $AUDITKIT_DB)."


def db_option(function: Any) -> Any:
    return click.option("--db", "db", default=None, metavar="TARGET", help=DB_HELP)(function)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=AUDIT_FILE)
@db_option
def publish(files: tuple[Path, ...], db: str | None) -> None:
    """Send audit FILES to the portfolio; publishing again adds only what is new."""
    with ExitStack() as stack:
        copies = []
        for path in files:  # every file is checked before anything is sent
            copies.append(LocalCopy.read(path))
            stack.callback(copies[-1].close)
        target = open_target(db)
        stack.callback(target.close)
        for copy in copies:
            result = target.publish(copy)
            if not result.added:
                echo(
                    f"{result.path}: nothing new; {target.name} already holds its "
                    f"{result.entries:,} journal entries"
                )
                continue
            new = (
                "1 new journal entry"
                if result.added == 1
                else f"{result.added:,} new journal entries"
            )
            echo(
                f"published {result.path} ({result.company}) to {target.name}: {new}; the "
                f"audit now has {result.entries:,} entries, {result.answers or 0:,} answers"
            )
            for note in result.notes:
                echo(f"  {note}")


@cli.command()
@click.argument("audit")
@click.argument("out", type=AUDIT_FILE)
@db_option
def pull(audit: str, out: Path, db: str | None) -> None:
    """Merge every published copy of AUDIT (id or company) into the new file OUT."""
    with ExitStack() as stack:
        target = open_target(db)
        stack.callback(target.close)
        result = pull_audit(target, audit, out)
    echo(
        f"pulled {result.company} ({result.audit_id}) into {result.path}: {result.entries:,} "
        f"journal entries, {result.answers:,} answers, {result.subjects:,} subjects"
    )
    for note in result.notes:
        echo(f"  {note}")
    if result.conflicts:
        echo(
            f"{len(result.conflicts)} conflict(s): the later change was kept "
            f"(see 'auditkit conflicts {result.path}'):"
        )
        for conflict in result.conflicts:
            echo(f"  {conflict.describe()}")


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a list of objects.")
def portfolio(db: str | None, as_json: bool) -> None:
    """One row per published audit: score, pass, dates, actions, the next audit due."""
    with ExitStack() as stack:
        target = open_target(db)
        stack.callback(target.close)
        rows = target.rows()
    if as_json:
        emit_json(rows)
        return
    if not rows:
        echo(f"{target.name}: no audit published yet (auditkit publish FILE --db …)")
        return
    echo(format_table(rows))


def percent_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(repr(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


def format_table(rows: list[dict[str, Any]]) -> str:
    """The portfolio as aligned text columns."""
    header = ("company", "purpose", "on site", "auditor", "score", "", "actions", "next due")
    lines = [header]
    for row in rows:
        dates = row["start_date"] or "?"
        if row["end_date"] and row["end_date"] != row["start_date"]:
            dates += f"..{row['end_date']}"
        # a draft's score is not a result yet: PASS or FAIL only once finalized
        verdict = ("PASS" if row["passed"] else "FAIL") if row["finalized"] else "draft"
        actions = f"{row['open_actions']} open"
        if row["overdue_actions"]:
            actions += f", {row['overdue_actions']} overdue"
        lines.append(
            (
                row["company"],
                row["purpose"] or "",
                dates,
                row["auditor"] or "-",
                percent_text(row["percent"]),
                verdict,
                actions,
                row["next_audit_due"] or "-",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
