"""The yearly tonnage table: tonnes, TEU and trains per year at each counting point and flow.

Each replication gives its cells (`yearly_cells`); `combine_yearly` lines the replications up on
the same keys, in report order, with zeros where a replication had no traffic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simulator.records.results import ResourceInfo, RunResult
from simulator.report.border_tables import Crossings, crossings, held_at
from simulator.report.periods import Periods, period_totals
from simulator.report.stats import grouped_totals
from simulator.report.tables import Table

YEARLY_COLUMNS = ("replication", "year", "kind", "name", "direction", "tonnes", "teu", "trains")
CELL_COLUMNS = YEARLY_COLUMNS[1:]
YEARLY_KINDS = ("border", "border_held", "node", "section", "group", "flow", "route", "total")
TOTAL_NAME = "all"
NO_NODE = "*"

Key = tuple[int, str, str, str]
Cells = dict[Key, tuple[float, float, float]]


def entity_order(run: RunResult) -> tuple[tuple[str, str], ...]:
    """(kind, name) of every yearly entity in report order: resources, then flows, then total."""
    order = [(kind, r.name) for r in run.resources for kind in entity_kinds(r)]
    order += [("group", g) for g in dict.fromkeys(r.group for r in run.resources if r.group)]
    order += [("flow", name) for name in run.flows]
    routed = {int(f) for f in run.routes.get("flow", ())}
    order += [("route", name) for f, name in enumerate(run.flows) if f in routed]
    return (*order, ("total", TOTAL_NAME))


def entity_kinds(info: ResourceInfo) -> tuple[str, ...]:
    """The yearly kinds a resource has rows under."""
    if info.kind == "node" and info.node_kind == "border":
        return ("border", "border_held", "node")
    return yearly_kinds(info)


def yearly_kinds(info: ResourceInfo) -> tuple[str, ...]:
    """The yearly kinds a resource's own visits count under (borders count departures)."""
    if info.kind == "node":
        return ("node",)
    return ("section",) if info.kind == "section" else ()


def yearly_cells(run: RunResult, years: Periods) -> Table:
    """One replication's (year, kind, name, direction) -> tonnes, TEU, trains, as table rows."""
    cells = visit_cells(run, years)
    cells.update(_border_cells(run, years))
    cells.update(flow_cells(run, years))
    cells.update(route_cells(run, years))
    return cells_table(cells)


def cells_table(cells: Cells) -> Table:
    """Yearly cells as table rows, in the order given."""
    return Table(CELL_COLUMNS, tuple((*key, *value) for key, value in cells.items()))


def visit_cells(run: RunResult, years: Periods) -> Cells:
    """Per resource (both directions, then each) and per corridor label, and year."""
    cells = _visit_cells(run, years)
    cells.update(_group_cells(run, years))
    return cells


def combine_yearly(
    replications: Sequence[int], cells: Sequence[Table], order: Sequence[tuple[str, str]]
) -> Table:
    """The yearly table: every replication on the union of keys, zeros where it had none."""
    per_run = [{tuple(row[:4]): tuple(row[4:]) for row in table.rows} for table in cells]
    rank: dict[tuple[str, str], int] = {}
    for i, entity in enumerate(order):
        rank.setdefault(entity, i)
    keys = sorted(
        set().union(*per_run),
        key=lambda k: (k[0], YEARLY_KINDS.index(k[1]), rank[(k[1], k[2])], k[3] != "both", k[3]),
    )
    rows = []
    for rep, run_cells in zip(replications, per_run, strict=True):
        for key in keys:
            tonnes, teu, trains = run_cells.get(key, (0.0, 0.0, 0))
            rows.append((rep, *key, tonnes, teu, trains))
    return Table(YEARLY_COLUMNS, tuple(rows))


def _visit_cells(run: RunResult, years: Periods) -> Cells:
    """Per resource and year, over both directions and per direction (previous > next node)."""
    n_years = len(years)
    cells: Cells = {}
    counted = np.array([bool(yearly_kinds(r)) for r in run.resources] + [False])
    v = run.visits
    yi = years.index(v["end_h"])
    res = v["resource"].astype(np.int64)
    ok = (yi >= 0) & counted[res]
    res, yi = res[ok], yi[ok]
    tonnes, teu = v["tonnes"][ok], v["teu"][ok]
    key = res * n_years + yi
    sums = grouped_totals(key, len(run.resources) * n_years, tonnes, teu)
    for r, info in enumerate(run.resources):
        for kind in yearly_kinds(info):
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
        for kind in yearly_kinds(run.resources[r]):
            cells[(years.labels[y][0], kind, run.resources[r].name, direction)] = _cell(dsums, j)
    return cells


