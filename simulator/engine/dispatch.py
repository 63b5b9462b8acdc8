"""Dispatch control: when a train formed for a capped node may leave, and how a full node's
turns are shared among flows.

A train that would meet more than a node's `max_queue_trains` ahead of it books its place and
waits at its origin; each flow may have a fixed number of days of its demand booked and not yet
at the capped node, so a full crossing's turns go to flows in proportion to their demand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from simulator.engine.demand import trains_a_day
from simulator.engine.routing import Chooser, RoutePlan, build_plan
from simulator.engine.world import FlowState, Train, World


def dispatch(w: World, chooser: Chooser, holding: Holding, oldest_h: float):
    """Wait until the chooser has a usable route: (plan, booked, hold hours), or None past the
    horizon.

    A train that would queue beyond a dispatch cap books its place at once (booked: True,
    already counted as bound) and must wait `hold` hours at its origin before it leaves. While
    the flow has its share booked at capped nodes, only a route without a cap may take it, if
    it is slower by less than the oldest cargo (ready at `oldest_h`) has waited; else it waits
    for room (see `hold_place`).
    """
    env = w.env
    horizon = w.calendar.horizon_hours
    while True:
        overflow = chooser.has_open and holding.full(env.now)
        waited_h = max(0.0, env.now - oldest_h) if overflow else None
        plan, hold = chooser.pick(env.now, holding.last_h, waited_h)
        if plan is None and overflow:
            holding.freed = env.event()
            yield holding.freed
            continue
        if env.now + hold >= horizon:
            return None
        if plan is None:
            yield env.timeout(hold)
            continue
        if hold <= 0:
            return plan, False, 0.0
        hold = settled_hold(chooser, plan, env.now, hold)
        if env.now + hold >= horizon:
            return None
        chooser.book(plan, env.now + hold)
        return plan, True, hold


def settled_hold(chooser: Chooser, plan: RoutePlan, now: float, hold: float) -> float:
    """The least hold at which the train meets no queue beyond a cap, from a first estimate.

    Leaving later, the train finds more booked trains ahead of it at each capped step; the
    hold grows until it covers them (a few rounds: each adds the trains booked meanwhile).
    """
    for _ in range(64):
        _, again = chooser.price(plan, now, math.inf, now + hold)
        if again <= hold + 1e-6:
            break
        hold = again
    return hold


@dataclass
class Holding:
    """The trains of one flow formed at one place that have booked a turn at a capped node and
    not yet reached it, whether still waiting here or on their way.

    At most `days` of the flow's demand (in trains) may be between formation and the capped
    node at once, the same number of days for every flow: when a crossing is full its turns
    then go to flows in proportion to their demand, however far from it they start. Counting
    only the trains waiting here would favour far flows, whose trains wait on their way.
    """

    trains_a_day: Callable[[float], float]  # the flow's demand in trains a day at an hour
    days: float
    count: int = 0
    freed: object = None  # a SimPy event that fires when one of them reaches the capped node
    last_h: float = 0.0  # when the last held one leaves: the next may not leave before it

    def full(self, now: float) -> bool:
        """True when no more of the flow's trains may book until one reaches its capped node."""
        return self.count >= max(1, round(self.trains_a_day(now) * self.days))

    def leave(self) -> None:
        """A train reaches its capped node: wake the formation waiting for room."""
        self.count -= 1
        freed = self.freed
        if freed is not None and not freed.triggered:
            freed.succeed()


def pipeline_days(w: World) -> float:
    """Days of demand each flow may have booked at capped nodes and not yet there: a day more
    than the longest route's running and handling time, so no flow is held by distance."""
    longest = 0.0
    for fs in w.flows:
        plans = fs.chooser.plans if fs.chooser is not None else []
        routes = {route for _, _, route in fs.epochs} - {p.nodes for p in plans}
        container = fs.flow.cargo == "container"
        plans = plans + [build_plan(w, r, True, container=container) for r in routes]
        longest = max([longest, *(p.total_h for p in plans)])
    return 1.0 + longest / 24.0


def new_holding(w: World, fs: FlowState, size: float | None) -> Holding:
    """The count of a flow's trains formed at one place and booked at capped nodes."""
    rate = trains_a_day(w.scenario, fs.flow, w.calendar, size)
    return Holding(rate, w.holding_days)


def reached(train: Train, position: int) -> None:
    """Free the train's place in its flow's holding once it reaches its capped node."""
    if position >= train.release_at:
        train.holding.leave()
        train.holding = None
