"""Export figures (issue 5): every format of a 2,000-question × 30-subject audit, and growth.

* **every format** — the report built once and rendered as Markdown, HTML, Word, CSV, Excel
  and JSON, each written to a file, in one process (what the TUI's export screen does); with
  Excel (issue 15) the target is at most 2.5 s in all. The baseline is the floor of any export:
  reading every answer row from the file and writing it out as JSON, measured in the same run.
* **bundle** — ``auditkit export --format bundle`` in process: the same five files zipped with
  a manifest (shown against the same baseline; the issue names no separate target).
* **growth** — every format at four sizes (500, 1,000, 1,500 and 2,000 questions, 30 subjects
  each: 11,375 to 45,500 answers), timed in ``ROUNDS`` rounds that visit the sizes in turn
  (the order reversed every other round), medians. Linear growth keeps the cost per answer
  flat: a fixed cost makes it fall with size, anything worse than linear makes it rise. The
  figure is the cost per answer at the largest size against the smallest; the target allows
  25 % for noise (a quadratic step would show 4×). A least-squares line through the four
  medians is shown with it.
"""

from __future__ import annotations

import json
import random
import statistics
import struct
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from auditkit.audit import Audit
from auditkit.export import REPORT_FORMATS, export, render, write_file
from auditkit.export.report import build
from auditkit.rules.attachments import add_evidence
from benchmarks import Row, median_time, row, synthetic

DATA_FORMATS = ("csv", "xlsx", "json")
PHOTOS = 20  # photos of about 200 KB each, for the Word growth figure
REPEAT = 3
SIZES = (500, 1000, 1500, 2000)  # questions, each answered for 30 subjects
ROUNDS = 5


def every_format(audit: Audit, folder: Path) -> None:
    report = build(audit)
    for fmt in (*REPORT_FORMATS, *DATA_FORMATS):
        write_file(folder / f"out.{fmt}", render(audit, fmt, report))


def raw_dump(audit: Audit, folder: Path) -> None:
    """The baseline: every answer row read and written as JSON, nothing else."""
    rows = audit.store.conn.execute("SELECT * FROM answers").fetchall()
    write_file(folder / "raw.json", json.dumps(rows).encode())


def growth_times(audits: dict[int, Audit], folder: Path) -> dict[int, float]:
    """Median seconds of :func:`every_format` per size, the sizes taken in turn each round."""
    times: dict[int, list[float]] = {size: [] for size in audits}
    order = sorted(audits)
    every_format(audits[order[0]], folder)  # warm the imports and the OS file cache
    for round_ in range(ROUNDS):
        for size in order if round_ % 2 == 0 else reversed(order):
            start = time.perf_counter()
            every_format(audits[size], folder)
            times[size].append(time.perf_counter() - start)
    return {size: statistics.median(seconds) for size, seconds in times.items()}


def linear_fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Least squares ``seconds = fixed + per_answer * answers``: (fixed, per_answer, R²)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    fit = statistics.linear_regression(xs, ys)
    predicted = [fit.intercept + fit.slope * x for x in xs]
    mean = statistics.fmean(ys)
    residual = sum((y - p) ** 2 for y, p in zip(ys, predicted, strict=True))
    total = sum((y - mean) ** 2 for y in ys)
    return fit.intercept, fit.slope, 1 - residual / total if total else 1.0


def noise_png(seed: int, width: int = 300, height: int = 220) -> bytes:
    """A PNG of random pixels, stored uncompressed: it cannot shrink in the zip either."""
    rows = b"".join(
        b"\x00" + random.Random(seed * 1000 + y).randbytes(width * 3) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"IEND", b"")
    )


def photo_growth(folder: Path) -> tuple[int, int, float, float]:
    """(bytes the Word report grows by, bytes of the photos, seconds without, seconds with)
    for a 500-question audit with :data:`PHOTOS` photos, each attached to two answers."""
    path = synthetic.large_audit(folder / "photos.audit", questions=500)
    with Audit.open(path, write=True) as audit:
        before = len(render(audit, "docx"))
        plain = median_time(lambda: render(audit, "docx"), REPEAT)
        once = [q.id for q in audit.protocol.questions if not q.per_subject]
        images = [noise_png(n) for n in range(PHOTOS)]
        for n, image in enumerate(images):
            photo = folder / f"photo{n}.png"
            photo.write_bytes(image)
            for question in once[n % len(once) :][:2] or once[:1]:
                add_evidence(audit, question, [photo], caption=f"photo {n}")
        after = len(render(audit, "docx"))
        with_photos = median_time(lambda: render(audit, "docx"), REPEAT)
    return after - before, sum(len(i) for i in images), plain, with_photos


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        audits = {
            size: Audit.open(synthetic.large_audit(folder / f"q{size}.audit", questions=size))
            for size in SIZES
        }
        large = audits[max(SIZES)]
        answers = {size: len(audit.answers()) for size, audit in audits.items()}
        try:
            baseline = median_time(lambda: raw_dump(large, folder), REPEAT)
            growth = growth_times(audits, folder)
            bundle = median_time(
                lambda: export(large, "bundle", folder / "b.zip", force=True), REPEAT
            )
            per_format = {
                fmt: median_time(_render(large, fmt), REPEAT)
                for fmt in (*REPORT_FORMATS, *DATA_FORMATS)
            }
            grown, photo_bytes, plain, with_photos = photo_growth(folder)
            start = time.process_time()  # CPU, which other jobs on the machine do not inflate
            every_format(large, folder)
            cpu = time.process_time() - start
        finally:
            for audit in audits.values():
                audit.close()
    small, big = min(SIZES), max(SIZES)
    label = f"2,000 questions x 30 subjects ({answers[big]:,} answers)"
    rows = [
        row(
            f"export: md+html+docx+csv+xlsx+json, {label}, median of {ROUNDS} "
            f"(CPU of one run: {cpu:.2f} s)",
            growth[big],
            baseline,
            "< 2.5 s",
        ),
        row(f"export: bundle (zip of all six + manifest), {label}", bundle, baseline, ""),
    ]
    rows += [
        row(f"export: {fmt} alone (report built each time)", seconds, baseline, "")
        for fmt, seconds in per_format.items()
    ]
    rows.append(
        row(
            f"export: docx growth with {PHOTOS} photos ({photo_bytes / 1e6:.1f} MB, each shown "
            f"under two answers), MB added vs the photos' MB (docx {plain:.2f} s -> "
            f"{with_photos:.2f} s)",
            grown / 1e6,
            photo_bytes / 1e6,
            "<= 1.02x",
            unit="MB",
        )
    )
    fixed, per_answer, r2 = linear_fit([(answers[size], growth[size]) for size in SIZES])
    medians = ", ".join(f"{answers[size]:,}: {growth[size]:.2f} s" for size in SIZES)
    rows.append(
        row(
            f"export growth: every format, cost per answer at {answers[big]:,} "
            f"vs {answers[small]:,} answers (medians {medians}; "
            f"line: {fixed * 1000:.0f} ms + {per_answer * 1e6:.1f} µs per answer, R² {r2:.3f})",
            growth[big] / answers[big] * 1e6,
            growth[small] / answers[small] * 1e6,
            "<= 1.25x",
            unit="µs",
        )
    )
    return rows


def _render(audit: Audit, fmt: str) -> Callable[[], object]:
    return lambda: render(audit, fmt)


if __name__ == "__main__":
    for result in run():
        print(
            f"{result['name']}: {result['value']:.3f} {result['unit']} (baseline "
            f"{result['baseline']:.3f} {result['unit']}, {result['ratio']:.2f}x, target "
            f"{result['target'] or '-'})"
        )
