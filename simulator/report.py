"""Records to report tables: yearly tonnage, resources, flows, CIs and bottlenecks (no SimPy, no plots).

Table columns (every table is a `simulator.tables.Table`):
  yearly:         replication, year, kind, name, direction, tonnes, teu, trains
                  kind in border | node | section | flow | total; direction 'a>b' (previous node >
                  next node, or from > to for a section) or 'both' (the sum over directions);
                  '*' stands for a train formed at, or ending at, the node; trains is empty for
                  flow and total rows (they count delivered lots, not trains); total is named 'all'
  yearly_summary: year, kind, name, direction, replications, tonnes_mean, tonnes_ci95, teu_mean,
                  teu_ci95, trains_mean, trains_ci95   (Student t 95% half-width; 0 when R = 1)
  resources:      replication, year, resource, kind, utilisation, wait_mean_h, wait_p95_h,
                  queue_mean, queue_max, trains, hours_closed, busy_hours, capacity_hours
  flows:          replication, year, flow, released_tonnes, released_teu, delivered_tonnes,
                  delivered_teu, backlog_tonnes, backlog_teu, transit_p50_days, transit_p95_days,
                  transit_mean_days, formation_wait_mean_h
  monthly:        replication, year, month, kind, name, tonnes, teu, trains
                  (kind border: per crossing; kind resource: per resource)
  queues:         replication, hour, resource, queue_trains   (daily samples, busiest resources)
  transit:        replication, flow, transit_days   (a sample of delivered lots, for distributions)
  bottlenecks:    year, resource, kind, utilisation_mean, wait_mean_h
                  (the busiest resource of each year; ties go to the longest mean wait)
  network_nodes:  id, name, kind, lat, lon
  network_sections: name, from, to, length_km, gauge_mm, tracks
  markers:        hour, date, end_date, kind, target, label
  conservation:   replication, flow, released_tonnes, delivered_tonnes, on_trains_tonnes,
                  waiting_tonnes, released_teu, delivered_teu, on_trains_teu, waiting_teu, passed

Counting rules: a visit counts in the year (month) of its `end_h`, a lot in that of its
`delivered_h`; visits and lots before the warm-up ends are left out of every table except
conservation. The column meanings are documented in docs/reference/outputs.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from simulator.flow_tables import flows_table, transit_table
from simulator.model import Scenario
from simulator.periods import Periods, month_periods, year_periods
from simulator.records import ResourceInfo, RunResult
from simulator.resource_tables import (
    bottlenecks_table,
    monthly_table,
    queues_table,
    resources_table,
)
from simulator.stats import ci_half_width, grouped_totals
from simulator.tables import Table
from simulator.timeline import Calendar

REPORT_TABLES = (
    "yearly",
    "yearly_summary",
    "resources",
    "flows",
    "monthly",
    "queues",
    "transit",
    "bottlenecks",
    "network_nodes",
    "network_sections",
    "markers",
    "conservation",
)
YEARLY_COLUMNS = ("replication", "year", "kind", "name", "direction", "tonnes", "teu", "trains")
YEARLY_KINDS = ("border", "node", "section", "flow", "total")
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
TOTAL_NAME = "all"
NO_NODE = "*"

Cells = dict[tuple[int, str, str, str], tuple[float, float, float]]


@dataclass(frozen=True)
class Report:
    """All tables of a run (one or more replications of one scenario)."""

    scenario_name: str
    start_year: int
    replications: int
    yearly: Table
    yearly_summary: Table
    resources: Table
    flows: Table
    monthly: Table
    queues: Table
    transit: Table
    bottlenecks: Table
    network_nodes: Table
    network_sections: Table
    markers: Table
    conservation: Table = field(default=Table(CONSERVATION_COLUMNS, ()))

    def tables(self) -> dict[str, Table]:
        """Every table by name, in the documented order."""
        return {name: getattr(self, name) for name in REPORT_TABLES}


def build_report(scenario: Scenario, runs: Sequence[RunResult]) -> Report:
    """Every table of a run from its replications' records (the same network in each)."""
    if not runs:
        raise ValueError("build_report needs at least one run")
    first = runs[0]
    for other in runs[1:]:
        if (other.resources, other.flows, other.nodes) != (
            first.resources,
            first.flows,
            first.nodes,
        ):
            raise ValueError("runs of different networks cannot share one report")
    years = year_periods(first.start_date, scenario.horizon_years, first.warmup_hours)
    months = month_periods(first.start_date, scenario.horizon_years, first.warmup_hours)
    yearly = yearly_table(runs, years)
    resources = resources_table(runs, years)
    return Report(
        scenario_name=scenario.name,
        start_year=first.start_date.year,
        replications=len(runs),
        yearly=yearly,
        yearly_summary=summarise(
            yearly, ("year", "kind", "name", "direction"), ("tonnes", "teu", "trains")
        ),
        resources=resources,
        flows=flows_table(runs, years, scenario.horizon_years),
        monthly=monthly_table(runs, months),
        queues=queues_table(runs, resources),
        transit=transit_table(runs, years),
        bottlenecks=bottlenecks_table(resources),
        network_nodes=network_nodes_table(scenario),
        network_sections=network_sections_table(scenario),
        markers=markers_table(first),
        conservation=conservation_table(runs),
    )


def yearly_table(runs: Sequence[RunResult], years: Periods) -> Table:
    """Tonnes, TEU and trains per replication, year and counting point (see the module notes)."""
    per_run = [_yearly_cells(run, years) for run in runs]
    rank = _entity_rank(runs[0])
    keys = sorted(
        set().union(*per_run),
        key=lambda k: (k[0], YEARLY_KINDS.index(k[1]), rank[(k[1], k[2])], k[3] != "both", k[3]),
    )
    rows = []
    for run, cells in zip(runs, per_run, strict=True):
        for key in keys:
            tonnes, teu, trains = cells.get(key, (0.0, 0.0, 0))
            rows.append((run.replication, *key, tonnes, teu, trains))
    return Table(YEARLY_COLUMNS, tuple(rows))


