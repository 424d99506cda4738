"""Opening an attached file (a photo, a scanned form) with the computer's own viewer.

The evidence lives inside the audit file, so it is first copied to a private temporary folder
(readable by this user only, the original name and extension kept so the viewer knows the
type) by a read on the engine thread; then the system's opener (``xdg-open``, ``open`` on
macOS) is started detached, so the TUI never waits for the viewer. Without a display (an SSH
session, a text console) nothing is launched: the auditor is told how to get the file out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.audit import Audit
from auditkit.store.records import Evidence
from auditkit.tui.jobs import Read

if TYPE_CHECKING:
    from auditkit.tui.app import AuditkitApp

# Every file opened in this run goes under one private folder, removed when the TUI ends (the
# viewer has read the file by then; a viewer still showing it keeps its own copy open).
_FOLDER: list[Path] = []


@dataclass(frozen=True)
class Written:
    """An attached file copied out for the viewer."""

    item: Evidence
    path: Path


def safe_filename(name: str) -> str:
    """The file's own name, without folders or characters a file system refuses; its
    extension kept (the viewer goes by it)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base).strip(". ")
    return cleaned[-120:] or "file"


def private_folder() -> Path:
    """This run's temporary folder for opened files (mode 0700), made on first use."""
    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="auditkit-view-")))
    return _FOLDER[0]


def remove_private_folder() -> None:
    """Remove the files copied out for the viewer (when the TUI ends)."""
    while _FOLDER:
        shutil.rmtree(_FOLDER.pop(), ignore_errors=True)


def write_job(item: Evidence) -> Read[Written]:
    """Copy one attached file's stored bytes to a private temporary file (mode 0600)."""

    def run(audit: Audit) -> Written:
        data = audit.evidence_bytes(item.sha256)
        folder = Path(tempfile.mkdtemp(prefix=item.sha256[:12] + "-", dir=private_folder()))
        path = folder / safe_filename(item.filename)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        return Written(item, path)

    return Read(f"{item.filename} (to open it)", run)


def opener() -> tuple[str | None, str]:
    """The command that opens a file in the desktop's viewer, or None and why not: no
    display to show it on (an SSH session, a text console), or no opener installed."""
    if sys.platform == "darwin":
        # A Mac's own screen is always there, but not for a session over SSH.
        if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
            return None, "this is an SSH session"
        command = shutil.which("open")
        return command, "" if command else "the open command is missing"
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None, "DISPLAY and WAYLAND_DISPLAY are not set"
    command = shutil.which("xdg-open")
    return command, "" if command else "xdg-open is not installed"


def launch(command: str, path: Path) -> None:
    """Start ``command path`` detached: its own session, no terminal, not waited for (the
    viewer outlives a keypress; its output must not draw over the TUI)."""
    subprocess.Popen(  # noqa: S603 - a fixed opener and a path we wrote
        [command, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def no_display_message(item: Evidence, audit_path: Path, why: str) -> str:
    """What to do when the file cannot be shown here: the CLI command that writes it out."""
    return (
        f"Cannot show {item.filename} here: {why}. To get it out: auditkit export "
        f"{audit_path} --format bundle --output evidence.zip (it is "
        f"evidence/{item.sha256[:12]}-… in the zip; auditkit evidence list {audit_path} "
        "lists every file)."
    )


def view_files(app: AuditkitApp, files: list[Evidence], title: str) -> None:
    """Open one of ``files`` in the viewer: the only one at once, else the one the auditor
    picks from a list titled ``title``."""
    from auditkit.tui.dialogs.evidence import ViewDialog

    if len(files) == 1:
        view(app, files[0])
        return

    def chosen(link_id: str | None) -> None:
        item = next((f for f in files if f.id == link_id), None)
        if item is not None:
            view(app, item)

    app.push_screen(ViewDialog(title, files), chosen)


def view(app: AuditkitApp, item: Evidence) -> None:
    """Copy ``item`` out (on the engine thread) and start the viewer on it; without a
    display, say how to get the file out instead."""
    command, why = opener()
    if command is None or app.session is None:
        path = app.session.audit.path if app.session else Path("FILE")
        app.notify(no_display_message(item, path, why), severity="warning", timeout=15)
        return

    def written(done: Written) -> None:
        try:
            launch(command, done.path)
        except OSError as exc:
            app.notify(f"Could not start {command}: {exc}", severity="error")
            return
        app.notify(f"Opening {item.filename} in the viewer.")

    app.read(write_job(item), written)
