"""The sampling table: ``data/sampling.yaml`` (or a protocol folder's own), loaded and validated.

Rows map a size (the workforce, or the number of active sites) to a count: a number, ``all``,
a percentage rounded up, or ``cp`` where the Certifying Partner sets the number. Every problem is
reported as ``FILE:LINE: message``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

from auditkit.errors import AuditkitError
from auditkit.protocol.cache import _write as write_entry
from auditkit.protocol.cache import cache_dir
from auditkit.protocol.model import Protocol
from auditkit.protocol.yaml_source import LineDict, LineList, Problem, load_bytes
from auditkit.resources import data_dir

EVERYONE = "all"
CP = "cp"  # the Certifying Partner sets the number for the audit
SAMPLING_FILE = "sampling.yaml"
TOP_KEYS = {"source", "sources", "interviews", "sites"}
BAND_KEYS = {"min", "max", "required", "percent", "source"}


class SamplingInvalid(AuditkitError):
    """A sampling file failed validation; ``problems`` holds every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{self.problems[0]}{more}")


@dataclass(frozen=True)
class Band:
    """One row of a sampling table: sizes ``low..high`` (``high`` None: that size and more).

    The row requires ``required`` units, or ``percent`` of the size rounded up, or every unit
    (both None), or, with ``cp``, the number the Certifying Partner sets.
    """

    low: int
    high: int | None
    required: int | None = None
    percent: int | None = None
    cp: bool = False
    source: str = ""

    def covers(self, size: int) -> bool:
        return self.low <= size and (self.high is None or size <= self.high)

    def count(self, size: int) -> int | None:
        """Units required at ``size``; None where the CP decides."""
        if self.cp:
            return None
        if self.percent is not None:
            return math.ceil(Fraction(size * self.percent, 100))
        return size if self.required is None else self.required


@dataclass(frozen=True)
class SamplingRules:
    interviews: tuple[Band, ...]
    sites: tuple[Band, ...]
    source: str = ""
    sources: tuple[tuple[str, str], ...] = ()


# -- loading and validation --------------------------------------------------------------------


