"""Train formation (at origins, from pools, held trains), train journeys, pools of lots.

A train's lots are arrays that move with it. Formation and journeys are light processes (see
stepping.py): they yield the hour they wake at, or the SimPy event they wait for. Formation
times come from numpy on the lot arrays (one wake-up per train), sections cost one wake-up per
train (headway gates), and node handling one (booked on arrival).
"""

from __future__ import annotations

import math

from simulator.engine.delivery import deliver
from simulator.engine.demand import lot_times
from simulator.engine.dispatch import Holding, dispatch, new_holding, reached
from simulator.engine.forming import Proc, acquire_yard, capacity_in_lots, train_size
from simulator.engine.legs import route_legs
from simulator.engine.lots import Batch, DemandQueue
from simulator.engine.routing import Chooser, RoutePlan, onward_chooser
from simulator.engine.stepping import Alarm, FirstOf, Light, Signal, run_now, start
from simulator.engine.world import FlowState, Pool, Train, World
from simulator.scenario.model import TrainType


def origin_formation(
    w: World,
    fs: FlowState,
    start_h: float,
    end_h: float,
    route: tuple[str, ...],
    chooser: Chooser | None = None,
) -> Light:
    """Form trains of a flow at its origin from lots released in [start_h, end_h).

    With a chooser, each train takes the route it picks, and waits here (its lots still in the
    origin queue) while dispatch control holds it. A light process (see stepping.py).
    """
    env = w.env
    hours, urgent = env.hours, env.urgent  # others_due_now, inline: this runs for every train
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
    yards: dict[str, object] = {}  # the origin yard of each route, once looked up (w.yard)
    pending = None  # the journey of the train just formed, started with the next wake-up
    while True:
        oldest = queue.time_of(0)
        if oldest is None:
            break
        filled = oldest if cap == 1 else queue.time_of(cap - 1)
        depart = oldest + ttype.max_wait_hours  # min(filled, that), without the call
        if filled is not None and filled <= depart:
            depart = filled
        if depart >= horizon:
            break
        now = env._now
        hold = depart - now
        hold = hold if hold > 0.0 else 0.0  # max(0.0, depart - now), without the call
        if pending is not None:  # as if started when formed: it runs before this wakes again
            yield (now + hold, pending)
            pending = None
        elif hold > 0 or urgent or (hours and hours[0] <= now):
            yield now + hold  # as env.timeout(hold) would wake it
        now = env._now
        plan, booked = None, False
        if chooser is not None:
            picked = yield from dispatch(w, chooser, holding, oldest)
            if picked is None:
                return  # held past the horizon: the lots stay in the origin queue
            plan, booked, wait = picked
            route = plan.nodes
            ttype = w.train_type(fs.flow.cargo, route[0], route[1])
            now = env._now
            if wait > 0:
                batch = queue.take(queue.released_by(now, cap), now)
                yield from hold_train(
                    w, fs, ttype, batch, route, plan, wait, True, holding, chooser
                )
                continue
        first = route[0]
        yard = yards[first] if first in yards else yards.setdefault(first, w.yard(first, None))
        if yard is not None and (urgent or (hours and hours[0] <= now) or not yard.take_free()):
            yield yard.request()
            now = env._now
        train = w.new_train(fs, ttype, queue.take(queue.released_by(now, cap), now), route, 0)
        if plan is None:
            if urgent:
                start(env, journey(w, train, yard, True))  # others start first: queue it
            else:
                pending = journey(w, train, yard, True)
            continue
        chooser.send(train, plan, now, booked)
        if chooser is fs.chooser:
            w.count_route(fs, plan.group, train)
        start(env, journey(w, train, yard, True))
        if plan.capped:
            yield from hold_place(w, train, plan, holding, chooser)
    if pending is not None:
        run_now(env, pending)


