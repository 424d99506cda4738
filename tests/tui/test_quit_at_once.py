"""Quitting at once, while the engine thread is still reading the audit, ends the process
cleanly: the audit's connection is closed only after the engine thread has stopped (closing it
under a running statement crashed the process with SIGSEGV about every other time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from auditkit.audit import Audit, Profile
from tests.conftest import MINI

QUIT_AT_FIRST_FRAME = """
import sys
from textual.app import App
from auditkit.tui.screens.dashboard import DashboardScreen
mount = DashboardScreen.on_mount
def quit_now(self):
    mount(self)
    self.call_after_refresh(self.app.exit)
DashboardScreen.on_mount = quit_now
run = App.run
App.run = lambda self, **kw: run(self, headless=True)
from auditkit.cli import main
sys.exit(main(["open", sys.argv[1]]))
"""


def test_quitting_at_the_first_frame_never_crashes(tmp_path: Path) -> None:
    path = tmp_path / "quick.audit"
    profile = Profile(company="Quick Co", protocol=str(MINI), sites=("Yard",), auditors=("Pat",))
    Audit.create(path, profile).close()
    codes = [
        subprocess.run(
            [sys.executable, "-c", QUIT_AT_FIRST_FRAME, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        ).returncode
        for _ in range(8)
    ]
    assert codes == [0] * 8  # -11 is the crash
    with Audit.open(path) as audit:  # and the file is sound afterwards
        assert audit.profile["company"] == "Quick Co"
