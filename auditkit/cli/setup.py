"""Setting an audit up: new, profile, subject add, eligibility, validate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from auditkit.audit import MAX_HEADCOUNT, Audit, Profile, parse_headcounts, parse_staff
from auditkit.cli.group import cli, echo, emit_json, warn
from auditkit.errors import UsageError
from auditkit.protocol.model import PROTOCOL_FILE, ProtocolInvalid, load_protocol, resolve
from auditkit.resources import checklists_dir
from auditkit.rules import training
from auditkit.rules.cycle import previous_of
from auditkit.rules.eligibility import certificate_for
from auditkit.rules.incidents import FIELDS as INCIDENT_FIELDS
from auditkit.rules.interviews import RECORD_FIELDS as INTERVIEW_FIELDS
from auditkit.rules.lifecycle import parse_day
from auditkit.rules.sampling import check_cp_numbers, declared_staff
from auditkit.vocabulary import PURPOSES, SUBJECT_KINDS

AUDIT_FILE = click.Path(path_type=Path)
REASON_HELP = "Why a finalized audit is changed (recorded in the journal)."
TEXT_FIELDS = (
    "address",
    "contact",
    "wcb_account",
    "industry_code",
    "operations",
    "start_date",
    "end_date",
    "partner",
    "auditor_number",
    "review_start",
    "review_end",
)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def shared_profile_options(unset: str | None) -> Callable[[_Command], _Command]:
    """The options ``new`` and ``profile`` both take: workforce size, staff by level, head office
    and the profile's text fields. A text field not given is ``unset``: "" (empty) for a new
    audit, None (left as it is) for ``profile``."""
    default_today = "; default today" if unset == "" else ""
    options = [
        click.option(
            "--workers",
            type=click.IntRange(min=0, max=MAX_HEADCOUNT),
            help="Largest headcount of the past 12 months (shorthand for one --headcount).",
        ),
        click.option(
            "--headcount",
            "headcounts",
            multiple=True,
            help="Monthly headcounts of the past 12 months: repeat the option, or give them as "
            "38,41,44.",
        ),
        click.option(
            "--staff",
            "staff",
            multiple=True,
            metavar="LEVEL=N,...",
            help="Staff by level: senior_manager=N,manager=N,supervisor=N,worker=N (or repeated).",
        ),
        click.option(
            "--head-office",
            default=unset,
            metavar="NAME",
            help="The site that is the head office (always visited; added as a site if new).",
        ),
        click.option("--address", default=unset),
        click.option("--contact", default=unset),
        click.option("--wcb-account", default=unset),
        click.option("--industry-code", default=unset),
        click.option("--operations", default=unset, help="What the employer does."),
        click.option(
            "--start-date", default=unset, help=f"First day on site (YYYY-MM-DD{default_today})."
        ),
        click.option("--end-date", default=unset, help="Last day on site (YYYY-MM-DD)."),
        click.option("--partner", default=unset, help="The certifying partner (e.g. ACSA)."),
        click.option("--auditor-number", default=unset, help="The auditor's certification number."),
        click.option(
            "--review-start", default=unset, help="Records review period: first day (YYYY-MM-DD)."
        ),
        click.option(
            "--review-end", default=unset, help="Records review period: last day (YYYY-MM-DD)."
        ),
    ]

    def decorate(command: _Command) -> _Command:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--company", default=None, help="Legal name of the employer.")
@click.option(
    "--from",
    "previous",
    type=AUDIT_FILE,
    default=None,
    help="Last year's audit of the same employer: carry its profile, sites, open actions.",
)
@click.option(
    "--protocol",
    default="",
    help="cor, secor or a protocol folder (default: from --headcount, else cor).",
)
@click.option(
    "--purpose",
    type=click.Choice(PURPOSES),
    default=None,
    help="certification (default), or with --from maintenance (default) or recertification.",
)
@click.option("--auditor", "auditors", multiple=True, help="Auditor name (repeatable).")
@click.option("--site", "sites", multiple=True, help="An active site of the employer (repeatable).")
@shared_profile_options(unset="")
def new(
    file: Path,
    company: str | None,
    previous: Path | None,
    protocol: str,
    purpose: str | None,
    workers: int | None,
    headcounts: tuple[str, ...],
    auditors: tuple[str, ...],
    sites: tuple[str, ...],
    head_office: str,
    staff: tuple[str, ...],
    **profile: str,
) -> None:
    """Create an audit FILE for one employer."""
    for name in ("review_start", "review_end"):
        if profile[name]:
            profile[name] = parse_day(profile[name], "--" + name.replace("_", "-"))
    counts = parse_headcounts(headcounts) + ((workers,) if workers is not None else ())
    levels = parse_staff(staff) if staff else None
    if previous is not None:
        from auditkit.cli.cycle import new_from_previous  # only when starting from last year

        new_from_previous(
            file,
            previous,
            company,
            protocol,
            purpose,
            counts,
            auditors,
            sites,
            {**profile, "staff": levels, "head_office": head_office},
        )
        return
    if company is None:
        raise UsageError("new needs --company NAME (or --from LAST_YEARS_AUDIT)")
    purpose = purpose or "certification"
    with Audit.create(
        file,
        Profile(
            company=company,
            protocol=protocol,
            purpose=purpose,
            headcounts=counts,
            auditors=auditors,
            sites=sites,
            staff=levels,
            head_office=head_office,
            **profile,
        ),
    ) as audit:
        total = len(audit.protocol.questions)
        in_scope = len(audit.subjects("site"))
        if counts and not protocol:
            # The certificate came from the headcounts: say which, and how to choose the other.
            found = certificate_for(counts[-12:])
            other = " (give --protocol cor for COR)" if "COR" in found.choices[1:] else ""
            echo(f"{audit.protocol.certificate} from the headcounts: {found.reason}{other}")
        echo(
            f"created {file}: {audit.protocol.title} ({audit.protocol.certificate}, "
            f"{purpose}), {total} questions, {in_scope} site(s)"
        )
        if levels is not None and not levels["senior_manager"]:
            warn_no_senior_manager()


def warn_no_senior_manager() -> None:
    """The most senior person in scope is always interviewed: say so when --staff has none."""
    warn(
        "note: --staff names no senior manager; the most senior person in scope is always "
        "interviewed (count them as senior_manager=1)"
    )


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@shared_profile_options(unset=None)
@click.option(
    "--completed-course",
    "completed",
    multiple=True,
    metavar="COURSE",
    help="A course the company has completed (repeatable).",
)
@click.option(
    "--not-completed",
    "not_completed",
    multiple=True,
    metavar="COURSE",
    help="Take a course off the completed list (repeatable).",
)
@click.option(
    "--interviews-required",
    type=click.IntRange(min=1),
    help="The CP's number of interviews, where the table leaves it to the CP (550+).",
)
@click.option(
    "--sites-required",
    type=click.IntRange(min=1),
    help="The CP's number of site visits, where the table leaves it to the CP (31+ sites).",
)
@click.option("--reason", default=None, help=REASON_HELP)
def profile(
    file: Path,
    workers: int | None,
    headcounts: tuple[str, ...],
    completed: tuple[str, ...],
    not_completed: tuple[str, ...],
    staff: tuple[str, ...],
    head_office: str | None,
    interviews_required: int | None,
    sites_required: int | None,
    reason: str | None,
    **fields: str | None,
) -> None:
    """Show the company profile, or change it (workforce size, staff by level, sites, the CP's
    sample numbers, completed courses, details)."""
    counts = parse_headcounts(headcounts) + ((workers,) if workers is not None else ())
    levels = parse_staff(staff) if staff else None
    for course_id in completed + not_completed:
        training.check_course(course_id)
    if head_office is not None and not head_office.strip():
        raise click.UsageError("--head-office needs a site name")
    changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    for name in ("review_start", "review_end"):
        if changes.get(name):
            changes[name] = parse_day(changes[name], "--" + name.replace("_", "-"))
    changing = bool(
        counts
        or completed
        or not_completed
        or changes
        or levels
        or head_office
        or interviews_required
        or sites_required
    )
    with Audit.open(file, write=changing) as audit:
        if counts:
            changes["headcounts"] = list(counts)
            changes["workers"] = max(counts)
        if levels is not None:
            changes["staff"] = json.dumps(levels)
        check_cp_numbers(
            audit.protocol,
            {**audit.profile, **changes},
            len(audit.subjects("site")),
            interviews_required,
            sites_required,
        )
        if interviews_required is not None:
            changes["interviews_required"] = interviews_required
        if sites_required is not None:
            changes["sites_required"] = sites_required
        if completed or not_completed:
            have = training.completed_courses(audit)
            courses = [c for c in have if c not in not_completed]
            courses += [c for c in dict.fromkeys(completed) if c not in courses]
            if courses != have:
                changes["completed_courses"] = courses
        with audit.amending(reason):
            if changes:
                audit.update_profile(**changes)
            if head_office:
                audit.set_head_office(head_office)
        if levels is not None and not levels["senior_manager"]:
            warn_no_senior_manager()
        if counts or levels:
            _warn_certificate(counts or (sum((levels or {}).values()),), audit.protocol.certificate)
        for line in _profile_lines(audit):
            echo(line)


def _warn_certificate(counts: tuple[int, ...], certificate: str) -> None:
    found = certificate_for(counts[-12:])
    if certificate not in found.choices:
        warn(
            f"note: a largest headcount of {max(counts)} qualifies for "
            f"{' or '.join(found.choices)}; this audit stays {certificate} (its protocol "
            f"does not change)"
        )


def _profile_lines(audit: Audit) -> list[str]:
    row = audit.profile
    done = training.completed_courses(audit)
    workers = row.get("workers")
    staff = declared_staff(row)
    lines = [
        f"company:           {row['company']}",
        f"certificate:       {row['certificate']} ({row['purpose']})",
        f"workers:           {workers if workers is not None else 'unknown'}",
    ]
    if staff is not None:
        by_level = ", ".join(f"{r.replace('_', ' ')} {n}" for r, n in staff.items())
        lines.append(f"staff:             {by_level} (workforce {sum(staff.values())})")
    sites = audit.subjects("site")
    head = next((s.label for s in sites if s.id == row.get("head_office")), None)
    if sites:
        named = "; ".join(s.label + (" (head office)" if s.label == head else "") for s in sites)
        lines.append(f"active sites:      {named}")
    for key in ("interviews_required", "sites_required"):
        if row.get(key) is not None:
            lines.append(f"{key.replace('_', ' ') + ' (CP):'} {row[key]}")
    lines.append(f"completed courses: {', '.join(done) if done else 'none recorded'}")
    lines += [
        f"{name.replace('_', ' ') + ':':<19}{row[name]}" for name in TEXT_FIELDS if row.get(name)
    ]
    last = previous_of(audit)
    if last:
        overall = last.get("overall")
        score = f", {overall:.1f} %" if isinstance(overall, int | float) else ""
        lines.append(
            f"{'previous audit:':<19}{last.get('purpose')} {last.get('start_date')}{score} "
            f"(auditkit compare OLD {audit.path})"
        )
    return lines


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
    help=f"Incidents: a record field ({', '.join(INCIDENT_FIELDS)}); interviewees: "
    f"{', '.join(INTERVIEW_FIELDS)} (a job title, never a name); repeatable.",
)
@click.option(
    "--questionnaire",
    is_flag=True,
    help="Workers: answered in writing (at most half of the worker interviews count so).",
)
@click.option("--reason", default=None, help=REASON_HELP)
def subject_add(
    file: Path,
    kind: str,
    label: str,
    role: str,
    site: str,
    fields: tuple[str, ...],
    questionnaire: bool,
    reason: str | None,
) -> None:
    """Add a subject; prints its id alone."""
    record = _record(fields)
    with Audit.open(file, write=True) as audit, audit.amending(reason):
        added = audit.add_subject(
            kind, label, role=role, site=site, fields=record or None, questionnaire=questionnaire
        )
    echo(added.id)


@subject.command("update")
@click.argument("file", type=AUDIT_FILE)
@click.argument("subject_ref", metavar="SUBJECT")
@click.option(
    "--field",
    "fields",
    multiple=True,
    required=True,
    metavar="KEY=VALUE",
    help="A record field to set (KEY= with nothing after it clears it); repeatable.",
)
@click.option("--reason", default=None, help=REASON_HELP)
def subject_update(
    file: Path, subject_ref: str, fields: tuple[str, ...], reason: str | None
) -> None:
    """Correct the record of SUBJECT (id or label): an incident record's fields, or an
    interview's date, position and shift. The code, role and site stay: they decided the
    questions asked."""
    record = _record(fields)
    with Audit.open(file, write=True) as audit, audit.amending(reason):
        changed = audit.update_subject(audit.find_subject(subject_ref).id, fields=record)
    for key, value in sorted(changed.fields.items()):
        echo(f"{key}: {('yes' if value else 'no') if isinstance(value, bool) else value}")


def _record(fields: tuple[str, ...]) -> dict[str, str]:
    """``--field KEY=VALUE`` options as a record (refused, naming the option, without "=")."""
    record = {}
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--field {item!r}: expected KEY=VALUE")
        record[key.strip()] = value
    return record


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
