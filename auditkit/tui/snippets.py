"""The auditor's own saved comments ("snippets"), offered in the note dialog.

Kept per computer user in the config folder, beside the recent-audits list
(:mod:`auditkit.tui.recent`), not in the audit file: a snippet is the auditor's phrasing, used
from one audit to the next, not evidence of this audit. In the file's meta it would travel to
colleagues and the client with every copy and merge, start empty in each new audit, and, after
finalizing, saving one would ask for an amendment reason.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditkit.tui.recent import recent_file

MAX_SNIPPETS = 50  # a short list to choose from; the oldest drops off


def snippets_file() -> Path:
    """``$XDG_CONFIG_HOME/auditkit/snippets.json`` (``~/.config`` when unset)."""
    return recent_file().parent / "snippets.json"


def snippets() -> list[str]:
    """The saved comments, newest first; an unreadable list is empty."""
    try:
        rows = json.loads(snippets_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(rows, list):
        return []
    return [str(r) for r in rows if isinstance(r, str) and r.strip()]


def keep(text: str) -> bool:
    """Save ``text`` first in the list (once); False when it could not be written."""
    text = text.strip()
    if not text:
        return False
    return _write([text] + [r for r in snippets() if r != text])


def forget(text: str) -> bool:
    """Delete the saved comment ``text``; False when the list could not be written."""
    return _write([r for r in snippets() if r != text])


def reword(old: str, new: str) -> bool:
    """Replace the saved comment ``old`` by ``new`` in its place (a copy of ``new`` already
    saved elsewhere goes); False when ``new`` is blank or the list could not be written."""
    new = new.strip()
    if not new:
        return False
    return _write([new if r == old else r for r in snippets() if r != new or r == old])


def _write(rows: list[str]) -> bool:
    target = snippets_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(rows[:MAX_SNIPPETS], indent=1), encoding="utf-8")
    except OSError:
        return False
    return True
