"""One replication's share of a report: its rows of every table, computed from its records.

A report is assembled from these (build.py). They are saved with every replication
(output/table_files.py), so a report can be rebuilt even where the train-by-train records were not kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.records.results import RunResult
from simulator.report.flow_tables import flows_table, transit_table
from simulator.report.periods import month_periods, year_periods
from simulator.report.resource_tables import (
    HOURS_PER_DAY,
    by_resource,
    monthly_table,
    resources_table,
)
from simulator.report.stats import queue_at
from simulator.report.tables import Table
from simulator.report.yearly_tables import entity_order, yearly_cells
from simulator.scenario.calendar import Calendar

CONSERVATION_COLUMNS = (
    "replication",
    "flow",
    "released_tonnes",
    "delivered_tonnes",
    "on_trains_tonnes",
    "waiting_tonnes",
    "released_teu",
    "delivered_teu",
    "on_trains_teu",
    "waiting_teu",
    "passed",
)
MARKER_COLUMNS = ("hour", "date", "end_date", "kind", "target", "label")


@dataclass(frozen=True)
class ReplicationTables:
    """Every per-replication table row of one replication, and its daily queue samples."""

    replication: int
    network: tuple[tuple[str, str], ...]  # (kind, name) of the yearly entities, in report order
    yearly_cells: Table  # year, kind, name, direction, tonnes, teu, trains (cells it saw)
    resources: Table
    flows: Table
    monthly: Table
    transit: Table
    conservation: Table
    markers: Table
    queue_hours: tuple[float, ...]  # daily sample times after the warm-up
    queue_trains: dict[str, tuple[int, ...]]  # per resource: trains waiting at each sample
    queue_open: dict[str, tuple[int, ...]]  # of them, those still waiting when the run ended


def replication_tables(run: RunResult, horizon_years: int) -> ReplicationTables:
    """The per-replication rows of every report table, from one replication's records."""
    years = year_periods(run.start_date, horizon_years, run.warmup_hours)
    months = month_periods(run.start_date, horizon_years, run.warmup_hours)
    hours, trains, still = queue_samples(run)
    return ReplicationTables(
        replication=run.replication,
        network=entity_order(run),
        yearly_cells=yearly_cells(run, years),
        resources=resources_table([run], years),
        flows=flows_table([run], years, horizon_years),
        monthly=monthly_table([run], months),
        transit=transit_table([run], years),
        conservation=conservation_table([run]),
        markers=markers_table(run),
        queue_hours=hours,
        queue_trains=trains,
        queue_open=still,
    )


def sample_hours(run: RunResult) -> np.ndarray:
    """Hours of the daily queue samples: every midnight after the warm-up, to the horizon."""
    first_day = math.ceil(run.warmup_hours / HOURS_PER_DAY) * HOURS_PER_DAY
    return np.arange(first_day, run.horizon_hours, HOURS_PER_DAY)


def queue_samples(
    run: RunResult, hours: np.ndarray | None = None
) -> tuple[tuple[float, ...], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Trains waiting at every resource, sampled daily at midnight after the warm-up (or at
    `hours`), and how many of them were still waiting when the run ended (never started)."""
    hours = sample_hours(run) if hours is None else hours
    v = run.visits
    unserved = ~v["completed"] & (v["start_h"] >= v["end_h"])
    trains, still = {}, {}
    for info, rows in zip(run.resources, by_resource(run), strict=True):
        arrive, start = v["arrive_h"][rows], v["start_h"][rows]
        trains[info.name] = tuple(queue_at(arrive, start, hours).tolist())
        left = unserved[rows]
        still[info.name] = tuple(queue_at(arrive[left], start[left], hours).tolist())
    return tuple(hours.tolist()), trains, still


def markers_table(run: RunResult) -> Table:
    """Dated capacity changes, openings and disruptions, with their calendar dates."""
    cal = Calendar(run.start_date, 1)
    rows = tuple(
        (
            m.hour,
            cal.date(m.hour).isoformat(),
            cal.date(m.end_hour).isoformat(),
            m.kind,
            m.target,
            m.label,
        )
        for m in run.markers
    )
    return Table(MARKER_COLUMNS, rows)


def conservation_table(runs: Sequence[RunResult]) -> Table:
    """Per replication and flow: released = delivered + on trains + waiting, and whether it held."""
    rows = tuple(
        (
            run.replication,
            b.flow,
            b.released_tonnes,
            b.delivered_tonnes,
            b.on_trains_tonnes,
            b.waiting_tonnes,
            b.released_teu,
            b.delivered_teu,
            b.on_trains_teu,
            b.waiting_teu,
            "true" if b.passed else "false",
        )
        for run in runs
        for b in run.balances
    )
    return Table(CONSERVATION_COLUMNS, rows)
