"""One replication's tables reduced while it runs: a calendar year at a time, from a window.

`OnlineTables` is the `RecordSink` a replication hands its rows to (records/sink.py). It keeps
a window of visits: those of the year not yet finished, those that end later, and each train's
last visit (the one a border crossing looks back to). When the engine says every visit that
began before a year's end was handed over, the year's rows of every table are computed from the
window with the same functions as from whole records, and the rows that no later year needs
are dropped. Every row of a table is a sum over visits of one year, in the same order as in the
stored records, so the tables are identical to those built from the whole records; the few
measures that span the run (border stocks, the usual side of trains formed at a crossing, the
transit sample) are carried as running totals and small per-year pieces (online_pieces.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from simulator.records.results import RunResult
from simulator.records.stored import compact_lots, compact_visits, stored_order
from simulator.report.border_tables import crossings
from simulator.report.flow_tables import flows_table
from simulator.report.online_pieces import CarriedPieces, ordered_cells
from simulator.report.periods import Periods, month_periods, year_periods
from simulator.report.replication_tables import (
    ReplicationTables,
    conservation_table,
    markers_table,
    queue_samples,
    sample_hours,
)
from simulator.report.resource_tables import monthly_table, resources_table
from simulator.report.tables import Table
from simulator.report.yearly_tables import (
    CELL_COLUMNS,
    Cells,
    border_total_cells,
    entity_order,
    flow_cells,
    route_cells,
    visit_cells,
)

HOURS_PER_YEAR = 8760.0
_NO_RELEASES = {
    "flow": np.zeros(0, dtype=np.int32),
    "month": np.zeros(0, dtype=np.int32),
    "year": np.zeros(0, dtype=np.int32),
    "teu": np.zeros(0),
    "tonnes": np.zeros(0),
}


def _concat(blocks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}


def _take(columns: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {k: a[rows] for k, a in columns.items()}


def _periods(p: Periods, rows: np.ndarray) -> Periods:
    return Periods(tuple(p.labels[i] for i in rows), p.lo[rows], p.hi[rows], p.full_hours[rows])


@dataclasses.dataclass
class OnlineTables:
    """A RecordSink that turns one replication's records into its tables, a year at a time."""

    horizon_years: int
    shell: RunResult | None = None
    years: Periods | None = None
    months: Periods | None = None
    pending: list[dict[str, np.ndarray]] = dataclasses.field(default_factory=list)
    window: dict[str, np.ndarray] | None = None
    lot_blocks: list[dict[str, np.ndarray]] = dataclasses.field(default_factory=list)
    done: int = 0  # years finished
    peak_rows: int = 0  # most visit rows held at once (window and pending)
    resources: list[tuple] = dataclasses.field(default_factory=list)
    monthly: list[tuple] = dataclasses.field(default_factory=list)
    flows: list[tuple] = dataclasses.field(default_factory=list)
    cells: Cells = dataclasses.field(default_factory=dict)
    queue_hours: list[float] = dataclasses.field(default_factory=list)
    queue_trains: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    queue_open: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    carried: CarriedPieces | None = None

    def begin(self, shell: RunResult) -> None:
        """Set up the calendar of the run's years and months."""
        self.shell = shell
        self.years = year_periods(shell.start_date, self.horizon_years, shell.warmup_hours)
        self.months = month_periods(shell.start_date, self.horizon_years, shell.warmup_hours)
        self.carried = CarriedPieces(shell)
        self.queue_trains = {info.name: [] for info in shell.resources}
        self.queue_open = {info.name: [] for info in shell.resources}

    def visits(self, block: dict[str, np.ndarray]) -> None:
        """Keep a block of visit rows, times to the second as stored."""
        self.pending.append(compact_visits(block))

    def lots(self, block: dict[str, np.ndarray]) -> None:
        """Keep a block of delivered lots, times to the second as stored."""
        self.lot_blocks.append(compact_lots(block))

    def settled(
        self,
        hour: float,
        open_visits: Callable[[], dict[str, np.ndarray]],
        first_open_train: int | None = None,
    ) -> None:
        """Finish every year that ends by `hour`; trains still in a visit that began before
        its end count in its queues through their rows of `open_visits`."""
        assert self.years is not None
        if self.done < len(self.years) - 1 and hour >= self.years.hi[self.done]:
            still = compact_visits(open_visits())
            while self.done < len(self.years) - 1 and hour >= self.years.hi[self.done]:
                self._finish_year(self.done, last=False, still=still)
                self.done += 1

    @property
    def held_rows(self) -> int:
        """Visit rows held now (window and pending blocks)."""
        held = len(self.window["train"]) if self.window is not None else 0
        return held + sum(len(b["train"]) for b in self.pending)

    def tables(self, run: RunResult) -> ReplicationTables:
        """The replication's tables, once the run has handed over everything (`run` holds the
        released, backlog and balance tallies of its end)."""
        assert self.years is not None and self.carried is not None
        while self.done < len(self.years):
            self._finish_year(self.done, last=self.done == len(self.years) - 1)
            self.done += 1
        self.window, self.pending, self.lot_blocks = None, [], []
        cells = ordered_cells(
            run,
            self.years,
            {**self.cells, **route_cells(run, self.years)},
            self.carried.direction_cells(run, self.years),
        )
        return ReplicationTables(
            replication=run.replication,
            network=entity_order(run),
            yearly_cells=Table(CELL_COLUMNS, tuple((*k, *v) for k, v in cells.items())),
            resources=Table(resources_table([], self.years).columns, tuple(self.resources)),
            flows=self.carried.flows_with_releases(run, self.years, self.horizon_years, self.flows),
            monthly=Table(monthly_table([], self.years).columns, tuple(self.monthly)),
            transit=self.carried.transit(run),
            conservation=conservation_table([run]),
            markers=markers_table(run),
            queue_hours=tuple(self.queue_hours),
            queue_trains={k: tuple(v) for k, v in self.queue_trains.items()},
            queue_open={k: tuple(v) for k, v in self.queue_open.items()},
        )

    def _gather(self, still: dict[str, np.ndarray] | None) -> tuple[dict, np.ndarray]:
        """The window, the pending rows and the open visits, in stored order (by train, then
        end), and which of them are open visits. Built a column at a time, each block's
        column freed as it is copied, so that about one copy of the rows is held at once."""
        assert self.shell is not None
        blocks = ([self.window] if self.window is not None else []) + self.pending
        self.window, self.pending = None, []
        held = sum(len(b["train"]) for b in blocks)
        self.peak_rows = max(self.peak_rows, held)
        blocks += [dict(still)] if still is not None else []  # kept for the next year
        if not blocks:
            return {k: a.copy() for k, a in self.shell.visits.items()}, np.zeros(0, dtype=bool)
        v = {}
        for k in self.shell.visits:
            v[k] = np.concatenate([b.pop(k) for b in blocks])
        order = stored_order(v)
        for k in v:
            v[k] = v[k][order]
        return v, order >= held

    def _finish_year(self, y: int, last: bool, still: dict | None = None) -> None:
        """Rows of every table for year period y, from the visits that can touch it."""
        assert self.shell is not None and self.years is not None and self.months is not None
        assert self.carried is not None
        v, provisional = self._gather(still)
        lots = _concat(self.lot_blocks) if self.lot_blocks else dict(self.shell.lots)
        run = dataclasses.replace(
            self.shell, visits=v, lots=lots, released=_NO_RELEASES, backlog=_NO_RELEASES
        )
        year = _periods(self.years, np.array([y]))
        in_year = [
            m for m, (label, _) in enumerate(self.months.labels) if label == year.labels[0][0]
        ]
        months = _periods(self.months, np.array(in_year, dtype=np.int64))
        lo = self.years.hi[y - 1] if y > 0 else -np.inf
        hi = np.inf if last else float(self.years.hi[y])
        out = crossings(run)
        self.resources.extend(resources_table([run], year).rows)
        self.monthly.extend(monthly_table([run], months).rows)
        self.flows.extend(flows_table([run], year, self.horizon_years).rows)
        self.cells.update(visit_cells(run, year))
        held = self.carried.add_year(run, out, year, lo, hi)
        self.cells.update(border_total_cells(run, year, out, held))
        self.cells.update(flow_cells(run, year))
        self.carried.add_transit(run, year)
        every_day = sample_hours(run)
        hours = every_day[(every_day >= lo) & (every_day < hi)]
        sampled, trains, _ = queue_samples(run, hours)
        self.queue_hours.extend(sampled)
        for name in self.queue_trains:
            self.queue_trains[name].extend(trains[name])
        if last:  # trains still waiting at the end: their visits are all in the last window
            _, _, waiting = queue_samples(run, every_day)
            self.queue_open = {name: list(counts) for name, counts in waiting.items()}
        self._drop(_take(v, np.flatnonzero(~provisional)), float(self.years.hi[y]))

    def _drop(self, v: dict[str, np.ndarray], hi: float) -> None:
        """Keep the visits that end after the year, and each train's last one before it (a
        crossing next year looks back to it) if it ended within a year; lots after the year."""
        end, train = v["end_h"], v["train"]
        before = end < hi
        last = np.ones(len(end), dtype=bool)
        last[:-1] = (train[1:] != train[:-1]) | ~before[1:]
        keep = ~before | (last & (end >= hi - HOURS_PER_YEAR))
        self.window = _take(v, np.flatnonzero(keep))
        if self.lot_blocks:
            lots = _concat(self.lot_blocks)
            self.lot_blocks = [_take(lots, np.flatnonzero(lots["delivered_h"] >= hi))]
