"""`simulate(scenario, replication)`: build the corridor, run it, return frozen records.

The only caller of the SimPy event loop. A pure function of its arguments: the same scenario
and replication give identical records, in any process, in any order.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from simulator.engine.capacity import (
    integrate_years,
    markers,
    node_capacities,
    rounded_slots,
    section_capacities,
)
from simulator.engine.clock import Clock
from simulator.engine.delivery import year_end_tally
from simulator.engine.dispatch import pipeline_days
from simulator.engine.facilities import FifoSlots, Gate, Slots
from simulator.engine.processes import origin_formation
from simulator.engine.randomness import sampler, stream
from simulator.engine.routing import epoch_chooser, setup_choosers
from simulator.engine.rows import VISIT_PARTS, LotRows, RowBuffer
from simulator.engine.ships import ship_arrivals
from simulator.engine.single_track import section_gate
from simulator.engine.stepping import run_until, start
from simulator.engine.timeline import StepFunction
from simulator.engine.world import FlowState, NodeState, SectionState, World
from simulator.errors import ConservationError
from simulator.records.results import (
    LOT_COLUMNS,
    VISIT_COLUMNS,
    CapacityYear,
    Columns,
    FlowBalance,
    ResourceInfo,
    RunResult,
)
from simulator.records.sink import RecordSink
from simulator.scenario.calendar import Calendar
from simulator.scenario.model import Scenario
from simulator.scenario.network import route_epochs

ProgressFn = Callable[[float], None]
__all__ = ["ProgressFn", "build_world", "run_until", "simulate", "start_processes"]


def build_world(scenario: Scenario, replication: int) -> tuple[World, list[ResourceInfo]]:
    """Facilities, flows and record buffers for one replication (nothing runs yet)."""
    env = Clock()
    cal = Calendar(scenario.start_date, scenario.horizon_years)
    resources: list[ResourceInfo] = []

    def add(name: str, kind: str, node_kind: str = "", group: str = "") -> int:
        resources.append(ResourceInfo(name, kind, node_kind, group))
        return len(resources) - 1

    seed = scenario.seed
    nodes: dict[str, NodeState] = {}
    for node, cap in zip(
        scenario.nodes, node_capacities(scenario, cal, replication).values(), strict=True
    ):
        st = NodeState(node, cap, add(node.id, "node", node.kind, node.corridor or ""))
        if node.handling is not None and cap.slots is not None:
            st.slots = FifoSlots(env, cap.slots)
            st.handling = sampler(
                node.handling.handling_hours, stream(seed, replication, f"handling/{node.id}")
            )
            st.bulk_handling = sampler(
                node.handling.bulk_handling_hours or node.handling.handling_hours,
                stream(seed, replication, f"handling-bulk/{node.id}"),
            )
        if cap.exchange_per_day is not None:
            st.exchange = Gate(cap.exchange_per_day)
            if node.two_sides:  # a gate for each way across: heading to the first gauge, back
                st.exchange_back = Gate(cap.exchange_back_per_day)
            st.exchange_resource = add(f"{node.id}/exchange", "exchange", node.kind)
        if node.port is not None:
            st.berths = Slots(env, StepFunction.constant(node.port.berths))
            st.berth_resource = add(f"{node.id}/berths", "berth", node.kind)
        nodes[node.id] = st
    sections = {}
    for sec, cap in zip(
        scenario.sections, section_capacities(scenario, cal, replication).values(), strict=True
    ):
        noise = None
        if sec.running_cv > 0:
            from simulator.scenario.distributions import Lognormal

            noise = sampler(
                Lognormal(dist="lognormal", mean=1.0, cv=sec.running_cv),
                stream(seed, replication, f"running/{sec.key}"),
            )
        sections[frozenset((sec.from_, sec.to))] = SectionState(
            sec,
            cap,
            section_gate(env, cap, sec.paired),
            add(sec.key, "section"),
            noise,
        )
    flows = []
    for i, flow in enumerate(scenario.flows):
        epochs = route_epochs(scenario, flow.id)
        spans = [cal.hours(e.starts) for e in epochs] + [cal.horizon_hours]
        flows.append(
            FlowState(
                flow,
                i,
                [(spans[k], spans[k + 1], e.route) for k, e in enumerate(epochs)],
                teu_per_lot=flow.lot_teu if flow.cargo == "container" else 0.0,
                tonnes_per_lot=flow.lot_size * flow.tonnes_per_unit,
            )
        )
    world = World(
        env=env,
        scenario=scenario,
        calendar=cal,
        replication=replication,
        nodes=nodes,
        node_index={n.id: k for k, n in enumerate(scenario.nodes)},
        sections=sections,
        flows=flows,
        train_types={(t.cargo, t.gauge_mm): t for t in scenario.train_types},
        yards={},
        visits=RowBuffer(VISIT_COLUMNS, parts=VISIT_PARTS),
        lots=LotRows(LOT_COLUMNS),
    )
    return world, resources


def start_processes(w: World) -> None:
    """Route choosers, demand, ships and the year-end tally."""
    setup_choosers(w)
    if any(n.max_queue_trains is not None for n in w.scenario.nodes):
        w.holding_days = pipeline_days(w)
    for fs in w.flows:
        if fs.flow.ship_teu_per_call is not None:
            w.env.process(ship_arrivals(w, fs))
            continue
        if fs.chooser is not None:  # least time: one formation process over every route
            lo, hi = fs.epochs[0][0], w.calendar.horizon_hours
            start(w.env, origin_formation(w, fs, lo, hi, fs.chooser.plans[0].nodes, fs.chooser))
            continue
        for lo, hi, route in fs.epochs:
            start(w.env, origin_formation(w, fs, lo, hi, route, epoch_chooser(w, fs, route)))
    w.env.process(year_end_tally(w))


def capacity_table(w: World, resources: list[ResourceInfo]) -> tuple[CapacityYear, ...]:
    """Server-hours offered and hours closed per resource and calendar year."""
    cal = w.calendar
    rows: list[CapacityYear] = []

    def servers(v: float, _h: float) -> float:
        return float(rounded_slots(v))

    for st in w.nodes.values():
        cap = st.capacity
        slots = cap.slots or StepFunction.constant(1.0)
        for year, total, closed in integrate_years(slots, cal, servers, cap.opens_hour):
            rows.append(CapacityYear(st.resource, year, total, closed))
        if st.exchange is not None:
            back = cap.exchange_back_per_day if st.exchange_back is not None else None

            def open_ways(v: float, hour: float, back=back) -> float:
                """Hours open in each direction (a gate each way, or one serving both)."""
                if back is None:
                    return 2.0 if v > 0 else 0.0
                return float(v > 0) + float(back.at(hour) > 0)

            for year, total, closed in integrate_years(
                cap.exchange_per_day, cal, open_ways, cap.opens_hour
            ):
                rows.append(CapacityYear(st.exchange_resource, year, total, closed, total / 2))
        if st.berths is not None:
            for year, total, closed in integrate_years(
                StepFunction.constant(st.node.port.berths), cal, servers, cap.opens_hour
            ):
                rows.append(CapacityYear(st.berth_resource, year, total, closed))
    for sec in w.sections.values():
        gate = sec.gate
        years = integrate_years(
            sec.capacity.trains_per_day,
            cal,
            lambda v, h, g=gate: 0.0 if v <= 0 else (1.0 if g.is_shared(h) else 2.0),
            sec.capacity.opens_hour,
        )
        own = integrate_years(  # hours in which each direction has a track of its own
            sec.capacity.trains_per_day,
            cal,
            lambda v, h, g=gate: 0.0 if v <= 0 or g.is_shared(h) else 1.0,
            sec.capacity.opens_hour,
        )
        for (year, total, closed), (_, per_direction, _) in zip(years, own, strict=True):
            rows.append(CapacityYear(sec.resource, year, total, closed, per_direction))
    return tuple(rows)


def balances(w: World) -> tuple[FlowBalance, ...]:
    """Released = delivered + on trains + waiting, per flow, from independent tallies."""
    out = []
    horizon = w.calendar.horizon_hours
    for fs in w.flows:
        waiting = w.waiting_lots(fs, horizon, final=True)
        on_trains = w.on_train_lots(fs)
        t, u = fs.tonnes_per_lot, fs.teu_per_lot
        out.append(
            FlowBalance(
                fs.flow.id,
                fs.released_lots * t,
                fs.delivered_lots * t,
                on_trains * t,
                waiting * t,
                fs.released_lots * u,
                fs.delivered_lots * u,
                on_trains * u,
                waiting * u,
            )
        )
    return tuple(out)


def simulate(
    scenario: Scenario,
    replication: int = 0,
    progress: ProgressFn | None = None,
    sink: RecordSink | None = None,
) -> RunResult:
    """Run one replication of a scenario and return its records.

    With a `sink`, visits and lots go to it as the run goes (see records/sink.py) and the
    result holds none of them. Raises ConservationError if any flow's tonnes or TEU do not
    balance at the end.
    """
    wall = time.perf_counter()
    w, resources = build_world(scenario, replication)
    shell = _shell(scenario, w, resources)
    if sink is not None:
        w.sink = sink
        w.visits.sink = sink.visits
        sink.begin(shell)
    start_processes(w)
    events = run_until(w.env, w.calendar.horizon_hours, progress, w.hand_over)
    w.record_open_visits(w.calendar.horizon_hours)
    w.hand_over(w.calendar.horizon_hours)
    flow_balances = balances(w)
    broken = [b for b in flow_balances if not b.passed]
    if broken:
        raise ConservationError(
            "tonnage not conserved in replication "
            f"{replication}: "
            + "; ".join(
                f"{b.flow}: released {b.released_tonnes:.0f} t, delivered "
                f"{b.delivered_tonnes:.0f}, on trains {b.on_trains_tonnes:.0f}, waiting "
                f"{b.waiting_tonnes:.0f}"
                for b in broken
            )
        )
    released = sorted(w.released_months.items())
    fl = {fs.index: fs for fs in w.flows}
    return dataclasses.replace(
        shell,
        visits=w.visits.freeze(),
        lots=w.lots.freeze(),
        released={
            "flow": np.array([k[0] for k, _ in released], dtype=np.int32),
            "month": np.array([k[1] for k, _ in released], dtype=np.int32),
            "teu": np.array([n * fl[k[0]].teu_per_lot for k, n in released]),
            "tonnes": np.array([n * fl[k[0]].tonnes_per_lot for k, n in released]),
        },
        backlog={
            "flow": np.array([b[0] for b in w.backlog], dtype=np.int32),
            "year": np.array([b[1] for b in w.backlog], dtype=np.int32),
            "teu": np.array([b[2] for b in w.backlog]),
            "tonnes": np.array([b[3] for b in w.backlog]),
        },
        routes={
            "flow": np.array([k[0] for k in w.routes], dtype=np.int32),
            "year": np.array([k[1] for k in w.routes], dtype=np.int32),
            "group": np.array([k[2] for k in w.routes], dtype=str),
            "trains": np.array([v[0] for v in w.routes.values()], dtype=np.int64),
            "teu": np.array([v[1] for v in w.routes.values()]),
            "tonnes": np.array([v[2] for v in w.routes.values()]),
        },
        balances=flow_balances,
        trains=w.next_train,
        events=events,
        wall_seconds=time.perf_counter() - wall,
    )


def _shell(scenario: Scenario, w: World, resources: list[ResourceInfo]) -> RunResult:
    """The run's fixed facts, known before it runs (capacity and markers are timelines)."""
    empty = {"flow": np.zeros(0, dtype=np.int32)}
    return RunResult(
        scenario_name=scenario.name,
        replication=w.replication,
        seed=scenario.seed,
        start_date=scenario.start_date,
        horizon_hours=w.calendar.horizon_hours,
        warmup_hours=scenario.warmup_days * 24.0,
        nodes=tuple(n.id for n in scenario.nodes),
        flows=tuple(f.id for f in scenario.flows),
        resources=tuple(resources),
        visits=Columns(VISIT_COLUMNS).freeze(),
        lots=Columns(LOT_COLUMNS).freeze(),
        released=empty,
        backlog=empty,
        capacity=capacity_table(w, resources),
        balances=(),
        markers=markers(scenario, w.calendar),
        trains=0,
        events=0,
        wall_seconds=0.0,
    )
