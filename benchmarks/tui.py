"""TUI speed: first frame of the dashboard, opening the runner, answering at 2,000 questions.

Run alone with ``python -m benchmarks.tui`` or as part of ``python -m benchmarks``. Every
figure has a baseline measured in the same run, the same way:

- ``auditkit open FILE`` to the dashboard's first frame, against a bare Textual app (Header,
  Static, Footer): each a fresh process, headless, that notes the wall clock in
  ``call_after_refresh`` once its first screen has been drawn, then exits; the figure runs
  from just before the process is started to that moment (the process's exit, which adds
  Textual's shutdown and whatever the screen does after its first frame, is shown for
  information). Runs alternate between the two so machine load hits both alike; medians.
  auditkit's bytecode is compiled first, as an install does. Target <= 1.5x.
- Opening the runner on a 2,000-question protocol: from the key reaching the app to the end of
  the runner's first refresh. Baseline: a screen holding a bare 2,000-option OptionList,
  pushed and timed to its first refresh. Target < 0.5 s.
- Answer + next question on that protocol, app time per keypress: from the key event reaching
  the app to the end of the refresh that shows the answer and the next question; then the
  second update, when the write has committed and the answer shows "saved". Baseline: a down
  key in a bare 2,000-option OptionList, timed the same way. Targets (issue 14): median
  < 20 ms and the slowest of the 40 keypresses < 50 ms.
- A full garbage collection with the runner open, after the opens and keypresses above
  (information): the pause the TUI takes once the auditor has not pressed a key for half a
  second (see auditkit/tui/collector.py), against the same collection in the bare app.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

from benchmarks import Row, compile_auditkit, python, row
from benchmarks.synthetic import protocol_dir

REPEAT = 15
KEYPRESSES = 40
OPENS = 5

# Both launchers write the wall clock to stdout once their first screen has been drawn (with
# os.write: Textual captures print), then exit; headless, each in a fresh interpreter.
BARE = """
import os, time
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("hello"); yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.first_frame)
    def first_frame(self):
        os.write(1, f"{time.time()!r}\\n".encode())
        self.exit()
Bare().run(headless=True)
"""
OPEN = """
import os, sys, time
from textual.app import App
from auditkit.tui.screens.dashboard import DashboardScreen
mount = DashboardScreen.on_mount
def first_frame(app):
    os.write(1, f"{time.time()!r}\\n".encode())
    app.exit()
def first_frame_then_exit(self):
    mount(self)
    self.call_after_refresh(first_frame, self.app)
