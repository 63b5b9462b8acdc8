"""Sea-rail flows: ships call at the origin port, take a berth, and unload lots into the pool."""

from __future__ import annotations

import numpy as np

from simulator.engine.demand import lot_times
from simulator.engine.forming import Proc, others_due_now
from simulator.engine.lots import Batch
from simulator.engine.processes import add_to_pool
from simulator.engine.rows import visit_log
from simulator.engine.world import FlowState, World


def ship_arrivals(w: World, fs: FlowState) -> Proc:
    """Ships of a sea-rail flow call at the origin port; each unloads its lots into the yard."""
    env = w.env
    per_call = fs.flow.ship_teu_per_call or 0.0
    lots_per_ship = max(1, round(per_call / fs.flow.lot_teu))
    for year, _, _ in w.calendar.year_bounds():
        times = lot_times(w.scenario, fs.flow, w.calendar, w.replication, year, per_call, "ships")
        for t in times:
            hold = max(0.0, t - env.now)
            if hold > 0 or others_due_now(env):
                yield env.timeout(hold)
            env.process(unload_ship(w, fs, lots_per_ship))


def unload_ship(w: World, fs: FlowState, n_lots: int) -> Proc:
    """A ship takes a berth, cranes unload it, and its lots join the train pool at the port."""
    env = w.env
    arrive = env.now
    w.release(fs, np.full(n_lots, arrive))
    fs.in_port_lots += n_lots
    port = w.nodes[fs.flow.origin]
    w.unloading.append(arrive)
    yield port.berths.request()
    start = env.now
    hours = n_lots * fs.flow.lot_teu / port.node.port.crane_teu_per_hour
    yield env.timeout(hours)
    port.berths.release()
    w.unloading.remove(arrive)
    log = visit_log(w.visits, -1, 0, n_lots * fs.teu_per_lot, n_lots * fs.tonnes_per_lot)
    log(
        port.berth_resource,
        w.node_index[fs.flow.origin],
        -1,
        arrive,
        start,
        env.now,
        env.now - start,
    )
    fs.in_port_lots -= n_lots
    route = fs.chooser.plans[0].nodes if fs.chooser is not None else fs.route_at(arrive)
    add_to_pool(
        w,
        fs,
        fs.flow.origin,
        route,
        Batch(np.full(n_lots, arrive), np.zeros(n_lots)),
        handle_first=True,
    )
