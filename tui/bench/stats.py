"""Summaries of repeated measurements, and the printed table."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank, of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Row:
    """One measured quantity of a scenario: repeated values, a unit and its target."""

    scenario: str
    metric: str
    unit: str
    values: list[float] = field(default_factory=list)
    target: str = ""
    ok: bool | None = None  # None: no target, or not measured
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["median"] = self.median
        out["min"] = min(self.values) if self.values else None
        out["max"] = max(self.values) if self.values else None
        return out


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0 or abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(rows: Sequence[Row]) -> str:
    """A plain-text table: scenario, metric, median, min-max, target, verdict."""
    header = ("scenario", "metric", "median", "min–max", "n", "target", "")
    lines: list[tuple[str, ...]] = [header]
    for row in rows:
        spread = (f"{_fmt(min(row.values))}–{_fmt(max(row.values))}"
                  if len(row.values) > 1 else "")
        verdict = {True: "ok", False: "MISSED", None: ""}[row.ok]
        median = f"{_fmt(row.median)} {row.unit}" if row.values else row.note or "–"
        lines.append((row.scenario, row.metric, median, spread, str(len(row.values)),
                      row.target, verdict))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    notes: dict[str, str] = {}  # one line per metric, however many scenarios share it
    for row in rows:
        if row.note and row.values:
            notes.setdefault(row.metric, f"  {row.metric}: {row.note}")
    if notes:
        out.append("")
        out.append("notes:")
        out.extend(notes.values())
    return "\n".join(out)
