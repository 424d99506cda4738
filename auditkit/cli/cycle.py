"""The COR cycle: compare two audits of one employer."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, emit_json
from auditkit.rules.cycle import compare as compare_audits

AUDIT_FILE = click.Path(path_type=Path)


def _shown(value: float | None, sign: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if sign else f"{value:.1f} %"


@cli.command()
@click.argument("old", type=AUDIT_FILE)
@click.argument("new", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def compare(old: Path, new: Path, as_json: bool) -> None:
    """Element and overall scores of two audits of one employer (OLD, then NEW), and the change."""
    with Audit.open(old) as before, Audit.open(new) as after:
        result = compare_audits(before, after)
    if as_json:
        emit_json(result)
        return
    click.echo(f"{'Element':<56} {'old':>8} {'new':>8} {'change':>7}")
    for e in result["elements"]:
        click.echo(
            f"{e['title'][:56]:<56} {_shown(e['old']):>8} {_shown(e['new']):>8} "
            f"{_shown(e['change'], True):>7}"
        )
    o = result["overall"]
    click.echo(
        f"{'Overall':<56} {_shown(o['old']):>8} {_shown(o['new']):>8} "
        f"{_shown(o['change'], True):>7}"
    )
