"""Report tables about capacity: utilisation, waits and queues per resource, bottlenecks, months.

Part of `build_report` (see build.py for every column); pure functions of `RunResult` records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from simulator.records.results import CapacityYear, RunResult
from simulator.report.border_tables import border_resources, crossings
from simulator.report.periods import Periods, period_totals
from simulator.report.stats import mean_or_nan, percentile, queue_stats
from simulator.report.tables import Table

RESOURCE_COLUMNS = (
    "replication",
    "year",
    "resource",
    "kind",
    "utilisation",
    "utilisation_forward",
    "utilisation_backward",
    "wait_mean_h",
    "wait_p95_h",
    "wait_train_hours",
    "queue_mean",
    "queue_max",
    "trains",
    "trains_open",
    "hours_closed",
    "busy_hours",
    "capacity_hours",
)
QUEUED_RESOURCES = 5  # resources sampled in the queues table
BOTTLENECKS_PER_YEAR = 3  # resources ranked in the bottlenecks table each year
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


def counted_hour(run: RunResult) -> np.ndarray:
    """The hour each visit counts at: its end, or just before the horizon if still open."""
    v = run.visits
    last = np.nextafter(run.horizon_hours, 0.0)
    return np.where(v["completed"], v["end_h"], np.minimum(v["end_h"], last))


def forward(prev: np.ndarray, nxt: np.ndarray) -> np.ndarray:
    """True for visits towards the node listed later in the scenario (or ending at the node)."""
    return (nxt < 0) | (prev < nxt)


def _resource_rows(run: RunResult, years: Periods) -> list[tuple]:
    """Rows by year, then resource; worked out a resource at a time (its visits' columns are
    copied once and freed before the next resource's)."""
    v = run.visits
    when = counted_hour(run)
    per_resource = [
        _rows_of(run, years, r, rows, when, v) for r, rows in enumerate(by_resource(run))
    ]
    return [per_resource[r][y] for y in range(len(years)) for r in range(len(run.resources))]


def _rows_of(
    run: RunResult,
    years: Periods,
    r: int,
    rows: np.ndarray,
    when: np.ndarray,
    v: dict[str, np.ndarray],
) -> list[tuple]:
    """One resource's row of each year."""
    info = run.resources[r]
    capacity = {c.year: c for c in run.capacity if c.resource == r}
    arrive, start = v["arrive_h"][rows], v["start_h"][rows]
    yi, busy = years.index(when[rows]), v["busy_h"][rows]
    fwd, still = forward(v["prev"][rows], v["next"][rows]), ~v["completed"][rows]
    out = []
    for y, (year, _) in enumerate(years.labels):
        span = float(years.hi[y] - years.lo[y])
        inside = yi == y
        wait = (start - arrive)[inside]
        cap = capacity.get(year)
        used = float(busy[inside].sum())
        used_fwd = float(busy[inside & fwd].sum())
        queue_mean, queue_max = queue_stats(arrive, start, years.lo[y], years.hi[y])
        util = direction_utilisation(used, used_fwd, cap, float(years.fraction[y]))
        out.append(
            (
                run.replication,
                year,
                info.name,
                info.kind,
                *util,
                mean_or_nan(wait),
                percentile(wait, 95),
                queue_mean * span if not math.isnan(queue_mean) else 0.0,
                queue_mean,
                queue_max,
                int((inside & ~still).sum()),
                int((inside & still).sum()),
                float(cap.closed_hours) if cap else 0.0,
                used,
                cap.capacity_hours * float(years.fraction[y]) if cap else 0.0,
            )
        )
    return out


def direction_utilisation(
    busy: float, busy_forward: float, cap: CapacityYear | None, fraction: float
) -> tuple[float, float, float]:
    """(headline, forward, backward) utilisation of one resource in one year.

    Where each direction has capacity of its own (a double-track section, a border exchange),
    a direction's utilisation is its busy hours over the hours it could use (its own track,
    plus any hours on one shared track) and the headline is the busier direction's; where
    directions share the capacity, each direction's share of it and the headline is the total.
    """
    offered = cap.capacity_hours * fraction if cap else 0.0
    own = cap.per_direction_hours * fraction if cap else 0.0
    backward = busy - busy_forward
    total = utilisation(busy, offered)
    if own <= 0:
        return total, utilisation(busy_forward, offered), utilisation(backward, offered)
    usable = own + max(0.0, offered - 2 * own)
    fwd, bwd = utilisation(busy_forward, usable), utilisation(backward, usable)
    return max(total, fwd, bwd), fwd, bwd


def utilisation(busy_hours: float, capacity_hours: float) -> float:
    """Busy over offered capacity, clipped to [0, 1] (1 when busy without any capacity)."""
    if capacity_hours <= 0:
        return 1.0 if busy_hours > 0 else 0.0
    return min(max(busy_hours / capacity_hours, 0.0), 1.0)


BOTTLENECK_COLUMNS = (
    "year",
    "rank",
    "resource",
    "kind",
    "wait_train_hours_mean",
    "wait_share",
    "utilisation_mean",
    "wait_mean_h",
    "trains_open_mean",
)


def bottlenecks_table(resources: Table, per_year: int = BOTTLENECKS_PER_YEAR) -> Table:
    """Per year the resources that made trains wait longest (train-hours, mean over replications).

    Ranked by waiting train-hours, ties by utilisation; `wait_share` is the resource's part of
    all the waiting at resources that year.
    """
    groups: dict[tuple, list] = {}
    for row in resources:
        groups.setdefault((row["year"], row["resource"], row["kind"]), []).append(row)
    by_year: dict[int, list[tuple]] = {}
    for (year, name, kind), members in groups.items():
        waited = float(np.mean([m["wait_train_hours"] for m in members]))
        util = float(np.mean([m["utilisation"] for m in members]))
        waits = [m["wait_mean_h"] for m in members if not math.isnan(m["wait_mean_h"])]
        wait = float(np.mean(waits)) if waits else math.nan
        still = float(np.mean([m["trains_open"] for m in members]))
        by_year.setdefault(year, []).append((waited, util, name, kind, wait, still))
    rows = []
    for year in sorted(by_year):
        entries = by_year[year]
        total = sum(e[0] for e in entries)
        ranked = sorted(entries, key=lambda e: (-e[0], -e[1], e[2]))[:per_year]
        for rank, (waited, util, name, kind, wait, still) in enumerate(ranked, start=1):
            share = waited / total if total > 0 else 0.0
            rows.append((year, rank, name, kind, waited, share, util, wait, still))
    return Table(BOTTLENECK_COLUMNS, tuple(rows))


def top_bottlenecks(report_bottlenecks: Table) -> Table:
    """The first-ranked bottleneck of each year."""
    return report_bottlenecks.where(rank=1)


def busiest(resources: Table, limit: int = QUEUED_RESOURCES) -> list[str]:
    """Every year's top bottleneck, then the others by waiting train-hours, up to `limit`."""
    names = list(dict.fromkeys(top_bottlenecks(bottlenecks_table(resources)).column("resource")))
    waited: dict[str, list[float]] = {}
    util: dict[str, list[float]] = {}
    for row in resources:
        waited.setdefault(row["resource"], []).append(row["wait_train_hours"])
        util.setdefault(row["resource"], []).append(row["utilisation"])
    ranked = sorted(waited, key=lambda n: (-float(np.mean(waited[n])), -float(np.mean(util[n]))))
    names += [n for n in ranked if n not in names]
    return names[:limit]


QueueSamples = tuple[int, Sequence[float], Mapping[str, Sequence[int]], Mapping[str, Sequence[int]]]
"""(replication, sample hours, trains waiting per resource name at each hour, and how many of
them were still waiting when the run ended)."""


def queues_table(samples: Iterable[QueueSamples], resources: Table) -> Table:
    """Trains waiting at each of the busiest resources, sampled daily at midnight."""
    names = busiest(resources)
    rows: list[tuple] = []
    for replication, hours, trains, still in samples:
        for name in names:
            rows.extend(
                (replication, float(h), name, int(c), int(o))
                for h, c, o in zip(hours, trains[name], still[name], strict=True)
            )
    return Table(
        ("replication", "hour", "resource", "queue_trains", "queue_trains_open"), tuple(rows)
    )


def monthly_table(runs: Sequence[RunResult], months: Periods) -> Table:
    """Tonnes, TEU and trains per month: per border crossing (trains that left it onto the
    line beyond), and per resource (visits that ended in the month)."""
    rows: list[tuple] = []
    for run in runs:
        n = len(months)
        v = run.visits
        size = len(run.resources)
        sums = period_totals(v["resource"], size, v["end_h"], months, v["tonnes"], v["teu"])
        out = crossings(run)
        left = period_totals(out.border, size, out.hour, months, out.tonnes, out.teu)
        borders = sorted(border_resources(run).values())
        for m, (year, month) in enumerate(months.labels):
            for kind, indices, totals in (
                ("border", borders, left),
                ("resource", range(size), sums),
            ):
                for r in indices:
                    i = r * n + m
                    name = run.resources[r].name
                    cell = (float(totals[0][i]), float(totals[1][i]), int(totals[2][i]))
                    rows.append((run.replication, year, month, kind, name, *cell))
    columns = ("replication", "year", "month", "kind", "name", "tonnes", "teu", "trains")
    return Table(columns, tuple(rows))
