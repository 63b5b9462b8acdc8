"""One row per sweep point: yearly tonnes per crossing and in total with CIs, transit, bottleneck."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from simulator.report.build import Report
from simulator.report.compare import year_bottlenecks
from simulator.report.stats import ci_half_width, percentile
from simulator.report.tables import Table

CROSSINGS = "crossings"  # the sum over every border crossing


def per_replication_yearly(report: Report, kind: str, name: str | None = None) -> list[float]:
    """Each replication's mean yearly tonnes (both directions) of one kind, summed over names."""
    sums: dict[tuple[int, int], float] = {}
    for rep, year, k, n, direction, tonnes, *_ in report.yearly.rows:
        if k == kind and direction == "both" and (name is None or n == name):
            sums[(rep, year)] = sums.get((rep, year), 0.0) + float(tonnes)
    reps = sorted(set(report.yearly.column("replication")))
    years = sorted(set(report.yearly.column("year")))
    return [float(np.mean([sums.get((r, y), 0.0) for y in years])) for r in reps]


def main_bottleneck(report: Report) -> str:
    """The resource that is the bottleneck in most years (the later one on a tie)."""
    by_year = year_bottlenecks(report)
    if not by_year:
        return ""
    counts = Counter(by_year.values())
    return max(
        by_year.values(),
        key=lambda name: (counts[name], max(y for y, n in by_year.items() if n == name)),
    )


def sweep_table(
    keys: Sequence[str], points: Sequence[Sequence[str]], reports: Sequence[Report]
) -> Table:
    """The sweep grid: the varied values, then means and 95% half-widths per point."""
    crossings = list(
        dict.fromkeys(n for r in reports for n in r.yearly.where(kind="border").column("name"))
    )
    measures = [*crossings, CROSSINGS, "delivered"]
    columns = (
        *keys,
        "replications",
        *(f"{m}_tonnes_{s}" for m in measures for s in ("mean", "ci95")),
        "transit_p95_days",
        "bottleneck",
    )
    rows = []
    for values, report in zip(points, reports, strict=True):
        cells: list = [*(_number(v) for v in values), report.replications]
        for m in measures:
            if m == CROSSINGS:
                series = per_replication_yearly(report, "border")
            elif m == "delivered":
                series = per_replication_yearly(report, "total")
            else:
                series = per_replication_yearly(report, "border", m)
            ci = ci_half_width(series) if len(series) > 1 else math.nan
            cells += [float(np.mean(series)), ci]
        cells += [
            percentile(np.array(report.transit.column("transit_days")), 95),
            main_bottleneck(report),
        ]
        rows.append(tuple(cells))
    return Table(columns, tuple(rows))


def _number(text: str) -> int | float | str:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