DashboardScreen.on_mount = first_frame_then_exit
run = App.run
App.run = lambda self, **kw: run(self, headless=True)
from auditkit.cli import main
sys.exit(main(["open", sys.argv[1]]))
"""


def alternating(first: list[str], second: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time of two commands, run in turn ``repeat`` times after one warm-up."""

    def once(args: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return time.perf_counter() - start

    once(first), once(second)  # warm the OS file cache
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        times[0].append(once(first))
        times[1].append(once(second))
    return statistics.median(times[0]), statistics.median(times[1])


def first_frames(
    first: list[str], second: list[str], repeat: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median seconds from starting each launcher to its first frame, and to its exit.

    The launchers write the wall clock at their first frame; the two alternate ``repeat``
    times after one warm-up run each.
    """

    def once(args: list[str]) -> tuple[float, float]:
        start = time.time()
        done = subprocess.run(args, check=True, capture_output=True)
        end = time.time()
        return float(done.stdout.split()[-1]) - start, end - start

    once(first), once(second)  # warm the OS file cache
    runs: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(repeat):
        runs[0].append(once(first))
        runs[1].append(once(second))
    median = statistics.median
    return (
        (median(f for f, _ in runs[0]), median(e for _, e in runs[0])),
        (median(f for f, _ in runs[1]), median(e for _, e in runs[1])),
    )


def large_audit(folder: Path, questions: int) -> Path:
    """An audit on a synthetic protocol with one subject of each kind (so y answers)."""
    from auditkit.audit import Audit, Profile

    path = folder / f"tui-{questions}.audit"
    with Audit.create(
        path,
        Profile(
            company="Bench Ltd",
            protocol=str(protocol_dir(questions)),
            headcounts=(40,),
            sites=("Yard",),
        ),
    ) as audit:
        audit.add_subject("interviewee", "WK-01", role="worker", site="Yard")
        audit.add_subject("incident", "INC-1", fields={"type": "near_miss"})
    return path


class KeyClock:
    """Times from the moment a key event reaches the app to the end of a later refresh."""

    def __init__(self) -> None:
        self.start = 0.0
        self._seen: object = None

    def key_arrived(self, event: object) -> None:
        if event is not self._seen:  # a key bubbles back up to the app: count it once
            self._seen = event
            self.start = time.perf_counter()

    def stamp(self, node: Any, into: list[float]) -> None:
        """Append to ``into`` once ``node``'s screen has refreshed (callbacks run after the
        redraw of everything the handler changed)."""
        start = self.start
        node.call_after_refresh(lambda: into.append(time.perf_counter() - start))


def timed_app(base: type[Any], clock: KeyClock) -> type[Any]:
    """``base`` with its key events stamped on ``clock``, and its own stylesheet."""
    from textual import events

    css = getattr(base, "CSS_PATH", None)
    folder = Path(sys.modules[base.__module__].__file__ or "").parent

    class Timed(base):  # type: ignore[misc, valid-type]
        CSS_PATH = str(folder / css) if css else None

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key):
                clock.key_arrived(event)
            await super().on_event(event)

    return Timed


@contextmanager
def stamped(cls: type[Any], name: str, clock: KeyClock, into: list[float]) -> Iterator[None]:
    """While inside, every call of ``cls.name`` stamps ``clock`` into ``into``."""
    method = getattr(cls, name)

    @wraps(method)  # Textual passes a handler as many arguments as its signature takes
    def wrapped(self: Any, *args: Any) -> Any:
        result = method(self, *args)
        clock.stamp(self, into)
        return result

    setattr(cls, name, wrapped)
    try:
        yield
    finally:
        setattr(cls, name, method)


async def runner_times(path: Path) -> dict[str, list[float]]:
    """Open the runner (r, then esc) a few times, then answer y on KEYPRESSES questions."""
    from auditkit.audit import Audit
    from auditkit.store.records import AnswerRow
    from auditkit.tui.app import AuditkitApp
    from auditkit.tui.screens.runner import RunnerScreen

    clock, saved = KeyClock(), KeyClock()
    times: dict[str, list[float]] = {"open": [], "answer": [], "saved": [], "collect": []}

    class App(timed_app(AuditkitApp, clock)):  # type: ignore[misc]
        def _committed(self, job: Any, result: object) -> None:
            # The committed answer reaches the UI thread: from here to "saved" on screen.
            saved.start = time.perf_counter()
            super()._committed(job, result)
            if isinstance(result, AnswerRow):
                saved.stamp(self.screen, times["saved"])

    app = App(Audit.open(path, write=True), remember_recent=False)
    with (
        stamped(RunnerScreen, "on_mount", clock, times["open"]),
        stamped(RunnerScreen, "action_answer", clock, times["answer"]),
    ):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for _ in range(OPENS):
                await pilot.press("r")
                await pilot.pause()
                await pilot.press("escape")
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
            for _ in range(KEYPRESSES):
                await pilot.press("y")  # answers, and moves to the next question
                await app.workers.wait_for_complete()
                await pilot.pause()
            times["collect"] = [full_collection()]
    return times


async def bare_times(options: int) -> dict[str, list[float]]:
    """A screen with a bare OptionList: pushed (to its first refresh), then down keys."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import OptionList

    clock = KeyClock()
    times: dict[str, list[float]] = {"open": [], "down": [], "collect": []}

    class List(Screen[None]):
        def compose(self) -> ComposeResult:
            yield OptionList(*[f"option {i}" for i in range(options)])

        def on_mount(self) -> None:
            clock.stamp(self, times["open"])

    app = timed_app(App, clock)()
    with stamped(OptionList, "action_cursor_down", clock, times["down"]):
        async with app.run_test(size=(120, 40)) as pilot:
            for index in range(OPENS):
                clock.start = time.perf_counter()
                await app.push_screen(List())
                await pilot.pause()
                if index < OPENS - 1:
                    app.pop_screen()
                    await pilot.pause()
            for _ in range(KEYPRESSES):
                await pilot.press("down")
                await pilot.pause()
            times["collect"] = [full_collection()]
    return times


def full_collection() -> float:
    """Seconds of one full garbage collection, as the process stands."""
    start = time.perf_counter()
    gc.collect()
    return time.perf_counter() - start


def run() -> list[Row]:
    from auditkit.demo import build_demo

    rows: list[Row] = []
    compile_auditkit()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = build_demo(folder / "demo.audit")
        opened, bare = first_frames(python(OPEN, str(demo)), python(BARE), REPEAT)
        rows.append(
            row(
                "TUI: auditkit open FILE to the dashboard's first frame (demo audit) "
                "vs a bare Textual app, same launcher",
                opened[0],
                bare[0],
                "<= 1.5x",
            )
        )
        rows.append(
            row(
                "TUI: the same launchers, start to the process's exit (info)",
                opened[1],
                bare[1],
                "",
            )
        )
        cli, nothing = alternating(python("import auditkit.cli"), python("pass"), REPEAT)
        rows.append(
            row(
                "TUI: python -c 'import auditkit.cli' (info; baseline python -c pass)",
                cli,
                nothing,
                "",
            )
        )
        big = large_audit(folder, 2000)
        ours = asyncio.run(runner_times(big))
        gc.collect()  # the bare app's collection below is not to include auditkit's garbage
        theirs = asyncio.run(bare_times(2000))
        median = statistics.median
        rows.append(
            row(
                "TUI: open the runner, 2,000 questions, key to first refresh (baseline: "
                "push a screen with a bare 2,000-option OptionList)",
                median(ours["open"]),
                median(theirs["open"]),
                "< 0.5 s",
            )
        )
        rows.append(
            row(
                "TUI: answer + next question, 2,000 questions, key to the end of the "
                "refresh showing it, median (baseline: down key, bare 2,000-option "
                "OptionList)",
                median(ours["answer"]) * 1000,
                median(theirs["down"]) * 1000,
                "< 20 ms",
                unit="ms",
            )
        )
        rows.append(
            row(
                "TUI: the same, slowest of 40 keypresses",
                max(ours["answer"]) * 1000,
                max(theirs["down"]) * 1000,
                "< 50 ms",
                unit="ms",
            )
        )
        rows.append(
            row(
                "TUI: answer committed -> 'saved' shown, median app time (info)",
                median(ours["saved"]) * 1000,
                median(theirs["down"]) * 1000,
                "",
                unit="ms",
            )
        )
        rows.append(
            row(
                "TUI: one full garbage collection after the runner opens and the 40 answers "
                "above, as the TUI makes it once no key was pressed for half a second (info; "
                "baseline: the same in the bare OptionList app)",
                ours["collect"][0] * 1000,
                theirs["collect"][0] * 1000,
                "",
                unit="ms",
            )
        )
    return rows


if __name__ == "__main__":
    for result in run():
        print(
            f"{result['name']}\n    {result['value']:.3f} {result['unit']} vs "
            f"{result['baseline']:.3f} {result['unit']}: {result['ratio']:.2f}x "
            f"(target {result['target']})"
        )
