"""Typed jobs: one engine thread runs them in order; a read's result goes only to the widget
that asked; a write lands in the session mirror and every screen hears it; the UI thread never
runs SQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from auditkit.audit import Audit
from auditkit.store.records import AnswerRow
from auditkit.tui.app import AuditkitApp
from auditkit.tui.jobs import EngineThread, JobFailed, Read, Write, WriteOutcome

SIZE = (120, 40)


def test_the_engine_thread_runs_jobs_one_at_a_time_in_the_order_asked(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        engine = EngineThread(audit)
        ran: list[tuple[int, str]] = []

        def job(n: int) -> Write[AnswerRow]:
            def run(audit: Audit) -> AnswerRow:
                ran.append((n, threading.current_thread().name))
                return audit.answer("1.D1", str(n))

            return Write(f"answer {n}", run)

        futures = [engine.submit(job(n)) for n in range(10)]
        results = [f.result(timeout=30) for f in futures]
        engine.stop()
        assert [n for n, _ in ran] == list(range(10))
        assert {name for _, name in ran} == {"auditkit-engine"}
        assert [r.value for r in results] == [str(n) for n in range(10)]
        assert audit.answers()[0].value == "9"  # the last one asked is the one kept


def test_a_refused_job_fails_with_the_engines_words_and_stores_nothing(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        before = audit.store.dump()
        engine = EngineThread(audit)
        future = engine.submit(Write("the answer to 5.R1", lambda a: a.answer("5.R1", "na")))
        with pytest.raises(JobFailed, match="question 5.R1 may not be marked N/A"):
            future.result(timeout=30)
        engine.stop()
        assert audit.store.dump() == before


async def test_a_read_goes_to_its_asker_only_and_a_write_to_every_screen(mini_path: Path) -> None:
    app = AuditkitApp(Audit.open(mini_path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        heard: list[WriteOutcome] = []
        app.changed.subscribe(app.screen, heard.append)
        got: list[int] = []
        app.read(Read("counting subjects", lambda audit: len(audit.subjects())), got.append)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()  # a signal reaches its subscribers on their next turn
        assert got == [4] and heard == []  # one site, two interviewees, one incident
        saved: list[AnswerRow] = []
        app.save(Write("the answer to 1.D1", lambda a: a.answer("1.D1", "6")), saved.append)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert [r.value for r in saved] == ["6"]
        assert [(c.saved, c.result) for c in heard] == [(True, saved[0])]
        assert app.session is not None and app.session.value(("1.D1", "")) == "6"


async def test_the_ui_thread_runs_no_sql(mini_path: Path) -> None:
    """Answering, a note, clearing and the screens that read the journal: every statement
    runs on the engine thread (the session was read before the UI started)."""
    audit = Audit.open(mini_path, write=True)
    app = AuditkitApp(audit, remember_recent=False)
    threads: list[str] = []
    audit.store.conn.set_trace_callback(lambda sql: threads.append(threading.current_thread().name))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "7", "delete", "escape")
        for screen in ("t", "a", "m"):  # training, amendments, merge conflicts: all read
            await pilot.press(screen)
            await pilot.app.workers.wait_for_complete()
            await pilot.press("escape")
        await pilot.app.workers.wait_for_complete()
    assert threads and set(threads) == {"auditkit-engine"}
