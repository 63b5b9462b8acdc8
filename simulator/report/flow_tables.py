"""Report tables about demand: released, delivered and backlog per flow, and transit times.

Part of `build_report` (see build.py for every column); pure functions of `RunResult` records.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simulator.records.results import RunResult
from simulator.report.periods import Periods
from simulator.report.stats import mean_or_nan, percentile
from simulator.report.tables import Table
from simulator.scenario.calendar import Calendar

FLOW_COLUMNS = (
    "replication",
    "year",
    "flow",
    "released_tonnes",
    "released_teu",
    "delivered_tonnes",
    "delivered_teu",
    "backlog_tonnes",
    "backlog_teu",
    "transit_p50_days",
    "transit_p95_days",
    "transit_mean_days",
    "formation_wait_mean_h",
)
TRANSIT_SAMPLE = 1000  # delivered lots kept per replication and flow in the transit table
HOURS_PER_DAY = 24.0


def flows_table(runs: Sequence[RunResult], years: Periods, horizon_years: int) -> Table:
    """Per replication, year and flow: released, delivered, year-end backlog, transit times."""
    rows: list[tuple] = []
    for run in runs:
        released = released_per_year(run, years, horizon_years)
        backlog = backlog_by_flow_year(run)
        lots = run.lots
        groups = _group_lots(run, years)
        transit_days = (lots["delivered_h"] - lots["released_h"]) / HOURS_PER_DAY
        for y, (year, _) in enumerate(years.labels):
            for f, name in enumerate(run.flows):
                m = groups[f * len(years) + y]
                days = transit_days[m]
                rows.append(
                    (
                        run.replication,
                        year,
                        name,
                        float(released[f, y, 0]),
                        float(released[f, y, 1]),
                        float(lots["tonnes"][m].astype(float).sum()),
                        float(lots["teu"][m].astype(float).sum()),
                        *backlog.get((f, year), (0.0, 0.0)),
                        percentile(days, 50),
                        percentile(days, 95),
                        mean_or_nan(days),
                        mean_or_nan(lots["formation_wait_h"][m]),
                    )
                )
    return Table(FLOW_COLUMNS, tuple(rows))


def _group_lots(run: RunResult, years: Periods) -> list[np.ndarray]:
    """Row indices of the delivered lots of each (flow, year), at index flow * years + year."""
    yi = years.index(run.lots["delivered_h"])
    key = np.where(yi >= 0, run.lots["flow"].astype(np.int64) * len(years) + yi, -1)
    order = np.argsort(key, kind="stable")
    cuts = np.searchsorted(key[order], np.arange(len(run.flows) * len(years) + 1))
    return [order[cuts[i] : cuts[i + 1]] for i in range(len(cuts) - 1)]


def backlog_by_flow_year(run: RunResult) -> dict[tuple[int, int], tuple[float, float]]:
    """A run's year-end backlog: (flow index, year) -> (tonnes, TEU)."""
    return {
        (int(f), int(y)): (float(t), float(u))
        for f, y, u, t in zip(
            run.backlog["flow"],
            run.backlog["year"],
            run.backlog["teu"],
            run.backlog["tonnes"],
            strict=True,
        )
    }


def released_per_year(run: RunResult, years: Periods, horizon_years: int) -> np.ndarray:
    """[flow, year, (tonnes, teu)] released; a month cut by the warm-up counts pro rata."""
    months = Calendar(run.start_date, horizon_years).month_bounds()
    out = np.zeros((len(run.flows), len(years), 2))
    year_of = {year: y for y, (year, _) in enumerate(years.labels)}
    rel = run.released
    for f, m, teu, tonnes in zip(rel["flow"], rel["month"], rel["teu"], rel["tonnes"], strict=True):
        if not 0 <= m < len(months):
            continue
        year, _, lo, hi = months[int(m)]
        share = min(max((hi - max(lo, run.warmup_hours)) / (hi - lo), 0.0), 1.0)
        if year in year_of and share > 0:
            out[int(f), year_of[year]] += (float(tonnes) * share, float(teu) * share)
    return out


def transit_table(runs: Sequence[RunResult], years: Periods) -> Table:
    """Transit days of up to TRANSIT_SAMPLE delivered lots per replication and flow, evenly spread."""
    rows: list[tuple] = []
    for run in runs:
        lots = run.lots
        counted = years.index(lots["delivered_h"]) >= 0
        for f, name in enumerate(run.flows):
            m = np.flatnonzero(counted & (lots["flow"] == f))
            m = m[np.argsort(lots["delivered_h"][m], kind="stable")]
            if len(m) > TRANSIT_SAMPLE:
                m = m[np.linspace(0, len(m) - 1, TRANSIT_SAMPLE).round().astype(int)]
            days = (lots["delivered_h"][m] - lots["released_h"][m]) / HOURS_PER_DAY
            rows.extend((run.replication, name, float(d)) for d in days.tolist())
    return Table(("replication", "flow", "transit_days"), tuple(rows))
