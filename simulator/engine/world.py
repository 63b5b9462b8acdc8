"""The simulated corridor's state during one run: facilities, trains on the move, lot queues.

`World` is built by the engine from a Scenario and read by the processes; it also keeps the
independent tallies that the conservation check compares at the end.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from simulator.engine.capacity import NodeCapacity, SectionCapacity
from simulator.engine.facilities import FifoSlots, Gate, Slots
from simulator.engine.lots import Batch, DemandQueue, LotBuffer
from simulator.engine.randomness import Draw
from simulator.engine.rows import LotRows, RowBuffer
from simulator.engine.single_track import SingleTrack
from simulator.engine.timeline import Cursor
from simulator.records.sink import OPEN_END_H, RecordSink
from simulator.scenario.calendar import Calendar
from simulator.scenario.model import Flow, Node, Scenario, Section, TrainType


@dataclass
class FlowState:
    """A flow while it runs: its routes over time and its lot counts."""

    flow: Flow
    index: int
    epochs: list[tuple[float, float, tuple[str, ...]]]  # (start hour, end hour, route)
    teu_per_lot: float
    tonnes_per_lot: float
    released_lots: int = 0
    delivered_lots: int = 0
    in_port_lots: int = 0
    queues: list[DemandQueue] = field(default_factory=list)
    chooser: Any = None  # its routing.Chooser at the origin, when trains choose or are held

    def route_at(self, hour: float) -> tuple[str, ...]:
        """The route in force at an hour."""
        for lo, hi, route in self.epochs:
            if lo <= hour < hi:
                return route
        return self.epochs[-1][2]


@dataclass(slots=True)
class Train:
    """A train on the move: its flow, gauge, lots and where it is on its route."""

    number: int
    flow: FlowState
    train_type: TrainType
    lots: Batch
    route: tuple[str, ...]
    position: int
    counted: bool = False  # counted as bound for the facilities of its leg (route choice)
    holding: Any = None  # its flow's routing.Holding until it reaches its capped node
    release_at: int = -1  # the route position of that node
    teu: float = field(init=False)  # on board; a train's lots never change
    tonnes: float = field(init=False)  # cargo tonnes on board
    # the visit in progress: (resource, from node, to node, arrive, start, busy hours, booked);
    # start is inf until known; booked: handling booked ahead, not begun before its start hour.
    # Set before each wait, so the run's end can record it.
    at: tuple[int, int, int, float, float, float, bool] | None = None

    def __post_init__(self) -> None:
        n, flow = len(self.lots.released_h), self.flow
        self.teu = n * flow.teu_per_lot
        self.tonnes = n * flow.tonnes_per_lot


@dataclass
class SectionState:
    """A section during the run: its gate, timelines, running-time noise and record index."""

    section: Section
    capacity: SectionCapacity
    gate: Gate | SingleTrack  # SingleTrack where the section has one track on some date
    resource: int
    noise: Draw | None
    fixed_kmh: float | None = field(init=False)  # the speed when it never changes
    speed_at: Callable[[float], float] = field(init=False)  # capacity.km_per_hour.at, cheaper

    def __post_init__(self) -> None:
        speed = self.capacity.km_per_hour
        self.fixed_kmh = speed.values[0] if len(speed.hours) == 1 else None
        self.speed_at = Cursor(speed).at


@dataclass
class NodeState:
    """A node during the run: handling slots, exchange gate, samplers and record indices."""

    node: Node
    capacity: NodeCapacity
    resource: int
    slots: FifoSlots | None = None
    handling: Draw | None = None
    bulk_handling: Draw | None = None
    exchange: Gate | None = None  # one gate for both ways, or heading to the first gauge
    exchange_back: Gate | None = None  # heading to the second gauge, at a gauge change
    exchange_resource: int = -1
    berths: Slots | None = None
    berth_resource: int = -1

    def exchange_way(self, came_on_mm: int, prev: int, nxt: int) -> tuple[Gate | None, int]:
        """The exchange gate a train arriving on a gauge crosses, and its direction there.

        At a gauge change each way across has its own gate (and limit); elsewhere one gate
        serves both, its directions told apart by node order (`prev`, `nxt`: node indices).
        """
        if self.exchange_back is None:
            return self.exchange, 1 if nxt == -1 or prev < nxt else -1
        heading_back = came_on_mm == self.node.gauges[0]
        return (self.exchange_back if heading_back else self.exchange), 1

    @property
    def bound(self) -> list[float]:
        """Expected arrival hours (sorted) of trains sent towards its handling, not yet started
        (nodes with handling slots only)."""
        assert self.slots is not None
        return self.slots.bound


@dataclass
class Pool:
    """Lots waiting at a node for a train onward (after transshipment, or off a ship)."""

    flow: FlowState
    node: str
    route: tuple[str, ...]
    train_type: TrainType
    handle_first: bool
    buffer: LotBuffer = field(default_factory=LotBuffer)
    added: Any = None  # set when lots are added (a stepping.Signal), while formation waits
    chooser: Any = None  # a routing.Chooser when trains formed here are counted or held


@dataclass
class World:
    """Everything the processes share during one run."""

    env: simpy.Environment
    scenario: Scenario
    calendar: Calendar
    replication: int
    nodes: dict[str, NodeState]
    node_index: dict[str, int]
    sections: dict[frozenset, SectionState]
    flows: list[FlowState]
    train_types: dict[tuple[str, int], TrainType]
    yards: dict[tuple[str, str | None], Slots]
    visits: RowBuffer
    lots: LotRows
    pools: dict[tuple, Pool] = field(default_factory=dict)
    live: dict[int, Train] = field(default_factory=dict)
    next_train: int = 0
    backlog: list[tuple[int, int, float, float]] = field(default_factory=list)
    released_months: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    section_by_pair: dict[tuple[str, str], SectionState] = field(default_factory=dict)
    counting: bool = False  # trains are counted as bound (route choice or dispatch control)
    holding_days: float = 1.0  # days of a flow's trains that may be booked at capped nodes
    sink: RecordSink | None = None  # where records go while the run goes (else kept whole)
    unloading: list[float] = field(default_factory=list)  # arrival hours of ships at berths
    legs: dict[tuple[str, ...], list] = field(default_factory=dict)  # by route (legs.py)
    # (flow, year, corridor label) -> [trains, teu, tonnes] formed at origins (route choice)
    routes: dict[tuple[int, int, str], list[float]] = field(default_factory=dict)

    def count_route(self, fs: FlowState, group: str, train: Train) -> None:
        """Count a train a flow formed at its origin on a route through a labelled corridor."""
        if group:
            key = (fs.index, self.calendar.year_of(self.env._now), group)
            tally = self.routes.setdefault(key, [0, 0.0, 0.0])
            tally[0] += 1
            tally[1] += train.teu
            tally[2] += train.tonnes

    def hand_over(self, until_h: float) -> None:
        """Give the sink the rows recorded so far, and the hour before which they are complete.

        Complete up to the clock, or the arrival of a ship still at or waiting for a berth;
        trains' visits in progress are given as rows of their own when asked for, and every
        train numbered below the first still on the network has made all its visits. Every
        event before `until_h` has been processed.
        """
        if self.sink is None:
            return
        self.visits.flush()
        self.lots.flush()
        if self.lots.size:
            self.sink.lots(self.lots.take())
        first_open = next(iter(self.live), self.next_train + 1)  # live is in train order
        self.sink.settled(
            min([self.env.now, *self.unloading]),
            functools.partial(self.open_visits, until_h),
            first_open,
        )

    def open_visits(self, until_h: float) -> dict[str, np.ndarray]:
        """A row for the visit each train is in now, ending at OPEN_END_H (see records/sink.py).

        Handling booked to start at or after `until_h` has not started yet (see FifoSlots).
        """
        rows = []
        for train in self.live.values():
            if train.at is None:
                continue
            resource, prev, nxt, arrive, start, _, booked = train.at
            cargo = 0 if train.flow.flow.cargo == "container" else 1
            if not math.isfinite(start) or (booked and start >= until_h):
                start = OPEN_END_H
            rows.append((resource, prev, nxt, train.number, cargo, arrive, start, OPEN_END_H))
            rows[-1] += (0.0, train.teu, train.tonnes, True)
        dtype = np.dtype(list(self.visits.dtypes.items()))
        table = np.array(rows, dtype=dtype) if rows else np.zeros(0, dtype=dtype)
        return {k: np.ascontiguousarray(table[k]) for k in self.visits.dtypes}

    def section(self, a: str, b: str) -> SectionState:
        """The section joining two nodes."""
        sec = self.section_by_pair.get((a, b))
        if sec is None:  # remembered by ordered pair: no frozenset per call
            sec = self.section_by_pair[(a, b)] = self.sections[frozenset((a, b))]
        return sec

    def train_type(self, cargo: str, a: str, b: str) -> TrainType:
        """The train type that carries `cargo` on the section from a to b."""
        return self.train_types[(cargo, self.section(a, b).section.gauge_mm)]

    def yard(self, node: str, came_from: str | None) -> Slots | None:
        """The finite yard a train must enter at `node` when coming from `came_from`, if any."""
        key = (node, came_from)
        if key not in self.yards:
            cap = self.nodes[node].capacity.yard_trains
            if cap is None:
                return None
            self.yards[key] = Slots(self.env, cap)
        return self.yards[key]

    def new_train(
        self, flow: FlowState, ttype: TrainType, lots: Batch, route: tuple[str, ...], position: int
    ) -> Train:
        """Register a train as on the move."""
        self.next_train += 1
        train = Train(self.next_train, flow, ttype, lots, route, position)
        self.live[train.number] = train
        return train

    def record_open_visits(self, horizon_h: float) -> None:
        """Record, as not completed, the visit each train on the network is in at the horizon.

        A queued train's visit starts and ends at the horizon; one in service keeps its start,
        ends at the horizon and counts the capacity it used before it.
        """
        for train in self.live.values():
            if train.at is None:
                continue
            resource, prev, nxt, arrive, start, busy, _ = train.at
            start = min(start, horizon_h)  # handling booked to start later has not started
            busy = min(busy, max(0.0, horizon_h - start))
            cargo = 0 if train.flow.flow.cargo == "container" else 1
            self.visits.add(
                resource, prev, nxt, train.number, cargo, arrive, start, horizon_h, busy,
                train.teu, train.tonnes, False,
            )  # fmt: skip

    @functools.cached_property
    def month_starts(self) -> np.ndarray:
        """First hour of each calendar month of the horizon (worked out once per run)."""
        return np.array([m[2] for m in self.calendar.month_bounds()])

    def release(self, flow: FlowState, times: np.ndarray) -> None:
        """Count lots released by demand, by month, for conservation and the flows table."""
        flow.released_lots += len(times)
        idx = np.searchsorted(self.month_starts, times, side="right") - 1
        for m, n in zip(*np.unique(idx, return_counts=True), strict=True):
            self.released_months[(flow.index, int(m))] += int(n)

    def waiting_lots(self, flow: FlowState, hour: float, final: bool) -> int:
        """Lots of a flow released but not on a train: origin queues, pools, ships unloading."""
        queued = sum(q.waiting(hour) if final else q.released_so_far(hour) for q in flow.queues)
        pooled = sum(len(p.buffer) for p in self.pools.values() if p.flow is flow)
        return queued + pooled + flow.in_port_lots

    def on_train_lots(self, flow: FlowState) -> int:
        """Lots of a flow on trains that have not arrived."""
        return sum(len(t.lots) for t in self.live.values() if t.flow is flow)
