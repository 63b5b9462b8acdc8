"""The measurements of the speed benchmark, each run in a fresh interpreter by engine_speed.py.

`engine` times one replication; `reference` times the plain SimPy loop over the engine's visits;
`memory` traces allocations to split memory into record buffers and everything else. Each part
returns a dict of plain numbers (printed as JSON by the caller).
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np
import simpy
from corridor_synthetic import corridor_scenario
from plain_simpy import build_plans, run_plain, source

from simulator.engine.simulation import build_world, run_until, simulate, start_processes
from simulator.engine.world import World
from simulator.records.results import RunResult
from simulator.scenario.model import Scenario

MB = 1024 * 1024
VISIT_KEYS = ("train", "resource", "arrive_h", "start_h", "end_h", "busy_h")


def maxrss_bytes() -> int:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss_bytes() -> int:
    """Resident memory now (from /proc on Linux; elsewhere the peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return maxrss_bytes()
    return pages * resource.getpagesize()


def record_bytes(run: RunResult) -> int:
    """Bytes of the visit and lot records a run keeps."""
    return sum(a.nbytes for a in (*run.visits.values(), *run.lots.values()))


def servers(scenario: Scenario, run: RunResult) -> list[int]:
    """Servers of each engine resource at the start, for the reference's simpy.Resource."""
    nodes = {n.id: n for n in scenario.nodes}
    out = []
    for info in run.resources:
        node = nodes.get(info.name.split("/")[0])
        if info.kind == "node":
            out.append(node.handling.slots if node and node.handling else 1000)
        elif info.kind == "berth":
            out.append(node.port.berths if node and node.port else 1)
        else:
            out.append(2)  # an exchange admits both directions; sections are timeouts
    return out


def engine(years: int, scale: float, seed: int, lot: float, save: Path | None) -> dict:
    """Time one replication; optionally save the visits the reference replays."""
    scenario = corridor_scenario(years, scale, seed, lot)
    base = rss_bytes()
    wall, cpu = time.perf_counter(), time.process_time()
    run = simulate(scenario, 0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = max(0, maxrss_bytes() - base)
    if save is not None:
        np.savez(
            save,
            kinds=np.array([r.kind for r in run.resources]),
            servers=np.array(servers(scenario, run)),
            horizon_h=run.horizon_hours,
            **{k: run.visits[k] for k in VISIT_KEYS},
        )
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "trains": run.trains,
        "events": run.events,
        "peak_mb": peak / MB,
        "records_mb": record_bytes(run) / MB,
        "lots": len(run.lots["flow"]),
        "visits": len(run.visits["train"]),
        "shape": (
            f"{len(scenario.nodes)} nodes, {len(scenario.sections)} sections, "
            f"{len(scenario.flows)} flows, {len(scenario.changes)} dated changes, "
            f"{run.trains / scenario.horizon_years:,.0f} trains a year"
        ),
    }


def reference(data: Path) -> dict:
    """Time the plain SimPy loop over saved visits (plans are built before the clock starts)."""
    saved = np.load(data)
    env = simpy.Environment()
    starts, plans = build_plans(
        env, {k: saved[k] for k in VISIT_KEYS}, saved["kinds"].tolist(), saved["servers"].tolist()
    )
    base = rss_bytes()
    wall, cpu = time.perf_counter(), time.process_time()
    env.process(source(env, starts, plans))
    events = run_plain(env, float(saved["horizon_h"]))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "trains": len(plans),
        "events": events,
        "peak_mb": max(0, maxrss_bytes() - base) / MB,
        "visits": sum(len(p) for p in plans),
    }


def buffer_bytes(world: World) -> int:
    """Bytes of the arrays that hold the visit and lot records so far."""
    cols = (world.visits, world.lots)
    return sum(a.nbytes for c in cols for a in c.arrays.values())


def memory(years: int, scale: float, seed: int) -> dict:
    """Traced memory at half the horizon and at its end: record buffers against the rest.

    Runs the engine's own steps (build, start, run) so that the record buffers can be read;
    tracemalloc counts live Python and numpy memory exactly (freed memory the allocator keeps
    would blur resident memory), at the price of a slower run.
    """
    world, _ = build_world(corridor_scenario(years, scale, seed), 0)
    start_processes(world)
    end_h = world.calendar.horizon_hours
    points: dict[str, float] = {}

    def sample(hour: float) -> None:
        if hour >= end_h:
            label = "end"
        elif hour >= end_h / 2 and "half_years" not in points:
            label = "half"
        else:
            return
        world.visits.flush()  # pending rows count as records (the order of rows is kept)
        world.lots.flush()
        records = buffer_bytes(world)
        points[f"{label}_records_mb"] = records / MB
        points[f"{label}_other_mb"] = (tracemalloc.get_traced_memory()[0] - records) / MB
        points[f"{label}_years"] = hour / (365.25 * 24.0)

    tracemalloc.start()
    try:
        run_until(world.env, end_h, sample)
        world.visits.freeze()
        world.lots.freeze()
        points["peak_mb"] = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    return points
