"""What the year-at-a-time tables carry across years: measures that span the whole run.

A border's stock is a running sum from the start of the run; the side a train formed at a
crossing is counted under is the side most trains came from over the whole run; the transit
sample is spread over every delivered lot; releases and backlogs are known at the end. Each is
kept here as running totals or a few numbers per crossing or lot (records/sink.py explains the
flow), and added in the same order as from whole records, so every sum is the same number.
"""

from __future__ import annotations

import numpy as np

from simulator.records.results import RunResult
from simulator.report.border_tables import Crossings, border_resources
from simulator.report.flow_tables import (
    FLOW_COLUMNS,
    HOURS_PER_DAY,
    TRANSIT_SAMPLE,
    backlog_by_flow_year,
    released_per_year,
)
from simulator.report.periods import Periods
from simulator.report.spill import SpilledColumn
from simulator.report.tables import Table
from simulator.report.yearly_tables import NO_NODE, Cells, border_direction_cells

Held = dict[int, tuple[np.ndarray, np.ndarray]]


class CarriedPieces:
    """Running border stocks and sides, crossings by direction, transit days, of one run."""

    def __init__(self, shell: RunResult) -> None:
        self.borders = border_resources(shell)
        self.totals = {r: np.zeros(4) for r in self.borders.values()}  # in t, in TEU, out t, TEU
        self.sides: dict[tuple[int, int], dict[int, list]] = {}  # prev -> [count, first row]
        self.crossings: list[Crossings] = []
        # every delivered lot's transit days, on disk: the sample is spread over all of them
        self.days = {f: SpilledColumn() for f in range(len(shell.flows))}

    def add_year(self, run: RunResult, out: Crossings, year: Periods, lo: float, hi: float) -> Held:
        """Count the visits that ended in [lo, hi) and the crossings of `year` (one period);
        returns each border's stock at the period's end."""
        v = run.visits
        end = v["end_h"]
        span = (end >= lo) & (end < hi)
        handled = np.isin(v["resource"], list(self.borders.values())) & v["completed"]
        handled &= (v["next"] >= 0) & span
        rows = np.flatnonzero(handled)
        for i, r, nxt, prev in zip(
            rows.tolist(),
            v["resource"][rows].tolist(),
            v["next"][rows].tolist(),
            v["prev"][rows].tolist(),
            strict=True,
        ):
            first = (int(v["train"][i]), float(end[i]))
            seen = self.sides.setdefault((r, nxt), {}).setdefault(prev, [0, first])
            seen[0] += 1
            seen[1] = min(seen[1], first)
        held: Held = {}
        went = (out.hour >= lo) & (out.hour < hi)
        for r, totals in self.totals.items():
            inbound = (v["resource"] == r) & handled
            leave = went & (out.border == r)
            pieces = (
                (end[inbound], v["tonnes"][inbound]),
                (end[inbound], v["teu"][inbound]),
                (out.hour[leave], out.tonnes[leave]),
                (out.hour[leave], out.teu[leave]),
            )
            for k, (hours, weights) in enumerate(pieces):
                order = np.argsort(hours, kind="stable")
                w = np.asarray(weights, dtype=float)[order]
                totals[k] = np.cumsum(np.concatenate([[totals[k]], w]))[-1]
            tonnes = max(totals[0] - totals[2], 0.0)
            teu = max(totals[1] - totals[3], 0.0)
            held[r] = (np.array([tonnes]), np.array([teu]))
        keep = year.index(out.hour) >= 0
        self.crossings.append(_rows(out, keep))
        return held

    def add_transit(self, run: RunResult, year: Periods) -> None:
        """Transit days of the lots delivered in the year, per flow, in delivery order."""
        lots = run.lots
        counted = year.index(lots["delivered_h"]) >= 0
        for f, days in self.days.items():
            m = np.flatnonzero(counted & (lots["flow"] == f))
            days.append((lots["delivered_h"][m] - lots["released_h"][m]) / HOURS_PER_DAY)

    def usual_sides(self) -> dict[tuple[int, int], int]:
        """(border resource, onward node) -> the node most trains handled there came from
        (ties: the side seen first in stored order)."""
        return {
            key: min(seen.items(), key=lambda s: (-s[1][0], s[1][1]))[0]
            for key, seen in self.sides.items()
        }

    def direction_cells(self, run: RunResult, years: Periods) -> Cells:
        """Border cells per direction for every year, sides of formed trains resolved."""
        if not self.crossings:
            return {}
        usual = self.usual_sides()
        out = Crossings(
            *(np.concatenate(c) for c in zip(*(_fields(x) for x in self.crossings), strict=True))
        )
        for i in np.flatnonzero(out.formed):
            out.came_from[i] = usual.get((int(out.border[i]), int(out.to[i])), -1)
        # the year index of each crossing is its period: hours map back to the same periods
        return border_direction_cells(run, years, out)

    def flows_with_releases(
        self, run: RunResult, years: Periods, horizon_years: int, rows: list[tuple]
    ) -> Table:
        """The flows table, its released and backlog columns filled in from the run's end."""
        released = released_per_year(run, years, horizon_years)
        backlog = backlog_by_flow_year(run)
        n = len(run.flows)
        out = []
        for i, row in enumerate(rows):
            y, f = divmod(i, n)
            rel = (float(released[f, y, 0]), float(released[f, y, 1]))
            out.append((*row[:3], *rel, *row[5:7], *backlog.get((f, row[1]), (0.0, 0.0)), *row[9:]))
        return Table(FLOW_COLUMNS, tuple(out))

    def transit(self, run: RunResult) -> Table:
        """Transit days of up to TRANSIT_SAMPLE delivered lots per flow, evenly spread; the
        days kept on disk are deleted."""
        rows: list[tuple] = []
        for f, name in enumerate(run.flows):
            column = self.days[f]
            n = len(column)
            positions = np.arange(n)
            if n > TRANSIT_SAMPLE:
                positions = np.linspace(0, n - 1, TRANSIT_SAMPLE).round().astype(int)
            days = column.at(positions)
            column.close()
            rows.extend((run.replication, name, float(d)) for d in days.tolist())
        return Table(("replication", "flow", "transit_days"), tuple(rows))


