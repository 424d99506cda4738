"""Commands that open the TUI: ``auditkit demo`` and ``auditkit open``.

Textual is imported inside the command functions only, so other commands start fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.group import cli, echo


@cli.command()
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option("--no-open", is_flag=True, help="Only create the file; do not open the TUI.")
def demo(file: Path | None, no_open: bool) -> None:
    """Create a realistic, half-done demo audit in FILE (default demo.audit) and open it."""
    from auditkit.demo import DEFAULT_FILE, build_demo

    default = Path(DEFAULT_FILE)
    if file is None and default.exists():
        # Running `auditkit demo` again resumes the demo; an explicit FILE is never reused.
        echo(
            f"{default} already exists; {'not created again' if no_open else 'opening it'}"
            " (give a FILE for a fresh demo)"
        )
        target = default
    else:
        target = build_demo(file or default)
        if no_open:
            echo(f"created {target}: a half-done COR audit of a fictitious employer")
    if no_open:
        return
    from auditkit.tui import run_audit

    run_audit(target)


@cli.command("open")
@click.argument("file", type=click.Path(path_type=Path))
def open_audit(file: Path) -> None:
    """Open the audit FILE in the TUI."""
    from auditkit.tui import run_audit

    run_audit(file)
