"""Records to report tables: yearly tonnage, resources, flows, CIs and bottlenecks (no SimPy, no plots).

Table columns (every table is a `simulator.tables.Table`):
  yearly:         replication, year, kind, name, direction, tonnes, teu, trains
                  kind in border | node | section | group | flow | total; direction 'a>b' (previous node >
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
from typing import Any

import numpy as np

from simulator.records.results import RunResult
from simulator.report.frames import frames_of
from simulator.report.replication_tables import (
    CONSERVATION_COLUMNS,
    ReplicationTables,
    conservation_table,
    markers_table,
    replication_tables,
)
from simulator.report.resource_tables import bottlenecks_table, queues_table
from simulator.report.stats import ci_half_width
from simulator.report.tables import Table
from simulator.report.yearly_tables import (
    NO_NODE,
    TOTAL_NAME,
    YEARLY_COLUMNS,
    YEARLY_KINDS,
    combine_yearly,
)
from simulator.scenario.model import Scenario

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
__all__ = [
    "CONSERVATION_COLUMNS",
    "NO_NODE",
    "REPORT_TABLES",
    "TOTAL_NAME",
    "YEARLY_COLUMNS",
    "YEARLY_KINDS",
    "Report",
    "assemble_report",
    "build_report",
    "conservation_table",
    "markers_table",
    "summarise",
]


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

    def frames(self) -> dict[str, Any]:
        """Every table as a pandas DataFrame, by name (needs the [pandas] extra)."""
        return frames_of(self.tables())


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
    parts = [replication_tables(run, scenario.horizon_years) for run in runs]
    return assemble_report(scenario, parts)


def assemble_report(scenario: Scenario, parts: Sequence[ReplicationTables]) -> Report:
    """Every table of a run from its replications' tables, as `build_report` gives them."""
    if not parts:
        raise ValueError("a report needs at least one replication")
    if any(p.network != parts[0].network for p in parts[1:]):
        raise ValueError("replications of different networks cannot share one report")
    yearly = combine_yearly(
        [p.replication for p in parts], [p.yearly_cells for p in parts], parts[0].network
    )
    resources = _concat([p.resources for p in parts])
    return Report(
        scenario_name=scenario.name,
        start_year=scenario.start_date.year,
        replications=len(parts),
        yearly=yearly,
        yearly_summary=summarise(
            yearly, ("year", "kind", "name", "direction"), ("tonnes", "teu", "trains")
        ),
        resources=resources,
        flows=_concat([p.flows for p in parts]),
        monthly=_concat([p.monthly for p in parts]),
        queues=queues_table(
            ((p.replication, p.queue_hours, p.queue_trains, p.queue_open) for p in parts),
            resources,
        ),
        transit=_concat([p.transit for p in parts]),
        bottlenecks=bottlenecks_table(resources),
        network_nodes=network_nodes_table(scenario),
        network_sections=network_sections_table(scenario),
        markers=parts[0].markers,
        conservation=_concat([p.conservation for p in parts]),
    )


def _concat(tables: Sequence[Table]) -> Table:
    """The rows of same-column tables one after another."""
    return Table(tables[0].columns, tuple(row for t in tables for row in t.rows))


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