def _border_cells(run: RunResult, years: Periods) -> Cells:
    """Per border crossing and year: what left onto the line beyond (by entry), and what was
    handled there but had not left at the year's end (kind border_held, a stock)."""
    out = crossings(run)
    cells = border_total_cells(run, years, out, held_at(run, years.hi, out))
    cells.update(border_direction_cells(run, years, out))
    return cells


def border_total_cells(
    run: RunResult,
    years: Periods,
    out: Crossings,
    held: dict[int, tuple[np.ndarray, np.ndarray]],
) -> Cells:
    """Per border and year: tonnes, TEU and trains that left it, and the stock held there."""
    n_years = len(years)
    cells: Cells = {}
    yi = years.index(out.hour)
    ok = yi >= 0
    key = out.border[ok] * n_years + yi[ok]
    sums = grouped_totals(key, len(run.resources) * n_years, out.tonnes[ok], out.teu[ok])
    for r, (tonnes, teu) in held.items():
        name = run.resources[r].name
        for y, (year, _) in enumerate(years.labels):
            cells[(year, "border", name, "both")] = _cell(sums, r * n_years + y)
            cells[(year, "border_held", name, "both")] = (
                float(tonnes[y]),
                float(teu[y]),
                math.nan,
            )
    return cells


def border_direction_cells(run: RunResult, years: Periods, out: Crossings) -> Cells:
    """Per border, year and direction (the side a train came from > where it went)."""
    n_years = len(years)
    yi = years.index(out.hour)
    ok = yi >= 0
    key = out.border[ok] * n_years + yi[ok]
    base = len(run.nodes) + 1
    dkey = (key * base + out.came_from[ok] + 1) * base + out.to[ok] + 1
    uniq, inv = np.unique(dkey, return_inverse=True)
    dsums = grouped_totals(inv, len(uniq), out.tonnes[ok], out.teu[ok])
    cells: Cells = {}
    for j, k in enumerate(uniq.tolist()):
        rest, b = divmod(k, base)
        rest, a = divmod(rest, base)
        r, y = divmod(rest, n_years)
        direction = f"{_node_name(run, a - 1)}>{_node_name(run, b - 1)}"
        cells[(years.labels[y][0], "border", run.resources[r].name, direction)] = _cell(dsums, j)
    return cells


def _cell(sums: tuple[np.ndarray, np.ndarray, np.ndarray], i: int) -> tuple[float, float, int]:
    return float(sums[0][i]), float(sums[1][i]), int(sums[2][i])


def _node_name(run: RunResult, index: int) -> str:
    return run.nodes[index] if index >= 0 else NO_NODE


def _group_cells(run: RunResult, years: Periods) -> Cells:
    """Per corridor label and year: the traffic through the nodes that carry the label."""
    labels = sorted({r.group for r in run.resources if r.group})
    if not labels:
        return {}
    n_years = len(years)
    of = np.array([labels.index(r.group) if r.group else -1 for r in run.resources] + [-1])
    v = run.visits
    yi = years.index(v["end_h"])
    g = of[v["resource"].astype(np.int64)]
    ok = (yi >= 0) & (g >= 0)
    key = g[ok] * n_years + yi[ok]
    sums = grouped_totals(key, len(labels) * n_years, v["tonnes"][ok], v["teu"][ok])
    return {
        (year, "group", label, "both"): _cell(sums, k * n_years + y)
        for k, label in enumerate(labels)
        for y, (year, _) in enumerate(years.labels)
    }


def route_cells(run: RunResult, years: Periods) -> Cells:
    """Trains each flow formed at its origin per year on routes through each corridor label
    (direction: the label), in flow order, then label order."""
    routes = run.routes
    if not len(routes.get("flow", ())):
        return {}
    shown = {year for year, _ in years.labels}
    cells: Cells = {}
    order = np.lexsort((routes["group"], routes["flow"], routes["year"]))
    for i in order:
        year = int(routes["year"][i])
        if year in shown:
            key = (year, "route", run.flows[routes["flow"][i]], str(routes["group"][i]))
            cells[key] = (
                float(routes["tonnes"][i]),
                float(routes["teu"][i]),
                int(routes["trains"][i]),
            )
    return cells


def flow_cells(run: RunResult, years: Periods) -> Cells:
    """Delivered tonnes and TEU per flow and delivery year, and their total over flows."""
    lots = run.lots
    sums = period_totals(
        lots["flow"], len(run.flows), lots["delivered_h"], years, lots["tonnes"], lots["teu"]
    )
    tonnes, teu = (s.reshape(len(run.flows), len(years)) for s in sums[:2])
    cells: Cells = {}
    for y, (year, _) in enumerate(years.labels):
        for f, name in enumerate(run.flows):
            cells[(year, "flow", name, "both")] = (float(tonnes[f, y]), float(teu[f, y]), math.nan)
        total = (float(tonnes[:, y].sum()), float(teu[:, y].sum()), math.nan)
        cells[(year, "total", TOTAL_NAME, "both")] = total
    return cells