def _rows(out: Crossings, keep: np.ndarray) -> Crossings:
    return Crossings(*(a[keep] for a in _fields(out)))


def _fields(out: Crossings) -> tuple[np.ndarray, ...]:
    return (out.border, out.came_from, out.to, out.hour, out.tonnes, out.teu, out.formed)


def ordered_cells(run: RunResult, years: Periods, cells: Cells, directions: Cells) -> Cells:
    """Yearly cells of every year in the order `yearly_cells` makes them from whole records:
    resources (both directions), resources by direction, labels, borders, their directions,
    flows and the total."""
    year_of = {label[0]: y for y, label in enumerate(years.labels)}
    resource = {info.name: r for r, info in enumerate(run.resources)}
    borders = {r: i for i, r in enumerate(border_resources(run).values())}
    labels = {g: i for i, g in enumerate(sorted({r.group for r in run.resources if r.group}))}
    flows = {name: f for f, name in enumerate(run.flows)}
    names = [NO_NODE, *run.nodes]
    pair = {f"{names[a]}>{names[b]}": (a, b) for a in range(len(names)) for b in range(len(names))}

    def rank(key: tuple) -> tuple:
        year, kind, name, direction = key
        y = year_of[year]
        if kind in ("node", "section"):
            r = resource[name]
            return (0, r, y) if direction == "both" else (1, r, y, *pair[direction])
        if kind == "group":
            return (2, labels[name], y)
        if kind in ("border", "border_held") and direction == "both":
            return (3, borders[resource[name]], y, kind == "border_held")
        if kind == "border":
            return (4, resource[name], y, *pair[direction])
        if kind == "route":
            return (6, y, flows[name], direction)
        return (5, y, flows[name] if kind == "flow" else len(flows))

    merged = dict(cells)
    merged.update(directions)
    return {key: merged[key] for key in sorted(merged, key=rank)}
