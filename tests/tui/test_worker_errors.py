"""Finding 11 of issue 16: an error a TUI worker meets (a 2 GB attachment's MemoryError, a
bug) reaches the auditor as a notification, and the answer is no longer shown as saving."""

from __future__ import annotations

from pathlib import Path

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.jobs import Write


def boom(audit: Audit) -> None:
    raise MemoryError("2.1 GB requested")


async def test_an_unexpected_worker_error_is_notified(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is not None
        app.save(Write("attaching scan.pdf to 1.D1", boom, key=("1.D1", "")))
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = " | ".join(n.message for n in app._notifications)
        assert "attaching scan.pdf to 1.D1 was not saved (MemoryError: 2.1 GB requested)" in shown
        assert ("1.D1", "") not in app.session.pending
