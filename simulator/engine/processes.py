"""SimPy processes: demand release and train formation, ships, train journeys, year-end tallies.

A train is a process; its lots are arrays that move with it. Formation times come from numpy on
the lot arrays (one event per train), sections cost one timeout per train (headway gates), and
handling costs a timeout at nodes that have slots (and a request event only when it must wait,
or when other events are due at the same instant).
"""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import simpy

from simulator.engine.demand import lot_times
from simulator.engine.dispatch import Holding, dispatch, new_holding, reached
from simulator.engine.lots import Batch, DemandQueue
from simulator.engine.routing import Chooser, RoutePlan, onward_chooser
from simulator.engine.world import FlowState, Pool, Train, VisitLog, World, visit_log
from simulator.scenario.model import TrainType

Proc = Generator[simpy.Event, object, None]


def others_due_now(env: simpy.Environment) -> bool:
    """True if another event is due at this instant.

    A zero-hour timeout is skipped only when none is: the process would be the next to run
    anyway, so the order of everything (and every record) stays as with the timeout.
    """
    return env.peek() <= env.now


def capacity_in_lots(flow: FlowState, cargo_size: float | None) -> int:
    """Whole lots that fill one train of the given size (at least one)."""
    return max(1, int(math.floor((cargo_size or 0) / flow.flow.lot_size + 1e-9)))


def train_size(ttype: TrainType) -> float | None:
    """A train type's size in its flow unit (TEU or tonnes)."""
    return ttype.teu_per_train if ttype.cargo == "container" else ttype.tonnes_per_train


def acquire_yard(w: World, node: str, came_from: str | None) -> Proc:
    """Wait for room in the yard a train is heading to; returns the yard (or None)."""
    yard = w.yard(node, came_from)
    if yard is not None and (others_due_now(w.env) or not yard.take_free()):
        yield yard.request()
    return yard


def origin_formation(
    w: World,
    fs: FlowState,
    start_h: float,
    end_h: float,
    route: tuple[str, ...],
    chooser: Chooser | None = None,
) -> Proc:
    """Form trains of a flow at its origin from lots released in [start_h, end_h).

    With a chooser, each train takes the route it picks, and waits here (its lots still in the
    origin queue) while dispatch control holds it.
    """
    env = w.env
    ttype = w.train_type(fs.flow.cargo, route[0], route[1])
    cap = capacity_in_lots(fs, train_size(ttype))
    queue = DemandQueue(
        w.calendar.year_bounds(),
        start_h,
        end_h,
        lambda year: lot_times(
            w.scenario, fs.flow, w.calendar, w.replication, year, fs.flow.lot_size
        ),
        lambda times: w.release(fs, times),
    )
    fs.queues.append(queue)
    horizon = w.calendar.horizon_hours
    holding = new_holding(w, fs, train_size(ttype))
    while True:
        oldest = queue.time_of(0)
        if oldest is None:
            return
        filled = queue.time_of(cap - 1)
        depart = min(filled if filled is not None else math.inf, oldest + ttype.max_wait_hours)
        if depart >= horizon:
            return
        hold = max(0.0, depart - env.now)
        if hold > 0 or others_due_now(env):
            yield env.timeout(hold)
        plan, booked = None, False
        if chooser is not None:
            picked = yield from dispatch(w, chooser, holding.last_h)
            if picked is None:
                return  # held past the horizon: the lots stay in the origin queue
            plan, booked, wait = picked
            route = plan.nodes
            ttype = w.train_type(fs.flow.cargo, route[0], route[1])
            if wait > 0:
                batch = queue.take(queue.released_by(env.now, cap), env.now)
                yield from hold_train(w, fs, ttype, batch, route, plan, wait, True, holding)
                continue
        yard = yield from acquire_yard(w, route[0], None)
        count = queue.released_by(env.now, cap)
        train = w.new_train(fs, ttype, queue.take(count, env.now), route, 0)
        if plan is not None:
            chooser.send(train, plan, env.now, booked)
        env.process(journey(w, train, yard, handle_first=True))
        if plan is not None and plan.capped:
            yield from hold_place(w, train, plan, holding)


