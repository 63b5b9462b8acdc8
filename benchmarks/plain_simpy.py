"""The plain SimPy reference: one process per train over the engine's own resource visits.

Every node, exchange or berth visit is a `simpy.Resource` request, a hold and a release; every
section visit is one timeout. No lots, gates or records: what a textbook SimPy model of the same
trains would cost, to compare the engine against.
"""

from __future__ import annotations

from collections.abc import Generator
from heapq import heappop

import numpy as np
import simpy

from simulator.engine.clock import raise_failure
from simulator.engine.stepping import CHUNK_HOURS, collector_paused

Plan = list[tuple[simpy.Resource | None, float]]


def build_plans(
    env: simpy.Environment, visits: dict[str, np.ndarray], kinds: list[str], servers: list[int]
) -> tuple[list[float], list[Plan]]:
    """Start hour and (resource or None, hold hours) visits of every train, in the engine's order.

    `kinds[r]` is the engine's resource kind and `servers[r]` its number of servers at the start.
    """
    resources = [
        None if kind == "section" else simpy.Resource(env, capacity=max(1, n))
        for kind, n in zip(kinds, servers, strict=True)
    ]
    keep = visits["train"] >= 0  # ships unloading at berths are not trains
    order = np.argsort(visits["train"][keep], kind="stable")
    train = visits["train"][keep][order]
    res = visits["resource"][keep][order].tolist()
    arrive = visits["arrive_h"][keep][order].tolist()
    hold = np.where(
        [kinds[r] == "section" for r in res],
        visits["end_h"][keep][order] - visits["start_h"][keep][order],
        visits["busy_h"][keep][order],
    ).tolist()
    cuts = np.flatnonzero(np.diff(train)) + 1
    bounds = [0, *cuts.tolist(), len(res)]
    starts, plans = [], []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        starts.append(arrive[lo])
        plans.append([(resources[res[k]], hold[k]) for k in range(lo, hi)])
    first = np.argsort(starts, kind="stable").tolist()
    return [starts[i] for i in first], [plans[i] for i in first]


def train(env: simpy.Environment, plan: Plan) -> Generator[simpy.Event, object, None]:
    """One train: request, hold and release at nodes; one timeout per section."""
    for resource, hold in plan:
        if resource is None:
            yield env.timeout(hold)
            continue
        with resource.request() as req:
            yield req
            yield env.timeout(hold)


def source(
    env: simpy.Environment, starts: list[float], plans: list[Plan]
) -> Generator[simpy.Event, object, None]:
    """Start each train's process at its first arrival hour."""
    for start, plan in zip(starts, plans, strict=True):
        yield env.timeout(max(0.0, start - env.now))
        env.process(train(env, plan))


def run_plain(env: simpy.Environment, horizon: float) -> int:
    """SimPy's own step, inline, to the horizon a month at a time (as the engine's loop steps
    its events, with the garbage collector paused alike); returns events processed."""
    events = 0
    t = 0.0
    queue = env._queue
    with collector_paused():
        while t < horizon:
            t = min(horizon, t + CHUNK_HOURS)
            while queue and queue[0][0] < t:
                env._now, _, _, event = heappop(queue)
                events += 1
                callbacks, event.callbacks = event.callbacks, None
                for callback in callbacks:
                    callback(event)
                if not event._ok and not hasattr(event, "_defused"):
                    raise_failure(event)
    return events
