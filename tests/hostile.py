"""An audit whose every user and file text is hostile: Textual markup that runs actions or
crashes a screen, terminal escapes (OSC 52 writes the clipboard), NUL and bidi marks.

Used by the CLI, export and TUI tests of issue 16 (findings 3, 4 and 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

from auditkit.audit import Audit, Profile
from tests.conftest import MINI

CLICK = "Yard [@click=app.screenshot('x.svg','/dir')]X[/]"
CLOSE = "[/x]"
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
COMPANY = f"Acme {OSC52}Ltd"
NOTE = f"Guard {CLOSE} missing \x1b[31mred\x1b[0m \x00 end"
AUTHOR = "Pat \x1b[2J Lee"
# YAML's double-quoted escapes put an ESC and a BEL into the protocol's own text.
QUESTION_TEXT = "Are kits \\e]52;c;ZXZpbA==\\a present [/x]?"
RAW = ("\x1b", "\x00", "\x07")


def hostile_protocol(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile-protocol"
    shutil.copytree(MINI, folder)
    path = folder / "infrastructure.yaml"
    text = path.read_text()
    old = "text: Are first aid kits of the size Schedule 2 requires present, stocked and inspected?"
    assert old in text
    path.write_text(text.replace(old, f'text: "{QUESTION_TEXT}"'))
    protocol = folder / "protocol.yaml"
    old = "title: Emergency Response}"
    assert old in protocol.read_text()
    protocol.write_text(
        protocol.read_text().replace(old, 'title: "Emergency \\e[5mResponse [/x]"}')
    )
    return folder


def build_hostile(tmp_path: Path) -> Path:
    """The hostile audit: markup and escapes in company, labels, note, author and protocol."""
    path = tmp_path / "hostile.audit"
    with Audit.create(
        path,
        Profile(
            company=COMPANY,
            protocol=str(hostile_protocol(tmp_path)),
            headcounts=(12,),
            auditors=(AUTHOR,),
            sites=(CLICK,),
            start_date="2026-11-16",
        ),
        author=AUTHOR,
    ) as audit:
        audit.add_subject("interviewee", CLOSE, role="worker", site=CLICK)
        audit.add_subject("incident", f"INC {OSC52}", fields={"type": "first_aid"})
        audit.answer("8.O1", "partial", subject=CLICK, note=NOTE)
        audit.answer("5.O1", "no", subject=CLICK, note=CLOSE)
    return path
