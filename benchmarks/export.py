"""Export figures (issue 5): every format of a 2,000-question × 30-subject audit, and growth.

* **every format** — the report built once and rendered as Markdown, HTML, Word, CSV and JSON,
  each written to a file, in one process (what the TUI's export screen does). Target: at most
  2 s in all. The baseline is the floor of any export: reading every answer row from the file
  and writing it out as JSON, measured in the same run.
* **bundle** — ``auditkit export --format bundle`` in process: the same five files zipped with
  a manifest (shown against the same baseline; the issue names no separate target).
* **growth** — every format at N and at 2N answers (1,000 and 2,000 questions, 30 subjects
  each): linear growth doubles the time; the target allows up to 2.5× for noise.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from auditkit.audit import Audit
from auditkit.export import REPORT_FORMATS, export, render, write_file
from auditkit.export.report import build
from benchmarks import Row, median_time, row, synthetic

DATA_FORMATS = ("csv", "json")
REPEAT = 3


def every_format(audit: Audit, folder: Path) -> None:
    report = build(audit)
    for fmt in (*REPORT_FORMATS, *DATA_FORMATS):
        write_file(folder / f"out.{fmt}", render(audit, fmt, report))


def raw_dump(audit: Audit, folder: Path) -> None:
    """The baseline: every answer row read and written as JSON, nothing else."""
    rows = audit.store.conn.execute("SELECT * FROM answers").fetchall()
    write_file(folder / "raw.json", json.dumps(rows).encode())


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        large = Audit.open(synthetic.large_audit(folder / "large.audit"))
        half = Audit.open(synthetic.large_audit(folder / "half.audit", questions=1000))
        answers = len(large.answers())
        try:
            baseline = median_time(lambda: raw_dump(large, folder), REPEAT)
            total = median_time(lambda: every_format(large, folder), REPEAT)
            bundle = median_time(lambda: export(large, "bundle", folder / "b.zip", force=True),
                                 REPEAT)
            smaller = median_time(lambda: every_format(half, folder), REPEAT)
            per_format = {fmt: median_time(lambda fmt=fmt: render(large, fmt), REPEAT)
                          for fmt in (*REPORT_FORMATS, *DATA_FORMATS)}
        finally:
            large.close()
            half.close()
    label = f"2,000 questions x 30 subjects ({answers:,} answers)"
    rows = [row(f"export: md+html+docx+csv+json, {label}", total, baseline, "< 2 s"),
            row(f"export: bundle (zip of all five + manifest), {label}", bundle, baseline, "")]
    rows += [row(f"export: {fmt} alone (report built each time)", seconds, baseline, "")
             for fmt, seconds in per_format.items()]
    rows.append(row("export growth: every format at 2N vs N answers", total, smaller,
                    "<= 2.5x"))
    return rows


if __name__ == "__main__":
    for result in run():
        print(f"{result['name']}: {result['value']:.3f} s (baseline {result['baseline']:.3f} s, "
              f"{result['ratio']:.2f}x, target {result['target'] or '-'})")
