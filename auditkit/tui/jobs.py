"""The TUI's background work as typed jobs, run in order on one engine thread.

A :class:`Job` is a typed request: the engine call (``run``, which returns an ``R``) and what
to tell the auditor when it fails. A :class:`Read` changes nothing and its result goes back to
the widget that asked for it only; a :class:`Write` changes the audit, names the answer it
changes (shown as pending until the write lands) and whether a finalized audit needs a reason
for it. What a write returns says how the session mirror follows it: the stored
:class:`~auditkit.store.records.AnswerRow`, a :class:`Cleared` slot, a
:class:`~auditkit.store.records.Subject`, the :class:`FilesNow` attached to an answer, …

Every job runs on ONE thread that owns the audit, fed by a ``queue.Queue`` (as toolong's single
reader thread), so jobs run strictly in the order asked and a read never sees a write half
done; the UI thread never touches SQLite. Each job's outcome comes back through a
``concurrent.futures.Future`` awaited by a Textual worker on the UI loop (harlequin's
``exit_on_error=False`` workers), so ``app.workers.wait_for_complete()`` waits for every job
asked for, and results are delivered on the UI thread in the order the jobs ran.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.rules.progress import AnswerKey
from auditkit.rules.scoring import Scores
from auditkit.store.records import Evidence

R = TypeVar("R")


@dataclass(frozen=True, eq=False)
class Job(Generic[R]):
    """One engine call the UI asked for. Compared by identity: each request is its own job."""

    describe: str  # for an error: "the answer to 5.O1 for Yard"
    run: Callable[[Audit], R]


@dataclass(frozen=True, eq=False)
class Read(Job[R]):
    """Reads the audit (the journal, recommendations, …); its result goes to the asker only."""


@dataclass(frozen=True, eq=False)
class Write(Job[R]):
    """Changes the audit; its result updates the session mirror and every screen hears of it.

    ``key`` is the answer it changes, shown pending until it lands. ``locked`` writes change
    what a finalized audit protects, so they first ask why; UI state (the last question, who
    is auditing), exports and the lock itself are not locked.
    """

    key: AnswerKey | None = None
    locked: bool = True


# -- what writes return, for the session mirror ------------------------------------------------


@dataclass(frozen=True)
class Cleared:
    """The answer in ``key`` was removed."""

    key: AnswerKey


@dataclass(frozen=True)
class FilesNow:
    """The files attached to the answer in ``key`` after an attach or a detach."""

    key: AnswerKey
    files: tuple[Evidence, ...]


@dataclass(frozen=True)
class PositionSaved:
    """Where the auditor was, as stored: resuming starts there."""

    question_id: str
    subject_id: str
    at: str


@dataclass(frozen=True)
class AuthorChosen:
    """Every later change is recorded under ``name``."""

    name: str


@dataclass(frozen=True)
class AuditFinalized:
    """The audit is locked; ``scores`` as finalized, and its seal (see ``Audit.seal``)."""

    scores: Scores
    seal: str = ""


@dataclass(frozen=True)
class WriteOutcome:
    """What every screen hears after a write: the job, whether it was saved, what it returned."""

    job: Write[Any]
    saved: bool
    result: Any = None


class JobFailed(AuditkitError):
    """A job was refused or failed; nothing of it was saved. The message says so, in words."""


@dataclass(frozen=True, eq=False)
class _Ticket:
    job: Job[Any]
    reason: str | None
    future: Future[Any]


class EngineThread:
    """The one thread that runs every job against the open audit, in submission order."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        self._queue: queue.Queue[_Ticket | None] = queue.Queue()
        self._close = False
        self._thread = threading.Thread(target=self._loop, name="auditkit-engine", daemon=True)
        self._thread.start()

    def submit(self, job: Job[R], reason: str | None = None) -> Future[R]:
        """Queue ``job``; the future holds its result, or a :class:`JobFailed` saying why.

        ``reason`` is why a finalized audit is changed; the engine records it in the journal.
        """
        future: Future[R] = Future()
        self._queue.put(_Ticket(job, reason, future))
        return future

    def stop(self, close: bool = False, wait: bool = False) -> None:
        """Run what is queued, then end the thread (closing the audit when ``close``).

        ``wait`` returns only once the thread has ended: before the audit's owner closes its
        connection, no job may still be using it (SQLite crashes the process when a
        connection is closed under a statement another thread is running).
        """
        self._close = close
        self._queue.put(None)
        if wait:
            self._thread.join()

    def _loop(self) -> None:
        while (ticket := self._queue.get()) is not None:
            if ticket.future.set_running_or_notify_cancel():
                self._run(ticket)
        if self._close:
            self.audit.close()

    def _run(self, ticket: _Ticket) -> None:
        job = ticket.job
        try:
            with self.audit.amending(ticket.reason):
                result = job.run(self.audit)
        except AuditkitError as exc:
            ticket.future.set_exception(JobFailed(str(exc)))
        except OSError as exc:  # the engine turns SQLite errors into AuditkitError
            ticket.future.set_exception(
                JobFailed(f"{self.audit.path}: {exc}; {job.describe} was not saved")
            )
        except Exception as exc:  # noqa: BLE001 - a job's error must reach the auditor
            # Anything else (a 2 GB file's MemoryError, a bug) would end the awaiting worker
            # silently, the answer left "saving…" for ever: say it was not done.
            outcome = "was not saved" if isinstance(job, Write) else "could not be read"
            ticket.future.set_exception(
                JobFailed(f"{job.describe} {outcome} ({type(exc).__name__}: {exc})")
            )
        except BaseException as exc:  # an interrupt: the worker awaiting it re-raises it
            ticket.future.set_exception(exc)
        else:
            ticket.future.set_result(result)
