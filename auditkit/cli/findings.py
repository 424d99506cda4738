"""Findings and the action plan: finding, actions, action."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, emit_json
from auditkit.rules import actions as plan_rules
from auditkit.rules import findings as finding_rules

AUDIT_FILE = click.Path(path_type=Path)
REASON_HELP = "Why a finalized audit is changed (recorded in the journal)."


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.argument("item")
@click.option("--note", default=None, help="The justification note of the item as a whole.")
@click.option("--sfi", default=None, help="The suggestion for improvement, in your words.")
@click.option("--priority", type=click.Choice(finding_rules.PRIORITIES), default=None)
@click.option(
    "--key/--not-key",
    "key",
    default=None,
    help="A key SFI goes to the executive summary (--not-key takes it out).",
)
@click.option(
    "--draft", is_flag=True, help="Print a proposed SFI from the item and its notes (not saved)."
)
@click.option("--reason", default=None, help=REASON_HELP)
def finding(
    file: Path,
    item: str,
    note: str | None,
    sfi: str | None,
    priority: str | None,
    key: bool | None,
    draft: bool,
    reason: str | None,
) -> None:
    """The justification note and SFI of a scored ITEM (a criterion or a stand-alone question).

    Options not given stay as they were; with none, the finding is shown.
    """
    changing = any(v is not None for v in (note, sfi, priority, key))
    with Audit.open(file, write=changing) as audit:
        scored = finding_rules.scored_item(audit, item)
        with audit.amending(reason):
            saved = finding_rules.set_finding(audit, scored.id, note, sfi, priority, key)
        click.echo(f"{scored.id}  {scored.text}")
        click.echo(f"  note:     {saved.note or '(none)'}")
        click.echo(f"  SFI:      {saved.sfi or '(none)'}")
        click.echo(
            f"  priority: {saved.priority or '(not set)'}{'   KEY SFI' if saved.key else ''}"
        )
        if draft:
            notes = [r.note for r in audit.answers() if r.question_id in scored.parts and r.note]
            click.echo(f"  draft:    {finding_rules.draft_sfi(scored, [saved.note, *notes])}")


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def actions(file: Path, as_json: bool) -> None:
    """The action plan: one action per SFI, with owner, due date and status."""
    with Audit.open(file) as audit:
        plan = plan_rules.sorted_plan(plan_rules.action_plan(audit))
    if as_json:
        emit_json([a.to_json() for a in plan])
        return
    if not plan:
        click.echo("no actions: an action comes from each SFI ('auditkit finding FILE ITEM --sfi')")
        return
    for a in plan:
        late = "  OVERDUE" if a.overdue() else ""
        carried = "  (carried from the last audit)" if a.carried else ""
        click.echo(
            f"{a.id:<16} {a.priority or '-':<7} {a.status:<12} "
            f"{a.owner or 'no owner':<20} {a.due or 'no due date'}{late}{carried}"
        )
        click.echo(f"    {a.text}")


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.argument("action_id", metavar="ID")
@click.option("--owner", default=None, help="Who at the employer carries the action out.")
@click.option("--due", default=None, help="Due date, YYYY-MM-DD ('' clears it).")
@click.option("--status", type=click.Choice(plan_rules.STATUSES), default=None)
@click.option("--reason", default=None, help=REASON_HELP)
def action(
    file: Path,
    action_id: str,
    owner: str | None,
    due: str | None,
    status: str | None,
    reason: str | None,
) -> None:
    """Set the owner, due date or status of action ID (see 'auditkit actions')."""
    if due is not None:
        plan_rules.parse_due(due)  # refuse a bad date before opening the file for writing
    with Audit.open(file, write=True) as audit, audit.amending(reason):
        saved = plan_rules.set_action(audit, action_id, owner, due, status)
    click.echo(
        f"{saved.id}: {saved.status}, {saved.owner or 'no owner'}, {saved.due or 'no due date'}"
    )