def _entity_rank(run: RunResult) -> dict[tuple[str, str], int]:
    rank = {(kind, r.name): i for i, r in enumerate(run.resources) for kind in _yearly_kinds(r)}
    rank.update({("flow", name): i for i, name in enumerate(run.flows)})
    rank[("total", TOTAL_NAME)] = 0
    return rank


def _yearly_kinds(info: ResourceInfo) -> tuple[str, ...]:
    """The yearly kinds a resource's visits count under."""
    if info.kind == "node":
        return ("border", "node") if info.node_kind == "border" else ("node",)
    return ("section",) if info.kind == "section" else ()


def _yearly_cells(run: RunResult, years: Periods) -> Cells:
    """(year, kind, name, direction) -> (tonnes, teu, trains) for one replication."""
    n_years = len(years)
    cells: Cells = {}
    counted = np.array([bool(_yearly_kinds(r)) for r in run.resources] + [False])
    v = run.visits
    yi = years.index(v["end_h"])
    res = v["resource"].astype(np.int64)
    ok = (yi >= 0) & counted[res]
    res, yi = res[ok], yi[ok]
    tonnes, teu = v["tonnes"][ok], v["teu"][ok]
    key = res * n_years + yi
    sums = grouped_totals(key, len(run.resources) * n_years, tonnes, teu)
    for r, info in enumerate(run.resources):
        for kind in _yearly_kinds(info):
            for y, (year, _) in enumerate(years.labels):
                i = r * n_years + y
                cells[(year, kind, info.name, "both")] = _cell(sums, i)
    base = len(run.nodes) + 1
    dkey = (key * base + v["prev"][ok] + 1) * base + v["next"][ok] + 1
    uniq, inv = np.unique(dkey, return_inverse=True)
    dsums = grouped_totals(inv, len(uniq), tonnes, teu)
    for j, k in enumerate(uniq.tolist()):
        rest, b = divmod(k, base)
        rest, a = divmod(rest, base)
        r, y = divmod(rest, n_years)
        direction = f"{_node_name(run, a - 1)}>{_node_name(run, b - 1)}"
        for kind in _yearly_kinds(run.resources[r]):
            cells[(years.labels[y][0], kind, run.resources[r].name, direction)] = _cell(dsums, j)
    cells.update(_flow_cells(run, years))
    return cells


def _cell(sums: tuple[np.ndarray, np.ndarray, np.ndarray], i: int) -> tuple[float, float, int]:
    return float(sums[0][i]), float(sums[1][i]), int(sums[2][i])


def _node_name(run: RunResult, index: int) -> str:
    return run.nodes[index] if index >= 0 else NO_NODE


def _flow_cells(run: RunResult, years: Periods) -> Cells:
    """Delivered tonnes and TEU per flow and delivery year, and their total over flows."""
    n_years = len(years)
    lots = run.lots
    yi = years.index(lots["delivered_h"])
    ok = yi >= 0
    key = lots["flow"][ok].astype(np.int64) * n_years + yi[ok]
    sums = grouped_totals(key, len(run.flows) * n_years, lots["tonnes"][ok], lots["teu"][ok])
    tonnes, teu = (s.reshape(len(run.flows), n_years) for s in sums[:2])
    cells: Cells = {}
    for y, (year, _) in enumerate(years.labels):
        for f, name in enumerate(run.flows):
            cells[(year, "flow", name, "both")] = (float(tonnes[f, y]), float(teu[f, y]), math.nan)
        total = (float(tonnes[:, y].sum()), float(teu[:, y].sum()), math.nan)
        cells[(year, "total", TOTAL_NAME, "both")] = total
    return cells


def summarise(table: Table, keys: tuple[str, ...], metrics: tuple[str, ...]) -> Table:
    """Mean and Student t 95% half-width of each metric over replications, per key."""
    groups: dict[tuple, list[tuple]] = {}
    idx = [table.columns.index(k) for k in keys]
    cols = [table.columns.index(m) for m in metrics]
    for row in table.rows:
        groups.setdefault(tuple(row[i] for i in idx), []).append(row)
    columns = (*keys, "replications", *(f"{m}_{s}" for m in metrics for s in ("mean", "ci95")))
    rows = []
    for key, members in groups.items():
        out: list = [*key, len(members)]
        for c in cols:
            values = np.array([r[c] for r in members], dtype=float)
            finite = bool(np.all(np.isfinite(values)))
            out += [float(values.mean()), ci_half_width(values) if finite else math.nan]
        rows.append(tuple(out))
    return Table(columns, tuple(rows))


def network_nodes_table(scenario: Scenario) -> Table:
    """The scenario's nodes with their map positions (empty where not given)."""
    rows = tuple((n.id, n.name or n.id, n.kind, _num(n.lat), _num(n.lon)) for n in scenario.nodes)
    return Table(("id", "name", "kind", "lat", "lon"), rows)


def network_sections_table(scenario: Scenario) -> Table:
    """The scenario's sections as first given (dated changes are in markers)."""
    rows = tuple(
        (s.key, s.from_, s.to, s.length_km, s.gauge_mm, s.tracks) for s in scenario.sections
    )
    return Table(("name", "from", "to", "length_km", "gauge_mm", "tracks"), rows)


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


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
    return Table(("hour", "date", "end_date", "kind", "target", "label"), rows)


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
