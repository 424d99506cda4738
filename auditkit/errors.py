"""Domain exceptions. The CLI turns each into one line on stderr; the TUI into a notification."""

from __future__ import annotations


class AuditkitError(Exception):
    """An input was refused. The message names the culprit; the CLI exits 1."""

    exit_code = 1


class UsageError(AuditkitError):
    """The command itself is malformed; the CLI exits 2."""

    exit_code = 2


class NotAnAudit(AuditkitError):
    """The path is not an auditkit audit file (or cannot be opened as one)."""


class StoreBusy(AuditkitError):
    """Another process holds the audit file's write lock beyond the wait."""


class ReadOnly(AuditkitError):
    """The audit file (or its folder) cannot be written."""


class AnswerRefused(AuditkitError):
    """An answer, subject or question was refused by the protocol's rules."""


class Finalized(AuditkitError):
    """The audit is finalized; a change needs a reason."""
