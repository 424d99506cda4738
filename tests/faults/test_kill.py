"""SIGKILL a process recording answers, at random moments, again and again: nothing it
reported as saved may be lost, and the file must stay sound with a journal that verifies."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

from tests.faults.conftest import assert_intact, recorder, reported

SEED = 20260507
KILLS_WHILE_WRITING = 24  # killed after the recorder opened the file, between/within writes
KILLS_WHILE_OPENING = 4  # killed at any moment from process start, opening included


def kill_once(
    path: Path, first: int, rng: random.Random, while_writing: bool
) -> tuple[list[tuple[int, tuple[str, str], str]], str]:
    """Run the recorder from answer ``first`` and SIGKILL it; returns what it reported."""
    child = recorder(path, first)
    assert child.stdout is not None
    if while_writing:
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.25))
    else:
        time.sleep(rng.uniform(0.0, 0.6))
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"recorder ended by itself: {err}"
    assert "Traceback" not in err
    return reported(("ready\n" if while_writing else "") + out), err


def test_sigkill_at_random_moments_loses_nothing_reported(field_audit: Path) -> None:
    rng = random.Random(SEED)
    rounds = [True] * KILLS_WHILE_WRITING + [False] * KILLS_WHILE_OPENING
    rng.shuffle(rounds)
    saved: list[tuple[int, tuple[str, str], str]] = []
    interrupted_writers = 0
    first = 0
    for number, while_writing in enumerate(rounds):
        this_round, _ = kill_once(field_audit, first, rng, while_writing)
        saved += this_round
        interrupted_writers += bool(this_round)
        if this_round:
            first = this_round[-1][0] + 1
        # After every kill: the file opens, is sound, verifies, and holds every reported answer.
        try:
            assert_intact(field_audit, saved)
        except AssertionError as exc:
            raise AssertionError(f"after kill {number + 1} (seed {SEED}): {exc}") from None
    # The kills must really have landed in the middle of recording, not only at start-up.
    assert interrupted_writers >= 20
    assert len(saved) > 100
