"""``python -m auditkit.cli``: the same as the ``auditkit`` command. ``auditkit serve`` starts
each browser tab's TUI this way, with the server's own Python, so the same virtual environment
is used whatever PATH the browser session has."""

from auditkit.cli import run

run()
