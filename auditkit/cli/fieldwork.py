"""Doing the audit: answer, questions, score, sample, recommend, evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from auditkit.audit import Audit
from auditkit.cli.group import cli, echo, emit_json, warn
from auditkit.rules import training
from auditkit.rules.attachments import add_evidence
from auditkit.rules.cycle import site_rotation
from auditkit.rules.sampling import SampleProgress, sample_progress
from auditkit.rules.scoring import display_percent, scores_to_json
from auditkit.store.evidence import evidence, file_size
from auditkit.team.history import subject_labels

AUDIT_FILE = click.Path(path_type=Path)
REASON_HELP = "Why a finalized audit is changed (recorded in the journal)."


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
        echo(f"INCOMPLETE: {scores.unanswered} of {scores.total} scored items unanswered")


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def sample(file: Path, as_json: bool) -> None:
    """Interviews (by role) and site visits required for the audit, and how many are done.

    An interviewee counts as interviewed, and a site as visited, once at least one answer is
    recorded for it.
    """
    with Audit.open(file) as audit:
        progress = sample_progress(audit)
        company, certificate = audit.profile["company"], audit.protocol.certificate
        rotation = site_rotation(audit)
    if as_json:
        emit_json(_sample_json(progress))
        return
    for line in _sample_lines(progress, company, certificate, file):
        echo(line)
    never = [label for label, visits in rotation if not visits]
    if never:
        echo(f"  not visited yet in this cycle (visit first): {'; '.join(never)}")


def _role(role: str) -> str:
    return role.replace("_", " ")


def _sample_json(progress: SampleProgress) -> dict[str, Any]:
    plan = progress.plan
    return {
        "workers": progress.workers,
        "interviews": {
            "required": progress.interviews_required,
            "done": progress.interviews_done,
            "everyone": plan.everyone if plan else None,
            "met": progress.interviews_met,
            "questionnaires_max": plan.questionnaires_max if plan else None,
            "roles": [
                {
                    "role": r.role,
                    "required": r.required,
                    "added": r.added,
                    "done": r.done,
                    "staff": r.staff,
                    "questionnaires": r.questionnaires,
                }
                for r in progress.roles
            ],
        },
        "sites": {
            "in_scope": progress.sites,
            "required": progress.sites_required,
            "visited": list(progress.sites_visited),
            "pending": list(progress.sites_pending),
            "head_office": progress.head_office,
            "met": progress.sites_met,
        },
    }


def _sample_lines(
    progress: SampleProgress, company: str, certificate: str, file: Path
) -> list[str]:
    plan = progress.plan
    if plan is None:
        lines = [
            f"{company} ({certificate}): workforce size unknown; the profile records no "
            f"headcount, so the interviews required cannot be worked out.",
            f"  Record it with: auditkit profile {file} --staff senior_manager=N,manager=N,"
            f"supervisor=N,worker=N (or --workers N)",
            f"Interviews: {progress.interviews_done} done",
        ]
    else:
        basis = "staff by level" if plan.staff is not None else "largest monthly headcount"
        lines = [f"{company} ({certificate}): workforce {plan.workers} ({basis})"]
        if plan.total is None:
            lines += [
                f"Interviews: {progress.interviews_done} done; the number required is the "
                f"CP's from this size: record it with auditkit profile {file} "
                f"--interviews-required N",
            ]
        else:
            everyone = " (everyone on the workforce)" if plan.everyone else ""
            lines.append(f"Interviews: {progress.interviews_done} of {plan.total} done{everyone}")
    for role in progress.roles:
        required = f" of {role.required}" if role.required is not None else ""
        staff = f"   staff {role.staff}" if role.staff is not None else ""
        waiting = role.added - role.done
        extra = f"   ({waiting} added, not counted yet)" if waiting else ""
        written = f"   ({role.questionnaires} by questionnaire)" if role.questionnaires else ""
        lines.append(
            f"  {_role(role.role):<15}{role.done:>3}{required:<6}{staff}{written}{extra}".rstrip()
        )
    if plan is not None and plan.staff is None:
        lines.append(
            "  By level only the senior manager is required until the staff by level is "
            f"declared (auditkit profile {file} --staff ...)."
        )
    if plan is not None and plan.questionnaires_max:
        lines.append(
            f"  Written questionnaires may replace at most {plan.questionnaires_max} "
            f"of the worker interviews, never the others."
        )
    if not progress.sites:
        lines.append(
            f"Site visits: no sites recorded (auditkit subject add {file} --kind site --label NAME)"
        )
        return lines
    if progress.sites_required is None:
        lines.append(
            f"Site visits: {len(progress.sites_visited)} done of {progress.sites} active sites; "
            f"the number required is the CP's: record it with auditkit profile {file} "
            f"--sites-required N"
        )
    else:
        lines.append(
            f"Site visits: {len(progress.sites_visited)} of {progress.sites_required} "
            f"required done ({progress.sites} active site(s))"
        )
    if progress.head_office:
        seen = "visited" if progress.head_office_visited else "not visited yet"
        lines.append(f"  head office: {progress.head_office} ({seen}; always visited)")
    if progress.sites_visited:
        # Site names often hold a comma ("Head office, Calgary").
        lines.append(f"  visited: {'; '.join(progress.sites_visited)}")
    if progress.sites_pending:
        lines.append(f"  not yet: {'; '.join(progress.sites_pending)}")
    return lines


@cli.command()
@click.argument("file", type=AUDIT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.option(
    "--accept",
    "accepted",
    multiple=True,
    metavar="COURSE",
    help="Keep a course in the recommendations (repeatable).",
)
@click.option(
    "--drop",
    "dropped",
    multiple=True,
    metavar="ID",
    help="Drop a course, or delete a recommendation you added (repeatable).",
)
@click.option(
    "--add",
    "added",
    multiple=True,
    metavar="TEXT",
    help="Add a free-text recommendation of your own (repeatable).",
)
@click.option("--reason", default=None, help=REASON_HELP)
def recommend(
    file: Path,
    as_json: bool,
    accepted: tuple[str, ...],
    dropped: tuple[str, ...],
    added: tuple[str, ...],
    reason: str | None,
) -> None:
    """Training recommendations: proposed from the weak questions and elements, curated by you.

    Every course comes with the questions that lost points and the elements under their pass
    mark that it addresses; the certificate's required courses the company has not completed
    (see 'auditkit profile --completed-course') are proposed too.
    """
    changing = bool(accepted or dropped or added)
    with Audit.open(file, write=changing) as audit:
        if changing:
            with audit.amending(reason):
                _curate(audit, accepted, dropped, added)
        scores = audit.score()
        found = training.recommend(audit, scores)
        certificate = audit.protocol.certificate
        numbers = {e.id: e.number for e in audit.protocol.elements}
        done = training.completed_courses(audit)
    if as_json:
        emit_json(
            {
                "certificate": certificate,
                "completed_courses": done,
                "answered": scores.answered,
                "questions": scores.total,
                "recommendations": [_recommendation_json(r) for r in found],
            }
        )
        return
    echo(
        f"Training recommendations ({certificate}), from {scores.answered} of "
        f"{scores.total} questions answered:"
    )
    if not found:
        echo("  none: no question has lost points and no required course is missing")
    kept = [r for r in found if r.kept]
    for number, rec in enumerate(kept, start=1):
        for line in _recommendation_lines(number, rec, certificate, numbers, scores.rule.element):
            echo(line)
    gone = [r.id for r in found if not r.kept]
    if gone:
        echo(f"Dropped: {', '.join(gone)}")


def _curate(
    audit: Audit, accepted: tuple[str, ...], dropped: tuple[str, ...], added: tuple[str, ...]
) -> None:
    """Check every change first, so a refused one leaves the file as it was."""
    for course_id in accepted:
        training.check_course(course_id)
    for ref in dropped:
        if ref not in accepted:
            training.check_drop(audit, ref)
    if any(not text.strip() for text in added):
        raise click.UsageError("--add needs some text")
    clash = set(accepted) & set(dropped)
    if clash:
        raise click.UsageError(f"--accept and --drop both name {sorted(clash)[0]!r}")
    for course_id in accepted:
        training.accept(audit, course_id)
    for ref in dropped:
        training.drop(audit, ref)
    for text in added:
        row_id = training.add(audit, text)
        warn(f"added {row_id[:8]}: {text.strip()}")


def _recommendation_lines(
    number: int,
    rec: training.Recommendation,
    certificate: str,
    numbers: dict[str, int],
    minimum: int | None,
) -> list[str]:
    """One recommendation as a title line and one indented line per reason."""
    if not rec.course_id:
        return [f"{number:>3}. [added {rec.id[:8]}] {rec.title}"]
    lines = [f"{number:>3}. [{rec.status}] {rec.title} ({rec.course_id})"]
    if rec.questions:
        shown = ", ".join(f"{q.question_id} (-{q.lost})" for q in rec.questions[:8])
        more = f" and {len(rec.questions) - 8} more" if len(rec.questions) > 8 else ""
        lines.append(
            f"       {rec.points_lost} points lost on {len(rec.questions)} "
            f"question(s): {shown}{more}"
        )
    if rec.elements:
        named = ", ".join(f"{numbers[e]} {e}" for e in rec.elements)
        lines.append(f"       element(s) under the {minimum} % minimum: {named}")
    if rec.required:
        lines.append(f"       required for {certificate}, not completed")
    elif rec.completed:
        lines.append("       already completed by the company: a refresher, or for more staff")
    if not (rec.questions or rec.elements or rec.required):
        lines.append("       chosen by the auditor; not proposed by the scores")
    if rec.note:
        lines.append(f"       note: {rec.note}")
    return lines


def _recommendation_json(rec: training.Recommendation) -> dict[str, Any]:
    return {
        "id": rec.id,
        "course_id": rec.course_id or None,
        "title": rec.title,
        "provider": rec.provider,
        "status": rec.status,
        "note": rec.note,
        "points_lost": rec.points_lost,
        "elements": list(rec.elements),
        "required": rec.required,
        "completed": rec.completed,
        "questions": [
            {
                "id": q.question_id,
                "element": q.element,
                "awarded": q.awarded,
                "possible": q.possible,
                "lost": q.lost,
            }
            for q in rec.questions
        ],
    }


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
        labels = subject_labels(audit)
        items = evidence(audit.store, question_id)
    for item in items:
        where = f" {labels.get(item.subject_id, item.subject_id)}" if item.subject_id else ""
        caption = f"  {item.caption}" if item.caption else ""
        echo(
            f"{item.question_id}{where}  {item.filename}  {file_size(item.size)}  "
            f"{item.sha256[:12]}{caption}"
        )
