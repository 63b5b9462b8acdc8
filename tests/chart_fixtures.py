"""Small hand-built `Report`s with the documented columns, so charts are tested without the engine."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from simulator.report.build import CONSERVATION_COLUMNS, YEARLY_COLUMNS, Report, summarise
from simulator.report.flow_tables import FLOW_COLUMNS
from simulator.report.resource_tables import BOTTLENECK_COLUMNS, RESOURCE_COLUMNS
from simulator.report.tables import Table

NODES = (
    # id, name, kind, lat, lon
    ("xian", "Xi'an", "hub", 34.39, 109.06),
    ("urumqi", "Urumqi", "junction", 43.83, 87.62),
    ("dostyk", "Dostyk", "border", 45.25, 82.48),
    ("altynkol", "Altynkol", "border", 44.20, 80.33),
    ("aktogay", "Aktogay", "junction", 46.95, 79.67),
    ("europe", "Europe", "exit", 51.17, 71.43),
)
SECTIONS = (
    # name, from, to, length_km, base tonnes per year
    ("xian-urumqi", "xian", "urumqi", 2580.0, 9.0e6),
    ("urumqi-dostyk", "urumqi", "dostyk", 460.0, 6.0e6),
    ("urumqi-altynkol", "urumqi", "altynkol", 670.0, 3.0e6),
    ("dostyk-aktogay", "dostyk", "aktogay", 304.0, 6.5e6),
    ("altynkol-aktogay", "altynkol", "aktogay", 700.0, 2.5e6),
    ("aktogay-europe", "aktogay", "europe", 1700.0, 8.0e6),
)
CROSSING_TONNES = {"dostyk": 6.0e6, "altynkol": 3.0e6, "bakhty": 1.0e6}
UTILISATION = {
    ("dostyk", "node"): 0.85,
    ("altynkol", "node"): 0.55,
    ("dostyk-aktogay", "section"): 0.95,
    ("urumqi-dostyk", "section"): 0.40,
    ("xian", "node"): 0.20,
}
FLOWS = ("xian-europe", "ore-east")
SUMMARY_KEYS = ("year", "kind", "name", "direction")
MONTHLY_COLUMNS = ("replication", "year", "month", "kind", "name", "tonnes", "teu", "trains")


def make_report(
    replications: int = 3,
    years: tuple[int, ...] = (2022, 2023),
    crossings: tuple[str, ...] = ("dostyk", "altynkol"),
    scale: float = 1.0,
    seed: int = 7,
    name: str = "toy",
    nodes: tuple[tuple, ...] = NODES,
    markers: Table | None = None,
) -> Report:
    """A consistent little report: crossings, sections, resources, flows, queues and markers."""
    rng = np.random.default_rng(seed)
    yearly: list[dict[str, Any]] = []
    monthly: list[dict[str, Any]] = []
    resources: list[dict[str, Any]] = []
    flows: list[dict[str, Any]] = []
    queues: list[dict[str, Any]] = []
    transit: list[dict[str, Any]] = []
    for rep in range(replications):
        for i, year in enumerate(years):
            grow = scale * (1.0 + 0.1 * i) * (1.0 + 0.05 * rng.standard_normal())
            for cname in crossings:
                tonnes = CROSSING_TONNES.get(cname, 2.0e6) * grow
                for direction, share in (("west>east", 0.4), ("east>west", 0.6), ("both", 1.0)):
                    yearly.append(_amount(rep, year, "border", cname, direction, tonnes * share))
                for month in range(1, 13):
                    t = tonnes / 12 * (1.0 + 0.1 * math.sin(month))
                    row = {"replication": rep, "year": year, "month": month, "kind": "border"}
                    monthly.append({**row, "name": cname, "tonnes": t, "teu": t / 11})
                    monthly[-1]["trains"] = round(t / 1100)
            for sname, _a, _b, _km, base in SECTIONS:
                yearly.append(_amount(rep, year, "section", sname, "both", base * grow))
            total = sum(CROSSING_TONNES.get(c, 2.0e6) for c in crossings) * grow
            yearly.append(_amount(rep, year, "total", "all", "both", total))
            for (rname, kind), use in UTILISATION.items():
                u = min(1.0, use * (1.0 + 0.05 * i) + 0.01 * rep)
                resources.append(_resource(rep, year, rname, kind, u))
            for flow in FLOWS:
                flows.append(_flow(rep, year, flow, total / 2))
        for day in range(0, 365 * len(years), 7):
            for rname, _kind in list(UTILISATION)[:4]:
                level = UTILISATION[(rname, _kind)] * 10
                queues.append(
                    {
                        "replication": rep,
                        "hour": day * 24.0,
                        "resource": rname,
                        "queue_trains": max(0.0, level + rng.normal(0, 2)),
                    }
                )
        for flow, mean_days in (("xian-europe", 12.0), ("ore-east", 5.0)):
            for days in rng.gamma(9.0, mean_days / 9.0, size=60):
                transit.append({"replication": rep, "flow": flow, "transit_days": float(days)})
    yearly_t = Table.from_records(YEARLY_COLUMNS, yearly)
    return Report(
        scenario_name=name,
        start_year=years[0],
        replications=replications,
        yearly=yearly_t,
        yearly_summary=summarise(yearly_t, SUMMARY_KEYS, ("tonnes", "teu", "trains")),
        resources=Table.from_records(RESOURCE_COLUMNS, resources),
        flows=Table.from_records(FLOW_COLUMNS, flows),
        monthly=Table.from_records(MONTHLY_COLUMNS, monthly),
        queues=Table.from_records(("replication", "hour", "resource", "queue_trains"), queues),
        transit=Table.from_records(("replication", "flow", "transit_days"), transit),
        bottlenecks=Table(
            BOTTLENECK_COLUMNS,
            tuple((y, 1, "dostyk-aktogay", "section", 1200.0, 0.6, 0.95, 3.0, 0.0) for y in years),
        ),
        network_nodes=Table(("id", "name", "kind", "lat", "lon"), nodes),
        network_sections=Table(
            ("name", "from", "to", "length_km", "gauge_mm", "tracks"),
            tuple((s, a, b, km, 1520, 1) for s, a, b, km, _t in SECTIONS),
        ),
        markers=make_markers(years[0]) if markers is None else markers,
        conservation=Table.from_records(
            CONSERVATION_COLUMNS,
            [_balance(rep, flow) for rep in range(replications) for flow in FLOWS],
        ),
    )


def _balance(rep: int, flow: str) -> dict[str, Any]:
    """A conservation row that balances: released = delivered + on trains + waiting."""
    return {
        "replication": rep,
        "flow": flow,
        "released_tonnes": 1000.0,
        "delivered_tonnes": 900.0,
        "on_trains_tonnes": 60.0,
        "waiting_tonnes": 40.0,
        "released_teu": 90.0,
        "delivered_teu": 80.0,
        "on_trains_teu": 6.0,
        "waiting_teu": 4.0,
        "passed": "true",
    }


def make_markers(start_year: int) -> Table:
    """A disruption in March of the first year and a capacity change at the next new year."""
    start = dt.date(start_year, 1, 1)
    cut, back, upgrade = (
        dt.date(start_year, 3, 1),
        dt.date(start_year, 3, 11),
        dt.date(start_year + 1, 1, 1),
    )

    def hour(d: dt.date) -> float:
        return (d - start).days * 24.0

    rows = (
        (hour(cut), cut.isoformat(), back.isoformat(), "disruption", "dostyk", "flood at Dostyk"),
        (
            hour(upgrade),
            upgrade.isoformat(),
            upgrade.isoformat(),
            "change",
            "dostyk-aktogay",
            "second track",
        ),
    )
    return Table(("hour", "date", "end_date", "kind", "target", "label"), rows)


def _amount(rep: int, year: int, kind: str, name: str, direction: str, t: float) -> dict:
    return {
        "replication": rep,
        "year": year,
        "kind": kind,
        "name": name,
        "direction": direction,
        "tonnes": t,
        "teu": t / 11.0,
        "trains": round(t / 1100.0),
    }


def _resource(rep: int, year: int, name: str, kind: str, u: float) -> dict:
    return {
        "replication": rep,
        "year": year,
        "resource": name,
        "kind": kind,
        "utilisation": u,
        "utilisation_forward": u,
        "utilisation_backward": u / 2,
        "wait_mean_h": 10 * u,
        "wait_train_hours": 3000 * 10 * u,
        "wait_p95_h": 30 * u,
        "queue_mean": 5 * u,
        "queue_max": 20 * u,
        "trains": 3000,
        "trains_open": 0,
        "hours_closed": 0.0,
        "busy_hours": 8760.0 * u,
        "capacity_hours": 8760.0,
    }


def _flow(rep: int, year: int, flow: str, tonnes: float) -> dict:
    return {
        "replication": rep,
        "year": year,
        "flow": flow,
        "released_tonnes": tonnes * 1.05,
        "released_teu": tonnes / 10.5,
        "delivered_tonnes": tonnes,
        "delivered_teu": tonnes / 11,
        "backlog_tonnes": tonnes * 0.05,
        "backlog_teu": tonnes * 0.05 / 11,
        "transit_p50_days": 11.0,
        "transit_p95_days": 16.0,
        "transit_mean_days": 11.5,
        "formation_wait_mean_h": 20.0,
    }


BIG_CROSSINGS = (
    "dostyk", "altynkol", "bakhty", "zamyn-uud", "zabaikalsk", "grodekovo",
    "khorgos-east-gate", "erenhot", "naushki", "brest", "malaszewicze", "kuryk-port",
)  # fmt: skip
LONG_NOTE = (
    "second track Dostyk-Moiynty opens with new passing loops and an extended yard of "
    "forty trains at the border station"
)


def make_big_report(years: int = 30, crossings: int = 12) -> Report:
    """A long, crowded report: many years and crossings, long notes, two notes on one date, and
    a node without coordinates, to check that every chart stays readable."""
    names = BIG_CROSSINGS[:crossings]
    nodes = list(NODES[:2]) + [
        (c, c.replace("-", " ").title(), "border", 41.0 + 0.9 * (i % 7), 72.0 + 2.9 * i)
        for i, c in enumerate(names)
    ]
    nodes += [NODES[-1], ("somewhere", "Somewhere Junction", "junction", math.nan, math.nan)]
    start = dt.date(2022, 1, 1)
    rows = []
    for k, (year, month) in enumerate([(1, 1), (1, 1), (4, 7), (9, 1), (17, 3), (17, 5)]):
        date = dt.date(2022 + min(year, years - 1), month, 1)
        end = date + dt.timedelta(days=20) if k == 4 else date
        kind = "disruption" if k == 4 else "change"
        label = (
            f"{LONG_NOTE} (phase {k // 2 + 1})" if k % 2 == 0 else f"exchange limit {14 + k} a day"
        )
        hour = (date - start).days * 24.0
        rows.append((hour, date.isoformat(), end.isoformat(), kind, names[0], label))
    return make_report(
        replications=3,
        years=tuple(range(2022, 2022 + years)),
        crossings=names,
        name="border-exchange-2025-long-scenario-name",
        nodes=tuple(nodes),
        markers=Table(("hour", "date", "end_date", "kind", "target", "label"), tuple(rows)),
    )