def pool_formation(w: World, pool: Pool) -> Proc:
    """Form trains from a pool whose lots arrive with events (transshipment, ships)."""
    env = w.env
    cap = capacity_in_lots(pool.flow, train_size(pool.train_type))
    buffer = pool.buffer
    holding = new_holding(w, pool.flow, train_size(pool.train_type))
    while True:
        if len(buffer) == 0:
            pool.added = env.event()
            yield pool.added
            continue
        deadline = buffer.oldest_ready() + pool.train_type.max_wait_hours
        if len(buffer) < cap and env.now < deadline:
            pool.added = env.event()
            yield env.any_of([pool.added, env.timeout(deadline - env.now)])
            continue
        route, ttype, plan, booked = pool.route, pool.train_type, None, False
        if pool.chooser is not None:
            picked = yield from dispatch(w, pool.chooser, holding.last_h)
            if picked is None:
                return  # held past the horizon: the lots stay in the pool
            plan, booked, wait = picked
            route = plan.nodes
            ttype = w.train_type(pool.flow.flow.cargo, route[0], route[1])
            if wait > 0:
                batch = buffer.take(min(cap, len(buffer)), env.now)
                yield from hold_train(
                    w, pool.flow, ttype, batch, route, plan, wait, pool.handle_first, holding
                )
                continue
        # a formed train waits on the node's formation tracks (its yard for trains formed here)
        yard = yield from acquire_yard(w, pool.node, None)
        batch = buffer.take(min(cap, len(buffer)), env.now)
        train = w.new_train(pool.flow, ttype, batch, route, 0)
        if plan is not None:
            pool.chooser.send(train, plan, env.now, booked)
        env.process(journey(w, train, yard, pool.handle_first))
        if plan is not None and plan.capped:
            yield from hold_place(w, train, plan, holding)


def hold_place(w: World, train: Train, plan: RoutePlan, holding: Holding) -> Proc:
    """Count a train sent on a capped route until it reaches its capped node; formation waits
    while the flow has its share of trains booked there."""
    train.holding, train.release_at = holding, plan.release_at
    holding.count += 1
    if holding.full(w.env.now):
        holding.freed = w.env.event()
        yield holding.freed


def hold_train(
    w: World,
    fs: FlowState,
    ttype: TrainType,
    batch: Batch,
    route: tuple[str, ...],
    plan: RoutePlan,
    wait_h: float,
    handle_first: bool,
    holding: Holding,
) -> Proc:
    """Form a train that must wait `wait_h` for its turn; it waits at its origin (its lots on it,
    the wait added to their formation wait) while formation goes on, up to the holding limit."""
    batch.wait_h += wait_h
    train = w.new_train(fs, ttype, batch, route, 0)
    holding.last_h = w.env.now + wait_h
    w.env.process(held_departure(w, train, wait_h, handle_first))
    yield from hold_place(w, train, plan, holding)


def held_departure(w: World, train: Train, wait_h: float, handle_first: bool) -> Proc:
    """A held train leaves when its turn comes."""
    yield w.env.timeout(wait_h)
    yard = yield from acquire_yard(w, train.route[0], None)
    train.counted = True  # booked when it was held
    yield from journey(w, train, yard, handle_first)


def add_to_pool(
    w: World, fs: FlowState, node: str, route: tuple[str, ...], batch: Batch, handle_first: bool
) -> None:
    """Put lots into the pool for (flow, onward route) at a node, starting it if new."""
    key = (fs.index, route, handle_first)
    pool = w.pools.get(key)
    if pool is None:
        ttype = w.train_type(fs.flow.cargo, route[0], route[1])
        pool = Pool(fs, node, route, ttype, handle_first)
        pool.chooser = onward_chooser(w, fs, route, handle_first)
        w.pools[key] = pool
        w.env.process(pool_formation(w, pool))
    pool.buffer.add(batch, w.env.now)
    if pool.added is not None and not pool.added.triggered:
        pool.added.succeed()


