"""auditkit's benchmark suite: every speed figure the issues name, as a ratio to a baseline.

Run ``python -m benchmarks``. Each module (``core``, ``tui``, ``export``, ``team``) exposes
``run() -> list[dict]``; each row is one figure::

    {"name": "score, 2,000 questions x 30 subjects (whole process)",
     "value": 0.31, "baseline": 0.02, "ratio": 15.5, "unit": "s",
     "target": "< 0.5 s"}

``value`` and ``baseline`` are in ``unit`` (``s`` or ``ms``), the baseline measured in the same
run. ``target`` is either a ratio (``"<= 3x"``) or an absolute time (``"< 0.5 s"``,
``"< 50 ms"``); :func:`met` decides from it, unless the row carries its own ``"met"`` bool.
A row with ``target`` ``""`` is shown for information only.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Row = dict[str, Any]

_TARGET = re.compile(r"^\s*(<=|≤|<)\s*([0-9.]+)\s*(x|×|s|ms)\s*$")
_TO_SECONDS = {"s": 1.0, "ms": 0.001}


def row(name: str, value: float, baseline: float, target: str, unit: str = "s") -> Row:
    """One table row; the ratio is computed here so every module computes it alike."""
    return {
        "name": name,
        "value": value,
        "baseline": baseline,
        "ratio": value / baseline if baseline else float("inf"),
        "target": target,
        "unit": unit,
    }


def met(result: Row) -> bool | None:
    """Whether a row meets its target; ``None`` when it has none (or one not understood)."""
    if "met" in result:
        return bool(result["met"])
    match = _TARGET.match(str(result.get("target") or ""))
    if not match:
        return None
    op, limit, unit = match.group(1), float(match.group(2)), match.group(3)
    if unit in ("x", "×"):
        measured = float(result["ratio"])
    else:
        measured = float(result["value"]) * _TO_SECONDS[result.get("unit", "s")]
        limit *= _TO_SECONDS[unit]
    return measured < limit if op == "<" else measured <= limit


def median_time(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in seconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_time(args: Sequence[str], repeat: int = 5) -> float:
    """Median wall time of running ``args`` as a fresh process (must exit 0)."""

    def once() -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    once()  # warm the OS file cache so every figure is a warm-cache figure
    return median_time(once, repeat)


def python(*code: str) -> list[str]:
    """Arguments that run this interpreter on ``code`` (``python -c ...``)."""
    return [sys.executable, "-c", *code]


def compile_auditkit() -> None:
    """Compile auditkit's modules to bytecode, as installing it does, before timing processes.

    pip compiles a package's modules when it installs them, and Python caches the bytecode
    of an editable install on first import, unless PYTHONDONTWRITEBYTECODE is set, as it is
    on the machine these figures come from. Without this, every fresh process would compile
    auditkit from source (30–60 ms) while the libraries in the baselines load compiled.
    """
    import compileall

    import auditkit

    compileall.compile_dir(Path(auditkit.__file__).parent, quiet=1)