def pool_formation(w: World, pool: Pool) -> Light:
    """Form trains from a pool whose lots arrive with events (transshipment, ships).

    A light process (see stepping.py) waiting on events: lots added, or its oldest lot's wait.
    """
    env = w.env
    cap = capacity_in_lots(pool.flow, train_size(pool.train_type))
    buffer = pool.buffer
    holding = new_holding(w, pool.flow, train_size(pool.train_type))
    while True:
        if len(buffer) == 0:
            pool.added = Signal(env)
            yield pool.added
            continue
        deadline = buffer.oldest_ready() + pool.train_type.max_wait_hours
        if len(buffer) < cap and env.now < deadline:
            pool.added = Signal(env)
            yield FirstOf(pool.added, Alarm(env, deadline - env.now))
            continue
        route, ttype, plan, booked = pool.route, pool.train_type, None, False
        if pool.chooser is not None:
            picked = yield from dispatch(w, pool.chooser, holding, buffer.oldest_ready())
            if picked is None:
                return  # held past the horizon: the lots stay in the pool
            plan, booked, wait = picked
            route = plan.nodes
            ttype = w.train_type(pool.flow.flow.cargo, route[0], route[1])
            if wait > 0:
                batch = buffer.take(min(cap, len(buffer)), env.now)
                handle_first, chooser = pool.handle_first, pool.chooser
                yield from hold_train(
                    w, pool.flow, ttype, batch, route, plan, wait, handle_first, holding, chooser
                )
                continue
        # a formed train waits on the node's formation tracks (its yard for trains formed here)
        yard = yield from acquire_yard(w, pool.node, None)
        batch = buffer.take(min(cap, len(buffer)), env.now)
        train = w.new_train(pool.flow, ttype, batch, route, 0)
        if plan is not None:
            pool.chooser.send(train, plan, env.now, booked)
            if pool.chooser is pool.flow.chooser:  # the flow's own choice, at its port
                w.count_route(pool.flow, plan.group, train)
        start_journey(w, train, yard, pool.handle_first)
        if plan is not None and plan.capped:
            yield from hold_place(w, train, plan, holding, pool.chooser)


def hold_place(w: World, train: Train, plan: RoutePlan, holding: Holding, chooser: Chooser) -> Proc:
    """Count a train sent on a capped route until it reaches its capped node; formation waits
    while the flow has its share of trains booked there (unless a route without a cap may take
    its next trains: then `dispatch` sends them there)."""
    train.holding, train.release_at = holding, plan.release_at
    holding.count += 1
    if holding.full(w.env.now) and not chooser.has_open:
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
    chooser: Chooser,
) -> Proc:
    """Form a train that must wait `wait_h` for its turn; it waits at its origin (its lots on it,
    the wait added to their formation wait) while formation goes on, up to the holding limit."""
    batch.wait_h += wait_h
    train = w.new_train(fs, ttype, batch, route, 0)
    if chooser is fs.chooser:
        w.count_route(fs, plan.group, train)
    holding.last_h = w.env.now + wait_h
    start(w.env, held_departure(w, train, wait_h, handle_first))
    yield from hold_place(w, train, plan, holding, chooser)


def held_departure(w: World, train: Train, wait_h: float, handle_first: bool) -> Light:
    """A held train leaves when its turn comes (a light process)."""
    yield w.env._now + wait_h  # as env.timeout(wait_h) would wake it
    yard = yield from acquire_yard(w, train.route[0], None)
    train.counted = True  # booked when it was held
    continue_journey(w, train, yard, handle_first)


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
        start(w.env, pool_formation(w, pool))
    pool.buffer.add(batch, w.env.now)
    if pool.added is not None and not pool.added.triggered:
        pool.added.succeed()


