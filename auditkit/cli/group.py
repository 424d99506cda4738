"""The click group every command registers on, and the helpers commands share."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from auditkit import __version__
from auditkit.cli.lazy import LazyGroup
from auditkit.text import printable, printable_json


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="auditkit")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """auditkit: the field tool for Alberta COR and SECOR health-and-safety audits.

    Run without a command to open the TUI's home screen.
    """
    if ctx.invoked_subcommand is None:
        from auditkit.tui import run_home  # lazy: headless commands never import Textual

        run_home()


def echo(message: object = "", err: bool = False) -> None:
    """Print one message; stored text in it shows its control characters escaped."""
    click.echo(printable(message), err=err)


def emit_json(data: Any) -> None:
    click.echo(printable_json(json.dumps(data, indent=2, ensure_ascii=False)))


def warn(message: str) -> None:
    echo(message, err=True)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
