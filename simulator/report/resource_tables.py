"""Report tables about capacity: utilisation, waits and queues per resource, bottlenecks, months.

Part of `build_report` (see build.py for every column); pure functions of `RunResult` records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from simulator.records.results import RunResult
from simulator.report.periods import Periods, period_totals
from simulator.report.stats import mean_or_nan, percentile, queue_stats
from simulator.report.tables import Table

RESOURCE_COLUMNS = (
    "replication",
    "year",
    "resource",
    "kind",
    "utilisation",
    "wait_mean_h",
    "wait_p95_h",
    "queue_mean",
    "queue_max",
    "trains",
    "hours_closed",
    "busy_hours",
    "capacity_hours",
)
QUEUED_RESOURCES = 5  # resources sampled in the queues table
HOURS_PER_DAY = 24.0


def resources_table(runs: Sequence[RunResult], years: Periods) -> Table:
    """Per replication, year and resource: utilisation, waits, queue lengths, trains, closures."""
    rows: list[tuple] = []
    for run in runs:
        rows.extend(_resource_rows(run, years))
    return Table(RESOURCE_COLUMNS, tuple(rows))


def by_resource(run: RunResult) -> list[np.ndarray]:
    """Row indices of the visits to each resource, in record order."""
    res = run.visits["resource"]
    order = np.argsort(res, kind="stable")
    cuts = np.searchsorted(res[order], np.arange(len(run.resources) + 1))
    return [order[cuts[r] : cuts[r + 1]] for r in range(len(run.resources))]


def _resource_rows(run: RunResult, years: Periods) -> list[tuple]:
    v = run.visits
    capacity = {(c.resource, c.year): c for c in run.capacity}
    per_resource = []
    for rows in by_resource(run):
        arrive, start = v["arrive_h"][rows], v["start_h"][rows]
        per_resource.append((arrive, start, years.index(v["end_h"][rows]), v["busy_h"][rows]))
    out = []
    for y, (year, _) in enumerate(years.labels):
        for r, info in enumerate(run.resources):
            arrive, start, yi, busy = per_resource[r]
            inside = yi == y
            wait = (start - arrive)[inside]
            cap = capacity.get((r, year))
            offered = cap.capacity_hours * float(years.fraction[y]) if cap else 0.0
            used = float(busy[inside].sum())
            queue_mean, queue_max = queue_stats(arrive, start, years.lo[y], years.hi[y])
            out.append(
                (
                    run.replication,
                    year,
                    info.name,
                    info.kind,
                    utilisation(used, offered),
                    mean_or_nan(wait),
                    percentile(wait, 95),
                    queue_mean,
                    queue_max,
                    int(inside.sum()),
                    float(cap.closed_hours) if cap else 0.0,
                    used,
                    offered,
                )
            )
    return out


def utilisation(busy_hours: float, capacity_hours: float) -> float:
    """Busy over offered capacity, clipped to [0, 1] (1 when busy without any capacity)."""
    if capacity_hours <= 0:
        return 1.0 if busy_hours > 0 else 0.0
    return min(max(busy_hours / capacity_hours, 0.0), 1.0)


def bottlenecks_table(resources: Table) -> Table:
    """Per year the resource with the highest mean utilisation; ties go to the longest mean wait."""
    groups: dict[tuple, list[tuple[float, float]]] = {}
    for row in resources:
        key = (row["year"], row["resource"], row["kind"])
        groups.setdefault(key, []).append((row["utilisation"], row["wait_mean_h"]))
    best: dict[int, tuple] = {}
    for (year, name, kind), values in groups.items():
        util = float(np.mean([u for u, _ in values]))
        waits = [w for _, w in values if not math.isnan(w)]
        wait = float(np.mean(waits)) if waits else math.nan
        rank = (util, -math.inf if math.isnan(wait) else wait)
        if year not in best or rank > best[year][0]:
            best[year] = (rank, (year, name, kind, util, wait))
    rows = tuple(best[y][1] for y in sorted(best))
    return Table(("year", "resource", "kind", "utilisation_mean", "wait_mean_h"), rows)


def busiest(resources: Table, limit: int = QUEUED_RESOURCES) -> list[str]:
    """Every year's bottleneck, then the most utilised others, up to `limit` resource names."""
    names = list(dict.fromkeys(bottlenecks_table(resources).column("resource")))
    means: dict[str, list[float]] = {}
    for row in resources:
        means.setdefault(row["resource"], []).append(row["utilisation"])
    ranked = sorted(means, key=lambda n: -float(np.mean(means[n])))
    names += [n for n in ranked if n not in names]
    return names[:limit]


QueueSamples = tuple[int, Sequence[float], Mapping[str, Sequence[int]]]
"""(replication, sample hours, trains waiting per resource name at each hour)."""


def queues_table(samples: Iterable[QueueSamples], resources: Table) -> Table:
    """Trains waiting at each of the busiest resources, sampled daily at midnight."""
    names = busiest(resources)
    rows: list[tuple] = []
    for replication, hours, trains in samples:
        for name in names:
            rows.extend(
                (replication, float(h), name, int(c))
                for h, c in zip(hours, trains[name], strict=True)
            )
    return Table(("replication", "hour", "resource", "queue_trains"), tuple(rows))


def monthly_table(runs: Sequence[RunResult], months: Periods) -> Table:
    """Tonnes, TEU and trains per month: per border crossing, and per resource."""
    rows: list[tuple] = []
    for run in runs:
        n = len(months)
        v = run.visits
        sums = period_totals(
            v["resource"], len(run.resources), v["end_h"], months, v["tonnes"], v["teu"]
        )
        borders = [
            r for r, i in enumerate(run.resources) if i.kind == "node" and i.node_kind == "border"
        ]
        for m, (year, month) in enumerate(months.labels):
            for kind, indices in (("border", borders), ("resource", range(len(run.resources)))):
                for r in indices:
                    i = r * n + m
                    name = run.resources[r].name
                    cell = (float(sums[0][i]), float(sums[1][i]), int(sums[2][i]))
                    rows.append((run.replication, year, month, kind, name, *cell))
    columns = ("replication", "year", "month", "kind", "name", "tonnes", "teu", "trains")
    return Table(columns, tuple(rows))
