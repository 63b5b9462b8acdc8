"""What one simulation run leaves behind: frozen, columnar records (numpy arrays), no SimPy.

The engine fills a `Recorder` while it runs and freezes it into a `RunResult`; reports, exports
and charts read only `RunResult`.

Columns of `RunResult.visits` (one row per train passing one resource):
  resource  int32   index into `RunResult.resources`
  prev      int32   index of the node the train came from (-1: formed here), into `nodes`
  next      int32   index of the node the train goes to (-1: ends here), into `nodes`
  train     int64   train number, unique within the run
  cargo     int8    0 container, 1 bulk
  arrive_h  float64 hour the train reached the resource (joined its queue)
  start_h   float64 hour service began (entry to a section, slot seized at a node)
  end_h     float64 hour it left; the counting point for yearly tonnage
  busy_h    float64 capacity it used: slot hours at a node, headway hours at a section or gate
  teu       float32 TEU on the train (0 for bulk)
  tonnes    float32 cargo tonnes on the train
  completed bool    False for a visit still open when the run ended (the train was queued or in
                    service there): its end_h is the horizon, its start_h the horizon if it had
                    not started, its busy_h the capacity used before the horizon

Columns of `RunResult.lots` (one row per delivered lot):
  flow, released_h, delivered_h, teu, tonnes, formation_wait_h (hours waiting for trains to form)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

VISIT_COLUMNS: dict[str, Any] = {
    "resource": np.int32,
    "prev": np.int32,
    "next": np.int32,
    "train": np.int64,
    "cargo": np.int8,
    "arrive_h": np.float64,
    "start_h": np.float64,
    "end_h": np.float64,
    "busy_h": np.float64,
    "teu": np.float32,
    "tonnes": np.float32,
    "completed": np.bool_,
}
LOT_COLUMNS: dict[str, Any] = {
    "flow": np.int32,
    "released_h": np.float64,
    "delivered_h": np.float64,
    "teu": np.float32,
    "tonnes": np.float32,
    "formation_wait_h": np.float32,
}
GROW_FROM_ROWS = 4096  # a new column's first allocation
RESOURCE_KINDS = ("node", "section", "exchange", "berth")


@dataclass(frozen=True)
class ResourceInfo:
    """A capacity-limited thing trains pass: a node's slots, a section, a border exchange gate."""

    name: str
    kind: str  # one of RESOURCE_KINDS
    node_kind: str = ""  # for nodes, exchanges and berths: seaport, border, hub, junction, exit
    group: str = ""  # for nodes: the node's corridor label, for the yearly route-group rows


@dataclass(frozen=True)
class CapacityYear:
    """Capacity a resource offered in one calendar year, and hours it was fully closed."""

    resource: int
    year: int
    capacity_hours: float  # server-hours available: slots x open hours, or gate-open hours
    closed_hours: float
    # hours in which each direction had capacity of its own (a double-track section, a border
    # exchange); 0 where directions share it (slots, a single-track section)
    per_direction_hours: float = 0.0


@dataclass(frozen=True)
class FlowBalance:
    """Conservation of one flow at the end of a run: released = delivered + on trains + waiting."""

    flow: str
    released_tonnes: float
    delivered_tonnes: float
    on_trains_tonnes: float
    waiting_tonnes: float
    released_teu: float
    delivered_teu: float
    on_trains_teu: float
    waiting_teu: float

    @property
    def passed(self) -> bool:
        """True when nothing was created or lost (to rounding of float sums)."""
        t = self.delivered_tonnes + self.on_trains_tonnes + self.waiting_tonnes
        u = self.delivered_teu + self.on_trains_teu + self.waiting_teu
        return _close(t, self.released_tonnes) and _close(u, self.released_teu)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@dataclass(frozen=True)
class Marker:
    """A dated event worth marking on time axes: a capacity change, opening or disruption."""

    hour: float
    end_hour: float  # equal to hour for instant changes
    kind: str  # 'change', 'opening', 'disruption'
    target: str
    label: str


@dataclass(frozen=True)
class RunResult:
    """Everything one replication produced, frozen; the input of every report."""

    scenario_name: str
    replication: int
    seed: int
    start_date: dt.date
    horizon_hours: float
    warmup_hours: float
    nodes: tuple[str, ...]
    flows: tuple[str, ...]
    resources: tuple[ResourceInfo, ...]
    visits: dict[str, np.ndarray]
    lots: dict[str, np.ndarray]
    released: dict[str, np.ndarray]  # flow, month (0-based from start), teu, tonnes
    backlog: dict[str, np.ndarray]  # flow, year, teu, tonnes waiting or on trains at year end
    capacity: tuple[CapacityYear, ...]
    balances: tuple[FlowBalance, ...]
    markers: tuple[Marker, ...]
    trains: int
    events: int
    wall_seconds: float
    # flow, year, group (corridor label), trains, teu, tonnes: the trains each flow formed at
    # its origin in a year on routes through each corridor (route choice; empty otherwise)
    routes: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def conserved(self) -> bool:
        """True when every flow's tonnes and TEU balance."""
        return all(b.passed for b in self.balances)


@dataclass
class Columns:
    """Columnar buffer filled many rows at a time, frozen into plain numpy arrays.

    Rows are copied once, into columns that grow in place (`ndarray.resize`: the allocator
    moves large arrays' pages rather than their bytes) and are trimmed when taken. Keeping the
    blocks and joining them at the end held every row twice and copied it from memory grown
    cold; growing by fresh allocations copied rows again and again.
    """

    dtypes: dict[str, Any]
    size: int = 0
    # grown and trimmed in place: keep no view of them (it would point at freed memory once
    # they move); take() hands them over
    arrays: dict[str, np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._empty()

    def _empty(self) -> None:
        """Fresh, empty columns."""
        self.arrays = {k: np.empty(0, t) for k, t in self.dtypes.items()}
        self.size = 0

    def extend(self, **values: np.ndarray) -> None:
        """Add many rows at once (all arrays of one length, cast to the columns' types)."""
        n = len(next(iter(values.values())))
        if not n:
            return
        start, end = self.size, self.size + n
        for k, column in self.arrays.items():
            if end > len(column):  # at least double: each row is moved O(1) times
                column.resize(max(end, 2 * len(column), GROW_FROM_ROWS), refcheck=False)
            column[start:end] = values[k]
        self.size = end

    def take(self) -> dict[str, np.ndarray]:
        """The rows so far, trimmed, leaving the buffer empty."""
        out = self.arrays
        for column in out.values():  # no view of these exists: they are only written to
            column.resize(self.size, refcheck=False)
        self._empty()
        return out

    def freeze(self) -> dict[str, np.ndarray]:
        """The rows, joined into read-only arrays (the buffer is left empty)."""
        out = self.take()
        for a in out.values():
            a.flags.writeable = False
        return out
