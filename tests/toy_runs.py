"""Small hand-made runs whose report tables can be worked out on paper (no engine needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from simulator.records.results import (
    LOT_COLUMNS,
    VISIT_COLUMNS,
    CapacityYear,
    FlowBalance,
    Marker,
    ResourceInfo,
    RunResult,
)

NODES = ("xian", "urumqi", "dostyk", "aktogay", "europe")
FLOWS = ("xian-europe", "ore-east")
RESOURCES = (
    ResourceInfo("dostyk", "node", "border"),
    ResourceInfo("urumqi-dostyk", "section"),
    ResourceInfo("dostyk-exchange", "exchange", "border"),
    ResourceInfo("dostyk-aktogay", "section"),
)
HOURS_2022 = 8760.0
HOURS_2023 = 8760.0

# resource, prev, next, train, cargo, arrive_h, start_h, end_h, busy_h, teu, tonnes
# (a border crossing counts a train when it enters the section beyond: the rows leaving dostyk)
VISITS = [
    (0, 1, 3, 1, 0, 100.0, 102.0, 107.0, 5.0, 100.0, 1100.0),
    (1, 1, 2, 1, 0, 50.0, 50.0, 60.0, 0.8, 100.0, 1100.0),
    (2, 1, 3, 1, 0, 107.0, 107.0, 107.0, 1.7, 100.0, 1100.0),
    (3, 2, 3, 1, 0, 107.0, 107.0, 115.0, 0.8, 100.0, 1100.0),
    # crosses midnight of 31 December 2022: counted in 2023, where it leaves the crossing
    (0, 1, 3, 2, 0, 8750.0, 8755.0, 8765.0, 10.0, 90.0, 1000.0),
    (3, 2, 3, 2, 0, 8765.0, 8765.0, 8775.0, 0.8, 90.0, 1000.0),
    (0, 3, 1, 3, 1, 9000.0, 9010.0, 9018.0, 8.0, 0.0, 3000.0),
    (1, 2, 1, 3, 1, 9018.0, 9018.0, 9030.0, 0.8, 0.0, 3000.0),
]
# flow, released_h, delivered_h, teu, tonnes, formation_wait_h
LOTS = [
    (0, 10.0, 200.0, 4.0, 44.0, 5.0),
    (0, 8000.0, 8770.0, 4.0, 44.0, 7.0),
    (1, 8900.0, 9100.0, 0.0, 500.0, 3.0),
]


def columns(spec: dict[str, Any], rows: list[tuple]) -> dict[str, np.ndarray]:
    """Rows of tuples into typed, read-only columns like the engine's."""
    out = {}
    for i, (name, dtype) in enumerate(spec.items()):
        arr = np.array([r[i] for r in rows], dtype=dtype)
        arr.flags.writeable = False
        out[name] = arr
    return out


def toy_run(
    replication: int = 0,
    visits: list[tuple] | None = None,
    lots: list[tuple] | None = None,
    warmup_hours: float = 0.0,
    dostyk_capacity_hours: float = 3 * HOURS_2022,
) -> RunResult:
    """A two-year run (2022-2023) through Dostyk with a few trains and lots."""
    visits = VISITS if visits is None else visits
    visits = [(*v, True) if len(v) == len(VISIT_COLUMNS) - 1 else v for v in visits]  # completed
    lots = LOTS if lots is None else lots
    capacity = tuple(
        CapacityYear(r, year, hours, closed)
        for year in (2022, 2023)
        for r, hours, closed in (
            (0, dostyk_capacity_hours, 0.0),
            (1, 30 * HOURS_2022, 12.0 if year == 2022 else 0.0),
            (2, HOURS_2022, 0.0),
            (3, 30 * HOURS_2022, 0.0),
        )
    )
    balances = (
        FlowBalance("xian-europe", 132.0, 88.0, 0.0, 44.0, 12.0, 8.0, 0.0, 4.0),
        FlowBalance("ore-east", 500.0, 500.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    )
    return RunResult(
        scenario_name="toy",
        replication=replication,
        seed=42,
        start_date=dt.date(2022, 1, 1),
        horizon_hours=HOURS_2022 + HOURS_2023,
        warmup_hours=warmup_hours,
        nodes=NODES,
        flows=FLOWS,
        resources=RESOURCES,
        visits=columns(VISIT_COLUMNS, visits),
        lots=columns(LOT_COLUMNS, lots),
        released=columns(
            {"flow": np.int32, "month": np.int32, "teu": np.float64, "tonnes": np.float64},
            [(0, 0, 4.0, 44.0), (0, 11, 4.0, 44.0), (0, 12, 4.0, 44.0), (1, 13, 0.0, 500.0)],
        ),
        backlog=columns(
            {"flow": np.int32, "year": np.int32, "teu": np.float64, "tonnes": np.float64},
            [(0, 2022, 4.0, 44.0), (0, 2023, 4.0, 44.0)],
        ),
        capacity=capacity,
        balances=balances,
        markers=(Marker(8760.0, 8760.0, "change", "dostyk-aktogay", "second track"),),
        trains=3,
        events=100,
        wall_seconds=0.01,
    )


def exact(value: Any) -> Any:
    """A value with every Table cell as (type, repr): equal for equal contents, NaN included.

    Table's own repr is a short summary, so tests compare tables through this.
    """
    import dataclasses

    from simulator.report.tables import Table

    if isinstance(value, Table):
        cells = tuple(tuple((type(v).__name__, repr(v)) for v in row) for row in value.rows)
        return (value.columns, cells)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, exact(getattr(value, f.name))) for f in dataclasses.fields(value))
    return repr(value)
