"""Messages the TUI's workers send back to the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from auditkit.tui.session import Job


class WriteDone(Message):
    """An engine write committed; ``result`` is what the engine returned."""

    def __init__(self, job: Job, result: Any) -> None:
        super().__init__()
        self.job = job
        self.result = result


class WriteFailed(Message):
    """An engine write was refused or failed; nothing of it was saved."""

    def __init__(self, job: Job, error: str) -> None:
        super().__init__()
        self.job = job
        self.error = error
