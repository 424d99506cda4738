"""Demo figures: ``auditkit demo`` builds two audits, this year's half-done one and last year's
complete, finalized one it was started from.

* **demo build** — ``build_demo`` in process (both files, built under temporary names and
  renamed), against creating one empty audit on the same protocol, in the same run. No target
  is named: the figure is there to see what last year's complete audit costs the demo.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from auditkit.audit import Audit, Profile
from auditkit.demo import build_demo
from benchmarks import Row, median_time, row

REPEAT = 5


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        count = iter(range(1_000_000))

        def demo() -> None:
            build_demo(folder / f"demo{next(count)}.audit")

        def empty() -> None:
            profile = Profile(company="Chinook Ridge Fabrication Ltd.", protocol="cor")
            Audit.create(folder / f"empty{next(count)}.audit", profile).close()

        demo()  # warm the protocol cache and the imports, as a second `auditkit demo` finds them
        baseline = median_time(empty, REPEAT)
        built = median_time(demo, REPEAT)
    return [
        row(
            "demo: build_demo, this year's half-done audit and last year's finalized one "
            f"(vs creating one empty COR audit), median of {REPEAT}",
            built,
            baseline,
            "",
        )
    ]
