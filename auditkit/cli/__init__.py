"""The ``auditkit`` command: every subcommand, and errors as one line on stderr.

Command modules register on the shared group when imported below. Textual is imported only by
the commands that open the TUI, so headless commands start fast.
"""

from __future__ import annotations

import sqlite3
import sys

import click

from auditkit.cli.app import cli
from auditkit.cli import core, domain  # noqa: F401  (registers commands)
from auditkit.cli import team  # noqa: F401  (registers commands)
from auditkit.cli import export  # noqa: F401  (registers commands)
from auditkit.cli import tui  # noqa: F401  (registers commands)
from auditkit.errors import AuditkitError

__all__ = ["cli", "main"]


def _usage_line(exc: click.UsageError) -> str:
    where = exc.ctx.command_path if exc.ctx else "auditkit"
    return f"{where}: {exc.format_message()} (see '{where} --help')"


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn every refusal into one line and an exit code."""
    try:
        # Outside standalone mode click returns a command's exit code instead of raising.
        result = cli.main(args=argv, prog_name="auditkit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        click.echo(f"error: {_usage_line(exc)}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 1
    except AuditkitError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except sqlite3.Error as exc:
        click.echo(f"error: database error ({exc})", err=True)
        return 1
    except OSError as exc:
        name = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {name}{exc.strerror or exc}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        return 130
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())
