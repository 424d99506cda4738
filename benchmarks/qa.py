"""QA check speed (issue 12): ``auditkit check`` and the dashboard's QA panel.

Run alone with ``python -m benchmarks.qa`` or as part of ``python -m benchmarks``.

- ``auditkit check`` on the 2,000-question × 30-subject benchmark audit, as a whole process
  (it exits 1: the synthetic audit declares no staff, so the sample is short), against
  ``python -c pass``. Target < 0.5 s.
- The dashboard's QA panel after an answer, app time: the answer folded into the session's
  mirror as a committed write is, then the check run over the mirror and the panel updated
  (the next frame draws it with the element bars; its answer keys are the ones the dashboard
  computes for its components anyway). Baseline: the score recomputation every answer already
  pays on the dashboard (the element bars), timed the same way after the same answer.
  Target < 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import Row, compile_auditkit, median_time, process_time, python, row, synthetic
from benchmarks.core import auditkit_command

REPEAT = 5
ANSWERS = 20


def check_time(command: list[str], audit: Path) -> float:
    """Median wall time of ``auditkit check FILE`` (exit 0 or 1: both are answers)."""

    def once() -> None:
        done = subprocess.run(
            [*command, "check", str(audit)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if done.returncode not in (0, 1):
            raise RuntimeError(f"auditkit check failed: {done.stderr.decode()}")

    once()  # warm caches, as process_time does
    return median_time(once, REPEAT)


async def _panel_times(path: Path) -> tuple[float, float]:
    from auditkit.audit import Audit
    from auditkit.store.records import AnswerRow
    from auditkit.tui.app import AuditkitApp
    from auditkit.tui.jobs import Write
    from auditkit.tui.widgets.qa_panel import QAPanel, session_check

    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    panel_times, score_times = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        session = app.session
        assert session is not None
        panel = app.screen.query_one(QAPanel)
        rows = list(session.answers.values())[:ANSWERS]
        for number, answer in enumerate(rows):
            value = "no" if answer.value == "yes" else "yes"
            committed = AnswerRow(*answer[:3], value, answer.note, "bench", f"t{number}")
            job: Write[None] = Write("bench", lambda audit: None, key=(answer[1], answer[2]))
            session.apply(job, committed)
            start = time.perf_counter()
            session.scores()
            score_times.append(time.perf_counter() - start)
            answered = session.answered()  # the dashboard computes these keys for its components
            start = time.perf_counter()
            panel.show(session_check(session, answered))
            panel_times.append(time.perf_counter() - start)
            await pilot.pause()
    return statistics.median(panel_times), statistics.median(score_times)


def run() -> list[Row]:
    """Measure the QA figures; returns the table rows."""
    synthetic.CACHE.mkdir(parents=True, exist_ok=True)
    compile_auditkit()
    with tempfile.TemporaryDirectory(prefix="qa-", dir=synthetic.CACHE) as tmp:
        large = synthetic.large_audit(Path(tmp) / "check.audit")
        command = auditkit_command()
        check = check_time(command, large)
        score = process_time([*command, "score", str(large)], REPEAT)
        bare_python = median_time(
            lambda: subprocess.run(python("pass"), check=True, stdout=subprocess.DEVNULL), REPEAT
        )
        panel, scores = asyncio.run(_panel_times(large))
    return [
        row(
            "auditkit check, 2,000 questions x 30 subjects, whole process (vs python -c pass)",
            check,
            bare_python,
            "< 0.5 s",
        ),
        row(
            "auditkit check against auditkit score on the same audit, same run (the check "
            "scores the audit too; information)",
            check,
            score,
            "",
        ),
        row(
            "dashboard QA panel after an answer: check over the mirror + panel update, app time "
            "(vs the score recomputation the answer already pays)",
            panel * 1000,
            scores * 1000,
            "< 50 ms",
            unit="ms",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
