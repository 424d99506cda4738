"""TUI speed: first frame of the dashboard, opening the runner, answering at 2,000 questions.

Run alone with ``python -m benchmarks.tui`` or as part of ``python -m benchmarks``. Every
figure has a baseline measured in the same run:

- ``auditkit open FILE`` to the dashboard's first frame, against a bare Textual app (Header,
  Static, Footer) started the same way (a fresh process, headless, exiting after its first
  frame); target <= 1.5x.
- Opening the runner on a 2,000-question protocol; target < 0.5 s.
- Next question + answer, per keypress of app time on that protocol, with the answer
  committed; target < 50 ms. Baseline: a down keypress in a bare 2,000-option OptionList.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import Row, process_time, python, row
from benchmarks.synthetic import protocol_dir

REPEAT = 5
KEYPRESSES = 40

# Both launchers exit after their first frame, headless, in a fresh interpreter.
BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("hello"); yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True)
"""
HIDE_NUMPY = "import sys; sys.modules['numpy'] = None\n"
OPEN = """
import sys
from textual.app import App
from auditkit.tui.screens.dashboard import DashboardScreen
mount = DashboardScreen.on_mount
def first_frame_then_exit(self):
    mount(self)
    self.call_after_refresh(self.app.exit)
DashboardScreen.on_mount = first_frame_then_exit
run = App.run
App.run = lambda self, **kw: run(self, headless=True)
from auditkit.cli import main
sys.exit(main(["open", sys.argv[1]]))
"""


def first_frame(audit: Path) -> tuple[float, float]:
    """Seconds from process start to first frame: (auditkit open, bare Textual app)."""
    bare = process_time(python(BARE), REPEAT)
    opened = process_time(python(OPEN, str(audit)), REPEAT)
    return opened, bare


def large_audit(folder: Path, questions: int) -> Path:
    """An audit on a synthetic protocol with one subject of each kind (so y answers)."""
    from auditkit.audit import Audit, Profile

    path = folder / f"tui-{questions}.audit"
    with Audit.create(path, Profile(company="Bench Ltd", protocol=str(protocol_dir(questions)),
                                    headcounts=(40,), sites=("Yard",))) as audit:
        audit.add_subject("interviewee", "WK-01", role="worker", site="Yard")
        audit.add_subject("incident", "INC-1", fields={"type": "near_miss"})
    return path


async def runner_times(path: Path) -> tuple[float, float, float, float]:
    """Medians, in seconds: open the runner; the answer key's handler inside the app; a
    keypress through the test pilot until the screen is idle; the same until the save
    committed."""
    from auditkit.audit import Audit
    from auditkit.tui.app import AuditkitApp

    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("r")
        await pilot.pause()
        opened = time.perf_counter() - start
        handled, saved = [], []
        for _ in range(KEYPRESSES):
            start = time.perf_counter()
            await pilot.press("y")  # answers, and moves to the next question
            await pilot.pause()
            handled.append(time.perf_counter() - start)
            await app.workers.wait_for_complete()
            await pilot.pause()
            saved.append(time.perf_counter() - start)
        screen = app.screen
        in_app = []
        for _ in range(KEYPRESSES):
            start = time.perf_counter()
            screen.action_answer("yes")  # type: ignore[attr-defined]
            in_app.append(time.perf_counter() - start)
            await app.workers.wait_for_complete()
            await pilot.pause()
    return opened, statistics.median(in_app), statistics.median(handled), \
        statistics.median(saved)


async def bare_keypress(options: int) -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import OptionList

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList(*[f"option {i}" for i in range(options)])

    app = Bare()
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(KEYPRESSES):
            start = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


async def bare_open() -> float:
    """A screen with a 2,000-option OptionList pushed on a running app."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import OptionList

    class List(Screen[None]):
        def compose(self) -> ComposeResult:
            yield OptionList(*[f"option {i}" for i in range(2000)])

    app: App[None] = App()
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await app.push_screen(List())
        await pilot.pause()
        return time.perf_counter() - start


def run() -> list[Row]:
    from auditkit.demo import build_demo

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = build_demo(folder / "demo.audit")
        opened, bare = first_frame(demo)
        rows.append(row("TUI: auditkit open FILE to the dashboard's first frame (demo audit) "
                        "vs a bare Textual app", opened, bare, "<= 1.5x"))
        # sqlite-utils imports numpy when it is installed (it is not an auditkit dependency):
        # the same figure as a fresh `pip install .` sees it.
        no_numpy = process_time(python(HIDE_NUMPY + OPEN, str(demo)), REPEAT)
        rows.append(row("TUI: the same, numpy hidden (as in a fresh install)", no_numpy, bare,
                        "<= 1.5x"))
        big = large_audit(folder, 2000)
        runner_open, in_app, handled, saved = asyncio.run(runner_times(big))
        list_open = asyncio.run(bare_open())
        keypress = asyncio.run(bare_keypress(2000))
        rows.append(row("TUI: open the runner, 2,000 questions (baseline: push a screen with a "
                        "bare 2,000-option OptionList)", runner_open, list_open, "< 0.5 s"))
        rows.append(row("TUI: answer + next, app time of the key's handler, 2,000 questions "
                        "(baseline: pilot down key in a bare 2,000-option OptionList)",
                        in_app * 1000, keypress * 1000, "< 50 ms", unit="ms"))
        rows.append(row("TUI: answer + next, pilot keypress until idle (info; includes the "
                        "pilot's own wait)", handled * 1000, keypress * 1000, "", unit="ms"))
        rows.append(row("TUI: answer + next, pilot keypress until the save committed (fsync)",
                        saved * 1000, keypress * 1000, "", unit="ms"))
    return rows


if __name__ == "__main__":
    for result in run():
        print(f"{result['name']}\n    {result['value']:.3f} {result['unit']} vs "
              f"{result['baseline']:.3f} {result['unit']}: {result['ratio']:.2f}x "
              f"(target {result['target']})")
