"""The ``auditkit`` command: every subcommand, and errors as one line on stderr.

Command modules register on the shared group when imported; the group imports a command's
module only when that command runs (see :mod:`auditkit.cli.lazy`), so ``auditkit open`` and
the headless commands load only what they use, and Textual only for the TUI.
"""

from __future__ import annotations

import os
import sys

import click

from auditkit.cli.group import cli
from auditkit.cli.lazy import LazyGroup
from auditkit.errors import AuditkitError
from auditkit.store import DatabaseError
from auditkit.text import one_line

__all__ = ["cli", "main"]

# Every command: name -> (the module that defines it, its first sentence for --help).
# To add a command, add its line here; tests/test_cli_lazy.py checks the table against the
# commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "action": (
        "auditkit.cli.findings",
        "Set the owner, due date or status of action ID (see 'auditkit actions').",
    ),
    "actions": (
        "auditkit.cli.findings",
        "The action plan: one action per SFI, with owner, due date and status.",
    ),
    "answer": ("auditkit.cli.fieldwork", "Record VALUE (yes|no|partial|na|POINTS) for QUESTION."),
    "check": (
        "auditkit.cli.team",
        "What a CP's QA reviewer would send back; exit 1 while any problem is an error.",
    ),
    "compare": (
        "auditkit.cli.cycle",
        "Element and overall scores of two audits of one employer (OLD, then NEW), and the change.",
    ),
    "conflicts": (
        "auditkit.cli.team",
        "Answers changed differently in merged files, with the side kept.",
    ),
    "demo": (
        "auditkit.cli.tui",
        "Create a realistic, half-done demo audit in FILE (default demo.audit) and open it.",
    ),
    "eligibility": (
        "auditkit.cli.setup",
        "COR or SECOR, from the monthly headcounts of the past 12 months.",
    ),
    "evidence": ("auditkit.cli.fieldwork", "Photos, PDFs and scans attached to answers."),
    "export": ("auditkit.cli.reports", "Write the final report or the data of audit FILE."),
    "finding": (
        "auditkit.cli.findings",
        "The justification note and SFI of a scored ITEM (a criterion or a stand-alone question).",
    ),
    "finalize": (
        "auditkit.cli.team",
        "Lock a complete audit that passes the QA check; later changes need --reason.",
    ),
    "import": (
        "auditkit.cli.reports",
        "Create audit NEWFILE from a JSON export (scores, notes, subjects, journal: all of it).",
    ),
    "log": (
        "auditkit.cli.team",
        "The history of FILE: who changed what, when, and why (after finalizing).",
    ),
    "merge": (
        "auditkit.cli.team",
        "Merge the team's copies INPUTS of one audit into the new file OUT.",
    ),
    "new": ("auditkit.cli.setup", "Create an audit FILE for one employer."),
    "open": ("auditkit.cli.tui", "Open the audit FILE in the TUI."),
    "portfolio": (
        "auditkit.cli.portfolio",
        "One row per published audit: score, pass, dates, actions, the next audit due.",
    ),
    "profile": (
        "auditkit.cli.setup",
        "Show the company profile, or change it (workforce size, staff by level, sites, the CP's "
        "sample numbers, completed courses, details).",
    ),
    "publish": (
        "auditkit.cli.portfolio",
        "Send audit FILES to the portfolio; publishing again adds only what is new.",
    ),
    "pull": (
        "auditkit.cli.portfolio",
        "Merge every published copy of AUDIT (id or company) into the new file OUT.",
    ),
    "questions": ("auditkit.cli.fieldwork", "List the audit's questions."),
    "recommend": (
        "auditkit.cli.fieldwork",
        "Training recommendations: proposed from the weak questions and elements, curated by you.",
    ),
    "sample": (
        "auditkit.cli.fieldwork",
        "Interviews (by role) and site visits required for the audit, and how many are done.",
    ),
    "score": (
        "auditkit.cli.fieldwork",
        "Scores per element and overall, against the pass rule of the audit's purpose.",
    ),
    "serve": (
        "auditkit.cli.tui",
        "Open the audit FILE in the TUI in a web browser on this computer.",
    ),
    "subject": ("auditkit.cli.setup", "Sites, interviewees and incident records."),
    "validate": (
        "auditkit.cli.setup",
        "Validate protocol folders (default: the bundled ones); every problem as FILE:LINE.",
    ),
    "verify": (
        "auditkit.cli.team",
        "Check that FILE was not changed outside auditkit (exit 1 naming what differs).",
    ),
}
assert isinstance(cli, LazyGroup)
cli.add_lazy(COMMANDS)


def _usage_line(exc: click.UsageError) -> str:
    where = exc.ctx.command_path if exc.ctx else "auditkit"
    return f"{where}: {exc.format_message()} (see '{where} --help')"


def _error(message: object) -> None:
    """One line on stderr: a refused value (a label, a path) cannot add lines or escapes."""
    click.echo(f"error: {one_line(message)}", err=True)


def _not_utf8(argv: list[str]) -> str | None:
    """What is not valid UTF-8 among the arguments and ``AUDITKIT_AUDITOR``, or None.

    Python hands undecodable bytes over as lone surrogates, which SQLite cannot store: the
    write would fail with a traceback after the command had started.
    """
    named = [(f"argument {n}", arg) for n, arg in enumerate(argv, start=1)]
    named.append(("AUDITKIT_AUDITOR", os.environ.get("AUDITKIT_AUDITOR", "")))
    for name, value in named:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return f"{name} {shown!r} is not valid UTF-8; nothing was done"
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn every refusal into one line and an exit code."""
    problem = _not_utf8(sys.argv[1:] if argv is None else argv)
    if problem is not None:
        _error(problem)
        return 2
    try:
        # Outside standalone mode click returns a command's exit code instead of raising.
        result = cli.main(args=argv, prog_name="auditkit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        _error(_usage_line(exc))
        return 2
    except click.ClickException as exc:
        _error(exc.format_message())
        return exc.exit_code
    except click.exceptions.Abort:
        _error("aborted")
        return 1
    except AuditkitError as exc:
        _error(exc)
        return exc.exit_code
    except DatabaseError as exc:
        _error(f"database error ({exc})")
        return 1
    except OSError as exc:
        name = f"{exc.filename}: " if exc.filename else ""
        _error(f"{name}{exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last net: a user never sees a traceback
        if os.environ.get("AUDITKIT_DEBUG"):
            raise
        # Every write is one transaction, so a failure mid-command left the file as it was.
        _error(
            f"unexpected failure ({type(exc).__name__}: {exc}); nothing more was done "
            f"(AUDITKIT_DEBUG=1 shows the traceback)"
        )
        return 1
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())
