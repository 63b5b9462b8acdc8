"""Records to report tables: yearly tonnage, resources, flows, CIs and bottlenecks (no SimPy, no plots).

Table columns (every table is a `simulator.tables.Table`):
  yearly:         replication, year, kind, name, direction, tonnes, teu, trains
                  kind in border | node | section | flow | total; direction 'a>b' (previous node >
                  next node, or from > to for a section) or 'both' (the sum over directions)
  yearly_summary: year, kind, name, direction, replications, tonnes_mean, tonnes_ci95, teu_mean,
                  teu_ci95, trains_mean, trains_ci95   (Student t 95% half-width; 0 when R = 1)
  resources:      replication, year, resource, kind, utilisation, wait_mean_h, wait_p95_h,
                  queue_mean, queue_max, trains, hours_closed
  flows:          replication, year, flow, released_tonnes, released_teu, delivered_tonnes,
                  delivered_teu, backlog_tonnes, backlog_teu, transit_p50_days, transit_p95_days,
                  transit_mean_days, formation_wait_mean_h
  monthly:        replication, year, month, kind, name, tonnes, teu, trains
                  (kind border: per crossing; kind resource: per resource)
  queues:         replication, hour, resource, queue_trains   (daily samples, busiest resources)
  transit:        replication, flow, transit_days   (a sample of delivered lots, for distributions)
  bottlenecks:    year, resource, kind, utilisation_mean   (the busiest resource of each year)
  network_nodes:  id, name, kind, lat, lon
  network_sections: name, from, to, length_km, gauge_mm, tracks
  markers:        hour, date, end_date, kind, target, label
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.tables import Table

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
)


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

    def tables(self) -> dict[str, Table]:
        """Every table by name, in the documented order."""
        return {name: getattr(self, name) for name in REPORT_TABLES}