def journey(w: World, train: Train, yard, handle_first: bool) -> Light:
    """Move a train along its route: node handling, border exchange, sections, gauge change.

    A light process (see stepping.py): it yields the hour it wakes at, or the event it waits
    for. `yard` is the yard slot the train holds at its current node (None where yards are
    unlimited); it keeps it until it enters the next section, so trains queue upstream. Its
    visit in progress is noted on the train at each wait (see `World.record_open_visits`).
    """
    env = w.env
    hours, urgent = env.hours, env.urgent  # others_due_now, inline: runs for every visit
    legs = route_legs(w, train.route)
    cargo = 0 if train.flow.flow.cargo == "container" else 1
    # its visits' rows, appended here rather than through visit_log: one call less per visit.
    # A row is three packed parts (see rows.py): the leg's, the hours, and the train's own
    visits = w.visits
    rows, hours_of, block = visits.rows, visits.packs[1], visits.block
    add = rows.append
    own = visits.packs[2](train.number, cargo, train.teu, train.tonnes, True)
    inf = math.inf
    i = train.position
    at_node = handle_first
    while True:
        if train.holding is not None:
            reached(train, i)
        leg = legs[i]
        if at_node:
            node = leg.node
            prev, nxt = leg.prev, leg.nxt
            arrive = env._now
            gate = leg.exchange
            if gate is not None:
                ex = node.exchange_resource
                entry, gap = gate.admit(arrive, leg.exchange_direction, train.counted)
                train.at = (ex, prev, nxt, arrive, entry, gap, False)
                if entry == inf:
                    yield env.event()  # closed for good: the train waits past the horizon
                now = env._now
                if entry > now or urgent or (hours and hours[0] <= now):
                    yield now + (entry - now)
                add(leg.exchange_where)
                add(hours_of(arrive, entry, entry, gap))
                add(own)
                if len(rows) >= block:
                    visits.flush()
                arrive = env._now  # the node's own queue starts past the exchange
            start = end = env._now
            busy, res = 0.0, node.resource
            slots = node.slots
            if slots is not None:  # FIFO: its start is known now, and no request event
                start = slots.start_hour(arrive)
                busy = node.bulk_handling() if cargo else node.handling()
                end = start + busy
                train.at = (res, prev, nxt, arrive, start, busy, True)
                if start > arrive:
                    slots.book(start, end, train.counted)
                    yield end if end < inf else env.event()  # inf: closed for good
                elif urgent or (hours and hours[0] <= arrive):
                    # a server at once, but it goes on after the events due now, as a granted
                    # request would; only then is it struck off the trains bound here
                    slots.book(start, end, False)
                    yield arrive
                    slots.strike(train.counted)
                    if busy > 0 or urgent or (hours and hours[0] <= arrive):
                        yield end
                else:
                    slots.book(start, end, train.counted)
                    if busy > 0:
                        yield end
                slots.release()
                end = env._now
            add(leg.node_where)
            add(hours_of(arrive, start, end, busy))
            add(own)
            if len(rows) >= block:
                visits.flush()
            if leg.next_name is None:
                deliver(w, train)
                if yard is not None:
                    yard.release()
                return
            if leg.gauge_mm != train.train_type.gauge_mm:
                if cargo == 0:
                    del w.live[train.number]
                    if yard is not None:
                        yard.release()
                    add_to_pool(
                        w, train.flow, leg.name, train.route[i:], train.lots, handle_first=False
                    )
                    return
                train.train_type = w.train_types[("bulk", leg.gauge_mm)]
        at_node = True
        # the section on to the next node: room in its yard, the gate, then the run
        sec = leg.section
        ia, ib = leg.here, leg.nxt
        arrive = env._now  # its wait at the section includes waiting for room in b's yard
        next_yard = None
        if leg.next_has_yard:
            train.at = (sec.resource, ia, ib, arrive, inf, 0.0, False)
            next_yard = w.yard(leg.next_name, leg.name)
            if urgent or (hours and hours[0] <= arrive) or not next_yard.take_free():
                yield next_yard.request()
        ready = env._now
        gate = sec.gate
        if gate.takes_turns:  # one track: sides take turns
            entry, gap = gate.arrive(ready, leg.direction, train.counted)
            if entry is None:  # its turn is decided when the track frees: wait parked
                train.at = (sec.resource, ia, ib, arrive, inf, 0.0, False)
                ticket = gate.park(leg.direction)
                yield ticket
                entry, gap = env._now, ticket.value
            elif urgent or (hours and hours[0] <= ready):
                yield ready
        else:
            entry, gap = gate.admit(ready, leg.direction, train.counted)
            train.at = (sec.resource, ia, ib, arrive, entry, gap, False)
            if entry == inf:
                yield env.event()  # the line never reopens: the train waits past the horizon
            if entry > ready or urgent or (hours and hours[0] <= ready):
                yield ready + (entry - ready)
        if yard is not None:
            yard.release()
        running = leg.running_h
        if running is None:
            running = sec.section.length_km / sec.speed_at(entry)
        if sec.noise is not None:
            running *= sec.noise()
        yield env._now + running
        add(leg.section_where)
        add(hours_of(arrive, entry, env._now, gap))
        add(own)
        if len(rows) >= block:
            visits.flush()
        yard = next_yard
        i += 1


def start_journey(w: World, train: Train, yard, handle_first: bool) -> None:
    """Start a train's journey at this instant (as a new process would start)."""
    start(w.env, journey(w, train, yard, handle_first))


def continue_journey(w: World, train: Train, yard, handle_first: bool) -> None:
    """Go on with a train's journey at once, from inside the process that formed or held it."""
    run_now(w.env, journey(w, train, yard, handle_first))
