"""Commands that open the TUI: ``auditkit demo``, ``auditkit open`` and ``auditkit serve`` (in a
web browser).

Textual (and aiohttp for serve) is imported inside the command functions only, so other
commands start fast.
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
    from auditkit.demo import DEFAULT_FILE, build_demo, previous_path

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
            echo(
                f"created {target}: a half-done COR audit of a fictitious employer, started "
                f"from last year's audit {previous_path(target)}"
            )
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


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="The port on 127.0.0.1 to serve on.",
)
def serve(file: Path, port: int) -> None:
    """Open the audit FILE in the TUI in a web browser on this computer.

    Prints the address to open (http://127.0.0.1:PORT); each browser tab runs its own
    'auditkit open FILE', so what it shows and records is the same as in a terminal. Press
    ctrl+c to stop.

    The server listens on 127.0.0.1 only, and there is no option to change that: the audit
    file holds the employer's records and interview notes, and anyone who could reach the port
    from the network could read and change them.
    """
    from auditkit.tui import open_for_tui
    from auditkit.tui.serve import serve_audit

    open_for_tui(file).close()  # refuse what 'auditkit open' would, before serving
    serve_audit(file, port)