def _whole(value: Any, least: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _parse_bands(
    entries: Any, line: int, what: str, filename: str, problems: list[Problem]
) -> tuple[Band, ...]:
    """Rows contiguous and ascending from 1, the last open-ended, the count never falling."""
    if not isinstance(entries, LineList) or not entries:
        problems.append(Problem(filename, line, f"{what}: expected a non-empty list of rows"))
        return ()
    bands: list[Band] = []
    expected_low, previous = 1, 0
    last = len(entries) - 1
    for index, (entry, row_line) in enumerate(zip(entries, entries.item_lines, strict=True)):
        where = f"{what} row {index + 1}"
        if not isinstance(entry, LineDict):
            problems.append(Problem(filename, row_line, f"{where}: expected a mapping"))
            return ()
        for key in entry:
            if key not in BAND_KEYS or (key == "percent" and what != "sites"):
                problems.append(Problem(filename, row_line, f"{where}: unknown key {key!r}"))
        if "source" in entry and not isinstance(entry["source"], str):
            problems.append(Problem(filename, row_line, f"{where}: 'source' must be text"))
        low, high = entry.get("min"), entry.get("max")
        if not _whole(low, 1):
            problems.append(
                Problem(filename, row_line, f"{where}: 'min' must be a whole number >= 1")
            )
            return ()
        if low != expected_low:
            problems.append(
                Problem(
                    filename,
                    row_line,
                    f"{where}: starts at {low}, expected {expected_low} "
                    f"(rows must be contiguous and ascending from 1)",
                )
            )
        if "max" not in entry:
            if index != last:
                problems.append(
                    Problem(filename, row_line, f"{where}: only the last row may leave out 'max'")
                )
        elif index == last:
            problems.append(
                Problem(
                    filename,
                    row_line,
                    f"{where}: the last row must leave out 'max' so that every size has a row",
                )
            )
        if "max" in entry and not (_whole(high, 1) and high >= low):
            problems.append(
                Problem(filename, row_line, f"{where}: 'max' must be a whole number >= min ({low})")
            )
            return ()
        band = _parse_count(entry, low, high, where, what, filename, row_line, problems)
        if band is None:
            return ()
        # The smallest size of the row is where a falling count would first show.
        count = band.count(low)
        if count is not None and count < previous:
            problems.append(
                Problem(
                    filename,
                    row_line,
                    f"{where}: requires {count} at {low}, fewer than the {previous} of the row "
                    f"before; the count must not fall as the size grows",
                )
            )
        bands.append(band)
        if count is not None:
            end = band.count(high) if high is not None else None
            previous = end if end is not None else count
        expected_low = (high or low) + 1
    return tuple(bands)


def _parse_count(
    entry: LineDict,
    low: int,
    high: int | None,
    where: str,
    what: str,
    filename: str,
    line: int,
    problems: list[Problem],
) -> Band | None:
    required, percent = entry.get("required"), entry.get("percent")
    source = str(entry.get("source") or "")
    if ("required" in entry) == ("percent" in entry):
        wanted = (
            "'required' (a number, all or cp) or 'percent'" if what == "sites" else "'required'"
        )
        problems.append(Problem(filename, line, f"{where}: give exactly one of {wanted}"))
        return None
    if "percent" in entry:
        if not (_whole(percent, 1) and percent <= 100):
            problems.append(Problem(filename, line, f"{where}: 'percent' must be 1..100"))
            return None
        return Band(low, high, percent=percent, source=source)
    if required == EVERYONE:
        return Band(low, high, source=source)
    if required == CP:
        return Band(low, high, cp=True, source=source)
    if not _whole(required, 1):
        problems.append(
            Problem(
                filename,
                line,
                f"{where}: 'required' must be a whole number >= 1, {EVERYONE!r} or {CP!r}",
            )
        )
        return None
    if required > low:
        problems.append(
            Problem(
                filename,
                line,
                f"{where}: requires {required}, more than the {low} at the start of the row",
            )
        )
        return None
    return Band(low, high, required=required, source=source)


def _parse_sources(value: Any, line: int, filename: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(value, LineDict) or not all(isinstance(v, str) for v in value.values()):
        problems.append(Problem(filename, line, "sources: expected a mapping of name to text"))
        return {}
    return {str(k): str(v) for k, v in value.items()}


def parse_sampling(raw: bytes, filename: str) -> SamplingRules:
    """Validate a sampling file; raises :class:`SamplingInvalid` with every problem."""
    data, problems = load_bytes(raw, filename)
    if data is None:
        raise SamplingInvalid(problems)
    if not isinstance(data, LineDict):
        raise SamplingInvalid(
            [Problem(filename, 1, "expected a mapping with 'interviews' and 'sites'")]
        )
    for key in data:
        if key == "roles":
            problems.append(
                Problem(
                    filename,
                    data.line_of(key),
                    "'roles' is no longer used: interviews follow the staff declared by level "
                    "(auditkit profile --staff)",
                )
            )
        elif key not in TOP_KEYS:
            problems.append(Problem(filename, data.line_of(key), f"unknown key {key!r}"))
    problems += [
        Problem(filename, 1, f"missing {key!r}")
        for key in ("interviews", "sites")
        if key not in data
    ]
    sources = (
        _parse_sources(data["sources"], data.line_of("sources"), filename, problems)
        if "sources" in data
        else {}
    )
    # A missing section is reported once, above; the others are still checked.
    rules = SamplingRules(
        interviews=_parse_bands(
            data["interviews"], data.line_of("interviews"), "interviews", filename, problems
        )
        if "interviews" in data
        else (),
        sites=_parse_bands(data["sites"], data.line_of("sites"), "sites", filename, problems)
        if "sites" in data
        else (),
        source=str(data.get("source") or ""),
        sources=tuple(sources.items()),
    )
    if problems:
        raise SamplingInvalid(problems)
    return rules


@cache
def load_sampling(path: Path | None = None) -> SamplingRules:
    """The bundled sampling rules (or the ones at ``path``), validated."""
    path = path or data_dir() / SAMPLING_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuditkitError(f"{path}: cannot read the sampling rules ({exc.strerror})") from None
    return cached_sampling(raw, str(path))


@cache
def _parse_text(text: str, filename: str) -> SamplingRules:
    return cached_sampling(text.encode(), filename)


def cached_sampling(raw: bytes, filename: str) -> SamplingRules:
    """The validated rules of ``raw``, from the parsed-rules cache when this text (and this
    module) was seen before: ``check`` and ``sample`` then need no YAML parser. Only rules
    that validated are cached, so an invalid file is refused exactly as without the cache."""
    digest = hashlib.sha256(raw)
    digest.update(Path(__file__).read_bytes())
    entry = cache_dir().parent / "sampling" / f"{digest.hexdigest()}.json"
    try:
        return _from_json(json.loads(entry.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not cached yet, or damaged: parse below
    rules = parse_sampling(raw, filename)
    write_entry(entry, json.dumps(asdict(rules)))
    return rules


def _from_json(data: dict[str, Any]) -> SamplingRules:
    return SamplingRules(
        interviews=tuple(Band(**band) for band in data["interviews"]),
        sites=tuple(Band(**band) for band in data["sites"]),
        source=str(data["source"]),
        sources=tuple((str(k), str(v)) for k, v in data["sources"]),
    )


def rules_for(protocol: Protocol) -> SamplingRules:
    """The protocol's own ``sampling.yaml`` when its folder carries one, else the bundled rules."""
    text = protocol.files.get(SAMPLING_FILE)
    if text is None:
        return load_sampling()
    return _parse_text(text, f"{protocol.id}/{SAMPLING_FILE}")
