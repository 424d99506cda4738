"""The COR cycle: compare two audits of one employer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, emit_json
from auditkit.errors import UsageError
from auditkit.rules.cycle import compare as compare_audits
from auditkit.rules.cycle import new_from

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


def new_from_previous(
    file: Path,
    previous: Path,
    company: str | None,
    protocol: str,
    purpose: str | None,
    counts: tuple[int, ...],
    auditors: tuple[str, ...],
    sites: tuple[str, ...],
    profile: dict[str, Any],
) -> None:
    """``new --from``: next year's audit; options given on top change the carried profile."""
    head_office = profile.pop("head_office", "") or ""
    levels = profile.pop("staff", None)
    if company is not None:
        raise UsageError(
            f"--company is refused with --from: {previous} names the employer of the new audit"
        )
    if protocol:
        raise UsageError("--protocol is refused with --from: the audit keeps its protocol")
    with new_from(file, previous, purpose) as audit:
        changes: dict[str, object] = {k: v for k, v in profile.items() if v}
        if counts:
            changes.update(headcounts=list(counts), workers=max(counts))
        if auditors:
            changes["auditors"] = list(auditors)
        if changes:
            audit.update_profile(**changes)
        known = {s.label for s in audit.subjects("site")}
        for site in sites:
            if site not in known:
                audit.add_subject("site", site)
        if levels:
            audit.set_staff(levels)
        if head_office:
            audit.set_head_office(head_office)
        carried = sum(1 for a in audit.store.actions().values() if a["carried_from"])
        click.echo(
            f"created {file} from {previous}: {audit.profile['company']}, "
            f"{audit.purpose} audit, {len(audit.subjects('site'))} site(s), "
            f"{carried} open action(s) carried"
        )
