"""``auditkit serve``: the same TUI in a web browser, through textual-serve.

textual-serve runs one command per browser connection and relays its screen over a websocket;
each connection gets its own ``auditkit open FILE`` process, so the browser shows exactly what
the terminal would. The server listens on 127.0.0.1 only: an audit file holds the employer's
records and interview notes, and anyone who can reach the port can change them. Every user of
the computer can reach 127.0.0.1, so the address printed carries a key (see
:meth:`~auditkit.tui.web_server.AuditServer.refuse_without_key`).

This module imports aiohttp and textual-serve (tui/web_server.py) only inside
:func:`serve_audit`, so ``auditkit --help`` stays fast.
"""

from __future__ import annotations

import errno
import secrets
import shlex
import socket
import sys
from pathlib import Path

from auditkit.errors import AuditkitError

# Loopback only, never a wildcard: see the module docstring. There is deliberately no option
# to change it.
HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def app_command(path: Path) -> str:
    """The shell command textual-serve runs per browser connection: this Python (so the same
    virtual environment) opening ``path``. textual-serve hands the command to a shell, so every
    part is quoted: spaces, quotes and ``$`` in a file name stay part of the name."""
    return shlex.join([sys.executable, "-m", "auditkit.cli", "open", str(path.resolve())])


def check_port_free(port: int) -> None:
    """Refuse ``port`` before anything starts when another program already listens on it."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # The same option the server binds with, so a port left in TIME_WAIT is not refused.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((HOST, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise AuditkitError(
                f"port {port} on {HOST} is in use (another program, or auditkit serve already "
                f"running?); choose another with --port"
            ) from None
        if exc.errno == errno.EACCES:
            raise AuditkitError(
                f"port {port} needs administrator rights; choose one above 1023 with --port"
            ) from None
        raise AuditkitError(f"port {port} on {HOST}: {exc.strerror or exc}") from None
    finally:
        probe.close()


def serve_audit(path: Path, port: int = DEFAULT_PORT) -> None:
    """Serve the TUI on audit ``path`` at http://127.0.0.1:``port`` until ctrl+c.

    The caller has checked that ``path`` opens as an audit; the port is checked here.
    """
    check_port_free(port)
    from auditkit.tui.web_server import AuditServer

    server = AuditServer(app_command(path), path.name, HOST, port, secrets.token_urlsafe(16))
    try:
        server.serve()
    except OSError as exc:  # the port was taken between the check and the bind
        raise AuditkitError(f"port {port} on {HOST}: {exc.strerror or exc}") from None
