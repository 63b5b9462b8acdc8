"""The static upper bound of yearly tonnes across the borders, from capacities alone (max-flow).

The network without its border nodes falls apart into sides (China, Kazakhstan and beyond).
For each pair of sides that flows connect, a directed graph carries tonnes a day: a section's
trains a day (in each direction on two or more tracks; on a single track twice that, shared by
both directions) and a node's exchange limit (in each direction), each times the tonnes a train
carries on that gauge (the mean over the crossing flows, weighted by their yearly tonnes), and
a node's handling (slots × 24 h, shared, times the tonnes a slot passes an hour: a train's load
over its mean handling hours, bulk or container). Its maximum flow is the bound, its
minimum cut the limiting resources. Both directions together are bounded by the lesser of the
two bounds added and a joint max flow in which shared tracks and nodes count once (pairs of
sides are added). A crossing's own bound is the same with the other crossings between the same
two sides shut, for the directions that can pass between them. Queues, formation and disruptions are left
out, so the simulation can only come below it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from simulator.scenario.border_sides import network_sides, passes_between, side_names, sides_joined
from simulator.scenario.distributions import Distribution
from simulator.scenario.model import Flow, Node, Scenario

DAYS_PER_YEAR = 365.0
SOURCE, SINK = "<source>", "<sink>"
BOTH = "both"


@dataclass(frozen=True)
class Bound:
    """The bound of one direction through one crossing (or all): tonnes a year and the cut."""

    direction: str  # 'A side → B side', or 'both' for the directions together
    crossing: str  # a border node id, or 'all'
    tonnes_per_year: float
    cut: tuple[str, ...]  # the limiting resources, e.g. 'dostyk/exchange', 'dostyk-beskol'


def mean_hours(dist: Distribution) -> float:
    """The mean of an hours distribution."""
    kind = getattr(dist, "dist", "fixed")
    if kind == "fixed":
        return float(getattr(dist, "value", dist))
    if kind == "uniform":
        return (dist.low + dist.high) / 2
    if kind == "triangular":
        return (dist.low + dist.mode + dist.high) / 3
    if kind == "empirical":
        weights = dist.weights or [1.0] * len(dist.values)
        return sum(v * w for v, w in zip(dist.values, weights, strict=True)) / sum(weights)
    return float(dist.mean)


def in_force(scenario: Scenario, on: dt.date) -> Scenario:
    """The scenario with every dated change up to `on` applied (nodes, sections)."""
    nodes = {n.id: n for n in scenario.nodes}
    sections = {s.key: s for s in scenario.sections}
    for change in sorted(scenario.changes, key=lambda c: c.date):
        if change.date > on:
            continue
        if change.section is not None and change.section in sections:
            sec = sections[change.section]
            sections[sec.key] = sec.model_copy(update=dict(change.set))
        elif change.node is not None and change.node in nodes:
            node = nodes[change.node]
            update = {k: v for k, v in change.set.items() if k != "slots"}
            if "slots" in change.set and node.handling is not None:
                handling = node.handling.model_copy(update={"slots": int(change.set["slots"])})
                update["handling"] = handling
            nodes[node.id] = node.model_copy(update=update)
    return scenario.model_copy(
        update={"nodes": tuple(nodes.values()), "sections": tuple(sections.values())}
    )


def capacity_bounds(scenario: Scenario, year: int | None = None) -> list[Bound]:
    """Per crossing (then 'all'): the bound of each direction between sides, then of both."""
    last = scenario.start_date.year + scenario.horizon_years - 1
    on = dt.date(year if year is not None else last, 12, 31)
    now = in_force(scenario, on)
    open_nodes = {n.id for n in now.nodes if n.opens is None or n.opens <= on}
    borders = [n.id for n in now.nodes if n.kind == "border" and n.id in open_nodes]
    side = network_sides(now, open_nodes, set(borders))
    groups: dict[tuple[int, int], list[Flow]] = {}
    for flow in now.flows:
        a, b = side.get(flow.origin), side.get(flow.destination)
        if a is not None and b is not None and a != b:
            groups.setdefault((a, b), []).append(flow)
    names = side_names(now, side)
    bounds = []
    between = {b: sides_joined(now, b, side, on) for b in borders}
    for crossing in [*borders, "all"]:
        # a crossing alone: the others between the same two sides shut, the rest open; only
        # the directions that can pass between those sides
        shut = {b for b in borders if b != crossing and between[b] == between.get(crossing)}
        here = open_nodes - shut
        mine = {
            pair: _max_flow(_graph(now, here, [flows], on))
            for pair, flows in groups.items()
            if crossing == "all" or passes_between(pair, between[crossing], between.values())
        }
        for (a, b), (value, cut) in mine.items():
            bounds.append(Bound(f"{names[a]} → {names[b]}", crossing, value * DAYS_PER_YEAR, cut))
        if mine:
            value, cut = _both(now, here, groups, mine, on)
            bounds.append(Bound(BOTH, crossing, value * DAYS_PER_YEAR, cut))
    return bounds


def _both(
    scenario: Scenario,
    open_nodes: set[str],
    groups: dict[tuple[int, int], list[Flow]],
    single: dict[tuple[int, int], tuple[float, tuple[str, ...]]],
    on: dt.date,
) -> tuple[float, tuple[str, ...]]:
    """Both directions at once, per pair of sides, added: the lesser of the two directions'
    bounds added (each direction's own limits) and the joint max flow in which both directions
    pass every shared single track and node once (their shared limits)."""
    total, cut = 0.0, {}
    for a, b in dict.fromkeys(tuple(sorted(pair)) for pair in single):
        pairs = [p for p in ((a, b), (b, a)) if p in single]
        added = sum(single[p][0] for p in pairs)
        chosen = tuple(name for p in pairs for name in single[p][1])
        if len(pairs) == 2:
            joint, joint_cut = _max_flow(
                _graph(scenario, open_nodes, [groups[p] for p in pairs], on)
            )
            if joint < added:
                added, chosen = joint, joint_cut
        total += added
        cut.update(dict.fromkeys(chosen))
    return total, tuple(cut)


def tonnes_per_train(scenario: Scenario, flows: list[Flow], gauge: int) -> float:
    """Mean tonnes a train carries on a gauge, over the flows weighted by their yearly tonnes."""
    return _weighted_mean(scenario, flows, gauge, lambda flow, size: size)


def handling_tonnes_per_hour(scenario: Scenario, flows: list[Flow], node: Node) -> float:
    """Tonnes one of a node's slots passes an hour: a train's load over its mean handling
    hours (bulk trains take bulk_handling_hours), over the flows weighted by yearly tonnes."""
    if node.handling is None:
        return math.inf
    hours = {
        "container": mean_hours(node.handling.handling_hours),
        "bulk": mean_hours(node.handling.bulk_handling_hours or node.handling.handling_hours),
    }
    gauge = _arriving_gauge(scenario, flows, node)
    return _weighted_mean(scenario, flows, gauge, lambda flow, size: size / hours[flow.cargo])


def _weighted_mean(
    scenario: Scenario, flows: list[Flow], gauge: int, value: Callable[[Flow, float], float]
) -> float:
    """The mean of value(flow, tonnes a train of it carries on the gauge), by yearly tonnes."""
    total = weight = 0.0
    for flow in flows:
        tt = next(
            (t for t in scenario.train_types if t.cargo == flow.cargo and t.gauge_mm == gauge),
            None,
        )
        if tt is None:
            continue
        size = tt.teu_per_train * flow.tonnes_per_teu if tt.teu_per_train else tt.tonnes_per_train
        w = flow.units_per_year * flow.tonnes_per_unit or 1.0
        total, weight = total + w * value(flow, float(size or 0.0)), weight + w
    return total / weight if weight else 0.0


def _arriving_gauge(scenario: Scenario, flows: list[Flow], node: Node) -> int:
    """The gauge of the trains these flows bring to a node (at a gauge change, their origin's)."""
    return scenario.node(flows[0].origin).gauges[0] if node.changes_gauge else node.gauges[0]


def _heading_gauge(scenario: Scenario, flows: list[Flow], node: Node) -> int:
    """The gauge these flows' trains head to across a node (their own, where none changes)."""
    arriving = _arriving_gauge(scenario, flows, node)
    return next((g for g in node.gauges if g != arriving), arriving)


def _graph(
    scenario: Scenario, open_nodes: set[str], directions: list[list[Flow]], on: dt.date
) -> nx.DiGraph:
    """Tonnes-a-day network: node n as n>in -> n>out, then the sections, a source and a sink.

    With one direction, a section on two or more tracks (or a paired single track) carries its
    trains a day each way and a single track twice that, shared by both ways. With two (opposite) directions, the second
    is reversed: it runs from its destinations to its origins, so both go from the source's
    side to the sink's, and every section and node is one shared arc of what both directions
    can pass together, at the heavier of their train loads (and the more tonnes per hour of a
    handling slot): an upper bound of the two directions' flows added.
    """
    graph = nx.DiGraph()
    joint = len(directions) > 1
    for node in scenario.nodes:
        if node.id not in open_nodes:
            continue
        limits = []
        if node.exchange_trains_per_day is not None:  # one exchange gate in each direction
            trains = sum(
                node.exchange_towards(_heading_gauge(scenario, flows, node)) for flows in directions
            )
            tpt = max(
                tonnes_per_train(scenario, flows, _arriving_gauge(scenario, flows, node))
                for flows in directions
            )
            limits.append((trains * tpt, f"{node.id}/exchange"))
        if node.handling is not None:  # the slots serve both directions
            rate = max(handling_tonnes_per_hour(scenario, flows, node) for flows in directions)
            limits.append((node.handling.slots * 24.0 * rate, node.id))
        attrs = {}
        if limits:
            cap, name = min(limits)
            attrs = {"capacity": cap, "name": name}
        graph.add_edge(f"{node.id}>in", f"{node.id}>out", **attrs)
    for sec in scenario.sections:
        if not ({sec.from_, sec.to} <= open_nodes and (sec.opens is None or sec.opens <= on)):
            continue
        tpt = max(tonnes_per_train(scenario, flows, sec.gauge_mm) for flows in directions)
        if joint or (sec.tracks < 2 and not sec.paired):  # one arc of both directions' trains
            _shared_arc(graph, sec.from_, sec.to, 2 * sec.trains_per_day * tpt, sec.key)
        else:  # a track in each direction
            cap = sec.trains_per_day * tpt
            graph.add_edge(f"{sec.from_}>out", f"{sec.to}>in", capacity=cap, name=sec.key)
            graph.add_edge(f"{sec.to}>out", f"{sec.from_}>in", capacity=cap, name=sec.key)
    for i, flows in enumerate(directions):
        for flow in flows:
            start, end = (
                (flow.origin, flow.destination) if i == 0 else (flow.destination, flow.origin)
            )
            graph.add_edge(SOURCE, f"{start}>in")
            graph.add_edge(f"{end}>out", SINK)
    return graph


def _shared_arc(graph: nx.DiGraph, u: str, v: str, capacity: float, name: str) -> None:
    """An undirected link: u -> v and v -> u both pass one arc of this capacity."""
    enter, leave = f"{name}>shared-in", f"{name}>shared-out"
    graph.add_edge(f"{u}>out", enter)
    graph.add_edge(f"{v}>out", enter)
    graph.add_edge(enter, leave, capacity=capacity, name=name)
    graph.add_edge(leave, f"{u}>in")
    graph.add_edge(leave, f"{v}>in")


def _max_flow(graph: nx.DiGraph) -> tuple[float, tuple[str, ...]]:
    """Max flow (tonnes a day) and the names of the edges of a minimum cut."""
    if SOURCE not in graph or SINK not in graph:
        return 0.0, ()
    try:
        value, (reach, _) = nx.minimum_cut(graph, SOURCE, SINK)
    except nx.NetworkXUnbounded:
        return math.inf, ()
    cut = {
        graph.edges[u, v]["name"]
        for u, v in graph.edges
        if u in reach and v not in reach and "name" in graph.edges[u, v]
    }
    return float(value), tuple(sorted(cut))
