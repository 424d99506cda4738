"""Stored text made safe to print: control characters shown escaped, never sent raw.

Company names, labels, notes, authors and protocol text come from users and files. Printed as
they are, an ESC starts a terminal escape sequence (OSC 52 writes the clipboard, others move
the cursor or retitle the window), a NUL or a bidi override hides or reorders what the reader
sees. :func:`printable` turns each such character into a visible ``\\x1b``-style escape, for the
CLI, the TUI and the text exports alike.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, except newline and tab (which lay text out); the Unicode bidi
# embedding, override and isolate marks; the line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# The same, keeping carriage returns too (CSV rows end in CRLF).
_UNSAFE_KEEP_CR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, keep_cr: bool = False) -> str:
    """``text`` with every control character shown as ``\\xNN`` (``\\uNNNN`` above 0xff).

    Newlines and tabs stay; with ``keep_cr`` carriage returns stay too.
    """
    value = str(text)
    pattern = _UNSAFE_KEEP_CR if keep_cr else _UNSAFE
    return pattern.sub(_escape, value) if pattern.search(value) else value


def one_line(text: object) -> str:
    """``text`` on one line: :func:`printable`, with newlines and tabs escaped as well."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


def printable_json(text: str) -> str:
    """JSON text with the same characters escaped as JSON escapes (``\\u001b``), so it parses
    to the same values: ``json.dumps`` with ``ensure_ascii=False`` passes C1 controls and bidi
    marks through raw."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