def journey(w: World, train: Train, yard, handle_first: bool) -> Proc:
    """Move a train along its route: node handling, border exchange, sections, gauge change.

    `yard` is the yard slot the train holds at its current node (None where yards are
    unlimited); it keeps it until it enters the next section, so trains queue upstream.
    """
    env = w.env
    route = train.route
    cargo = 0 if train.flow.flow.cargo == "container" else 1
    log = visit_log(w.visits, train.number, cargo, train.teu, train.tonnes)
    i = train.position
    if not handle_first:
        if train.holding is not None:
            reached(train, i)
        yard = yield from travel(w, train, route[i], route[i + 1], yard, log)
        i += 1
    while True:
        if train.holding is not None:
            reached(train, i)
        node = w.nodes[route[i]]
        prev = w.node_index[route[i - 1]] if i > 0 else -1
        nxt_id = route[i + 1] if i + 1 < len(route) else None
        nxt = w.node_index[nxt_id] if nxt_id else -1
        arrive = env.now
        if node.exchange is not None and i > 0:
            direction = 1 if nxt == -1 or prev < nxt else -1
            entry, gap = node.exchange.admit(env.now, direction, train.counted)
            train.at = (node.exchange_resource, prev, nxt, arrive, entry, gap)
            if math.isinf(entry):
                yield env.event()  # closed for good: the train waits past the horizon
            if entry > env.now or others_due_now(env):
                yield env.timeout(entry - env.now)
            log(node.exchange_resource, prev, nxt, arrive, entry, entry, gap)
            arrive = env.now  # the node's own queue starts past the exchange
        start = end = env.now
        busy = 0.0
        if node.slots is not None:
            train.at = (node.resource, prev, nxt, arrive, math.inf, 0.0)
            if others_due_now(env) or not node.slots.take_free():
                yield node.slots.request()
            start = env.now
            if train.counted and node.bound:
                del node.bound[0]
            sampler = node.bulk_handling if cargo else node.handling
            busy = sampler()
            train.at = (node.resource, prev, nxt, arrive, start, busy)
            if busy > 0 or others_due_now(env):
                yield env.timeout(busy)
            node.slots.release()
            end = env.now
        log(node.resource, prev, nxt, arrive, start, end, busy)
        if nxt_id is None:
            deliver(w, train)
            if yard is not None:
                yard.release()
            return
        onward_gauge = w.section(route[i], nxt_id).section.gauge_mm
        if onward_gauge != train.train_type.gauge_mm:
            if cargo == 0:
                del w.live[train.number]
                if yard is not None:
                    yard.release()
                add_to_pool(w, train.flow, route[i], route[i:], train.lots, handle_first=False)
                return
            train.train_type = w.train_types[("bulk", onward_gauge)]
        yard = yield from travel(w, train, route[i], nxt_id, yard, log)
        i += 1


def travel(w: World, train: Train, a: str, b: str, yard, log: VisitLog) -> Proc:
    """Wait for room in b's yard, then for the section's gate, then run to b.

    The train keeps its yard slot at a until it enters the section; returns its slot at b.
    Its visit to the section is noted on the train at each wait (see `World.record_open_visits`).
    """
    env = w.env
    sec = w.section(a, b)
    ia, ib = w.node_index[a], w.node_index[b]
    arrive = env.now  # its wait at the section includes waiting for room in b's yard
    train.at = (sec.resource, ia, ib, arrive, math.inf, 0.0)
    next_yard = yield from acquire_yard(w, b, a)
    direction = 1 if sec.section.from_ == a else -1
    ready = env.now
    entry, gap = sec.gate.admit(ready, direction, train.counted)
    train.at = (sec.resource, ia, ib, arrive, entry, gap)
    if math.isinf(entry):
        yield env.event()  # the line never reopens: the train waits past the horizon
    if entry > ready or others_due_now(env):
        yield env.timeout(entry - ready)
    if yard is not None:
        yard.release()
    kmh = sec.fixed_kmh
    if kmh is None:
        kmh = sec.capacity.km_per_hour.at(entry)
    running = sec.section.length_km / kmh
    if sec.noise is not None:
        running *= sec.noise()
    yield env.timeout(running)
    log(sec.resource, ia, ib, arrive, entry, env.now, gap)
    return next_yard


def deliver(w: World, train: Train) -> None:
    """Lots reach their destination: record each and take the train off the network."""
    now = w.env.now
    fs = train.flow
    n = len(train.lots)
    fs.delivered_lots += n
    w.lots.extend(
        flow=np.full(n, fs.index),
        released_h=train.lots.released_h,
        delivered_h=np.full(n, now),
        teu=np.full(n, fs.teu_per_lot),
        tonnes=np.full(n, fs.tonnes_per_lot),
        formation_wait_h=train.lots.wait_h,
    )
    del w.live[train.number]


def year_end_tally(w: World) -> Proc:
    """At each year end, note every flow's backlog: lots waiting or on trains."""
    for year, _, end in w.calendar.year_bounds():
        yield w.env.timeout(max(0.0, end - w.env.now - 1e-9))
        for fs in w.flows:
            lots = w.waiting_lots(fs, w.env.now, final=False) + w.on_train_lots(fs)
            w.backlog.append((fs.index, year, lots * fs.teu_per_lot, lots * fs.tonnes_per_lot))
