"""``python -m benchmarks``: run every benchmark module present and print one table.

Modules are optional so the suite runs while others are still being written; a module that
fails is reported in the table rather than hiding the other figures.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import traceback

from benchmarks import Row, met

MODULES = ("core", "tui", "export", "team", "portfolio", "limits", "qa", "findings", "demo")


def machine() -> str:
    """One line describing where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    load = f", load average {os.getloadavg()[0]:.2f} at start" if hasattr(os, "getloadavg") else ""
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}{load}"
    )


def collect(names: list[str]) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"({name}: not written yet, skipped)", file=sys.stderr)
                continue
            raise
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            rows += module.run()
        except Exception as exc:  # one broken module must not hide the other figures
            traceback.print_exc()
            rows.append(
                {
                    "name": f"{name}: FAILED ({type(exc).__name__}: {exc})",
                    "value": float("nan"),
                    "baseline": float("nan"),
                    "ratio": float("nan"),
                    "target": "",
                    "unit": "",
                    "met": False,
                }
            )
    return rows


def _number(value: float, unit: str) -> str:
    if value != value:  # NaN: the module failed
        return "-"
    return f"{value:.3f} {unit}" if unit == "s" else f"{value:.2f} {unit}"


def table(rows: list[Row]) -> str:
    """A Markdown table, readable as text and pasteable into BENCHMARKS.md."""
    lines = [
        "| figure | value | baseline | ratio | target | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for result in rows:
        verdict = {True: "met", False: "MISSED", None: "info"}[met(result)]
        ratio = result["ratio"]
        lines.append(
            f"| {result['name']} | {_number(result['value'], result['unit'])} "
            f"| {_number(result['baseline'], result['unit'])} "
            f"| {'-' if ratio != ratio else f'{ratio:.2f}x'} "
            f"| {result['target'] or '(none named)'} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "modules",
        nargs="*",
        metavar="MODULE",
        help=f"run only these ({', '.join(MODULES)}); default: all",
    )
    args = parser.parse_args()
    unknown = [name for name in args.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r} (expected: {', '.join(MODULES)})")
    where = machine()
    rows = collect(list(args.modules) or list(MODULES))
    print(f"Machine: {where}\n")
    print(table(rows))
    return 0 if all(met(r) is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
