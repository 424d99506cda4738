"""Core commands: new, questions, subject add, answer, score, validate, eligibility."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audit import MAX_HEADCOUNT, Audit, Profile, parse_headcounts
from auditkit.cli.group import cli, echo, emit_json
from auditkit.errors import UsageError
from auditkit.protocol.model import PROTOCOL_FILE, PURPOSES, ProtocolInvalid, load_protocol, resolve
from auditkit.resources import checklists_dir
from auditkit.rules.eligibility import certificate_for
from auditkit.rules.incidents import FIELDS as INCIDENT_FIELDS
from auditkit.rules.scoring import display_percent, scores_to_json
from auditkit.store.audit_file import SUBJECT_KINDS

AUDIT_FILE = click.Path(path_type=Path)
REASON_HELP = "Why a finalized audit is changed (recorded in the journal)."


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--company", required=True, help="Legal name of the employer.")
@click.option(
    "--protocol",
    default="",
    help="cor, secor or a protocol folder (default: from --headcount, else cor).",
)
@click.option("--purpose", type=click.Choice(PURPOSES), default="certification", show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=0, max=MAX_HEADCOUNT),
    help="Largest headcount of the past 12 months (shorthand for one --headcount).",
)
@click.option(
    "--headcount",
    "headcounts",
    multiple=True,
    help="Monthly headcounts of the past 12 months: repeat the option, or give them as 38,41,44.",
)
@click.option("--auditor", "auditors", multiple=True, help="Auditor name (repeatable).")
@click.option("--site", "sites", multiple=True, help="A site in scope (repeatable).")
@click.option("--address", default="")
@click.option("--contact", default="")
@click.option("--wcb-account", default="")
@click.option("--industry-code", default="")
@click.option("--operations", default="", help="What the employer does.")
@click.option("--start-date", default="", help="First day on site (YYYY-MM-DD; default today).")
@click.option("--end-date", default="")
def new(
    file: Path,
    company: str,
    protocol: str,
    purpose: str,
    workers: int | None,
    headcounts: tuple[str, ...],
    auditors: tuple[str, ...],
    sites: tuple[str, ...],
    **profile: str,
) -> None:
    """Create an audit FILE for one employer."""
    counts = parse_headcounts(headcounts) + ((workers,) if workers is not None else ())
    with Audit.create(
        file,
        Profile(
            company=company,
            protocol=protocol,
            purpose=purpose,
            headcounts=counts,
            auditors=auditors,
            sites=sites,
            **profile,
        ),
    ) as audit:
        total = len(audit.protocol.questions)
        if counts and not protocol:
            # The certificate came from the headcounts: say which, and how to choose the other.
            found = certificate_for(counts[-12:])
            other = " (give --protocol cor for COR)" if "COR" in found.choices[1:] else ""
            echo(f"{audit.protocol.certificate} from the headcounts: {found.reason}{other}")
        echo(
            f"created {file}: {audit.protocol.title} ({audit.protocol.certificate}, "
            f"{purpose}), {total} questions, {len(sites)} site(s)"
        )


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def questions(file: Path, as_json: bool) -> None:
    """List the audit's questions."""
    with Audit.open(file) as audit:
        rows = [
            {
                "id": q.id,
                "element": q.element,
                "component": q.component,
                "subject": q.subject,
                "text": q.text,
                "methods": list(q.methods),
                "points": q.points,
                "scoring": q.scoring,
                "criterion": q.criterion or None,
            }
            for q in audit.protocol.questions
        ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        # A part's points are its criterion's: show which criterion instead.
        points = f"{row['points']:>3} pts" if not row["criterion"] else f"-> {row['criterion']:<4}"
        echo(f"{row['id']:<8} {points}  {row['component']:<14} {row['text']}")


@cli.group()
def subject() -> None:
    """Sites, interviewees and incident records."""


@subject.command("add")
@click.argument("file", type=AUDIT_FILE)
@click.option("--kind", type=click.Choice(SUBJECT_KINDS), required=True)
@click.option(
    "--label",
    required=True,
    help="Site name, interviewee code or incident reference. Never an interviewee's name.",
)
@click.option(
    "--role", default="", help="Interviewees: senior_manager, manager, supervisor or worker."
)
@click.option("--site", default="", help="The site (id or label) the subject belongs to.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="KEY=VALUE",
    help=f"Incidents: a record field ({', '.join(INCIDENT_FIELDS)}); repeatable.",
)
@click.option("--reason", default=None, help=REASON_HELP)
def subject_add(
    file: Path,
    kind: str,
    label: str,
    role: str,
    site: str,
    fields: tuple[str, ...],
    reason: str | None,
) -> None:
    """Add a subject; prints its id alone."""
    record = {}
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--field {item!r}: expected KEY=VALUE")
        record[key.strip()] = value
    with Audit.open(file, write=True) as audit, audit.amending(reason):
        added = audit.add_subject(kind, label, role=role, site=site, fields=record or None)
    echo(added.id)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("file", type=AUDIT_FILE)
@click.argument("question")
@click.argument("value")
@click.option("--subject", "subject_ref", default=None, help="Subject id or label.")
@click.option("--note", default=None, help="The auditor's note for this answer.")
@click.option("--reason", default=None, help=REASON_HELP)
def answer(
    file: Path,
    question: str,
    value: str,
    subject_ref: str | None,
    note: str | None,
    reason: str | None,
) -> None:
    """Record VALUE (yes|no|partial|na|POINTS) for QUESTION."""
    with Audit.open(file, write=True) as audit:
        with audit.amending(reason):
            saved = audit.answer(question, value, subject=subject_ref, note=note)
        where = f" for {audit.find_subject(saved.subject_id).label}" if saved.subject_id else ""
        echo(f"saved {saved.question_id}{where}: {saved.value}")


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of DESIGN.md.")
def score(file: Path, as_json: bool) -> None:
    """Scores per element and overall, against the pass rule of the audit's purpose."""
    with Audit.open(file) as audit:
        scores = audit.score()
    if as_json:
        emit_json(scores_to_json(scores))
        return
    for element in scores.elements:
        mark = "  FAIL" if element.failed else ""
        echo(
            f"{element.number:>2} {element.title[:52]:<52} {element.awarded:>5}/"
            f"{element.possible:<5} {display_percent(element.percent):>8}{mark}"
        )
    verdict = "PASS" if scores.passed else "FAIL"
    if not scores.complete:
        verdict += " so far"
    echo(
        f"   {'Overall':<52} {scores.awarded:>5}/{scores.possible:<5} "
        f"{display_percent(scores.percent):>8}  {verdict} "
        f"({scores.rule.purpose}: {scores.rule.describe()})"
    )
    if not scores.complete:
        echo(f"INCOMPLETE: {scores.unanswered} of {scores.total} questions unanswered")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Validate protocol folders (default: the bundled ones); every problem as FILE:LINE."""
    targets = list(paths) or sorted(p.parent for p in checklists_dir().glob(f"*/{PROTOCOL_FILE}"))
    failed = False
    for target in targets:
        folder = (
            resolve(target) if target.name == PROTOCOL_FILE or target.is_dir() else target.parent
        )
        try:
            protocol = load_protocol(folder)
        except ProtocolInvalid as exc:
            failed = True
            for problem in exc.problems:
                echo(str(problem), err=True)
            continue
        per_element = ", ".join(
            f"{e.number} {protocol.item_points(e.id)}" for e in protocol.elements
        )
        criteria = f"{len(protocol.criteria)} criteria, " if protocol.criteria else ""
        echo(
            f"{folder}: ok: {protocol.id} {protocol.version}, "
            f"{len(protocol.questions)} questions, {criteria}{protocol.item_points()} points "
            f"(per element: {per_element})"
        )
    if failed:
        raise click.exceptions.Exit(1)


@cli.command()
@click.option(
    "--headcount",
    "headcounts",
    multiple=True,
    required=True,
    help="Monthly headcounts of the past 12 months: --headcount 8 9 12 ...",
)
@click.argument("more", nargs=-1)
@click.option("--json", "as_json", is_flag=True)
def eligibility(headcounts: tuple[str, ...], more: tuple[str, ...], as_json: bool) -> None:
    """COR or SECOR, from the monthly headcounts of the past 12 months."""
    result = certificate_for(parse_headcounts(headcounts + more))
    if as_json:
        emit_json(
            {
                "certificate": result.certificate,
                "choices": list(result.choices),
                "largest": result.largest,
                "reason": result.reason,
            }
        )
    else:
        echo(result.reason)
