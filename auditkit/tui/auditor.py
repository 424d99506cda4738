"""Who is writing: the auditor whose name the TUI's changes carry in the journal.

The engine journals every change with ``store.author``, which defaults to ``AUDITKIT_AUDITOR``
or the OS user. In the TUI the author must be one of the audit's auditors, so on opening an
audit the name comes from, in order: ``AUDITKIT_AUDITOR``; the choice made earlier on this
computer for this file; the profile's only auditor. Otherwise the TUI asks.

The choice is kept in the file's ``meta`` under this computer's user and host: the lead copies
the file to each auditor, and a name chosen on the lead's laptop must not follow the copy.
"""

from __future__ import annotations

import getpass
import json
import os
import socket

from auditkit.audit import Audit

AUTHOR_META = "tui.author"


def this_computer() -> str:
    """``user@host``: whose choice a remembered name is."""
    return f"{getpass.getuser()}@{socket.gethostname()}"


def _choices(audit: Audit) -> dict[str, str]:
    """Remembered names by ``user@host``; anything unreadable counts as none."""
    try:
        found = json.loads(audit.meta(AUTHOR_META) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def known_author(audit: Audit) -> str | None:
    """The auditor's name when it is known without asking, else None."""
    named = os.environ.get("AUDITKIT_AUDITOR", "").strip()
    if named:
        return named
    remembered = _choices(audit).get(this_computer())
    if remembered:
        return remembered
    auditors = [a for a in audit.auditors if a.strip()]
    return auditors[0] if len(auditors) == 1 else None


def remember_author(audit: Audit, name: str) -> str:
    """Make ``name`` the author of every later change and remember it for this computer.

    Runs on the TUI's writer, so writes already queued keep the name they were asked under.
    """
    audit.author = name
    choices = _choices(audit)
    if choices.get(this_computer()) != name:
        choices[this_computer()] = name
        audit.set_meta(AUTHOR_META, json.dumps(choices, sort_keys=True))
    return name
