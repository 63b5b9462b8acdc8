"""The static upper bound of yearly tonnes across the borders, from capacities alone (max-flow).

The network without its border nodes falls apart into sides (China, Kazakhstan and beyond).
For each pair of sides that flows connect, a directed graph carries tonnes a day: a section's
trains a day in each direction, a node's exchange limit and handling rate (slots × 24 / mean
handling hours), each times the tonnes a train carries on that gauge (the mean over the
crossing flows, weighted by their yearly tonnes). Its maximum flow is the bound, its minimum
cut the limiting resources. A crossing's own bound is the same with the other crossings shut.
Queues, formation and disruptions are left out, so the simulation can only come below it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import networkx as nx

from simulator.scenario.distributions import Distribution
from simulator.scenario.model import Flow, Scenario

DAYS_PER_YEAR = 365.0
SOURCE, SINK = "<source>", "<sink>"


@dataclass(frozen=True)
class Bound:
    """The bound of one direction through one crossing (or all): tonnes a year and the cut."""

    direction: str
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
    """Per direction between sides: the bound through each crossing and through all of them."""
    last = scenario.start_date.year + scenario.horizon_years - 1
    on = dt.date(year if year is not None else last, 12, 31)
    now = in_force(scenario, on)
    open_nodes = {n.id for n in now.nodes if n.opens is None or n.opens <= on}
    borders = [n.id for n in now.nodes if n.kind == "border" and n.id in open_nodes]
    side = _sides(now, open_nodes, set(borders))
    groups: dict[tuple[int, int], list[Flow]] = {}
    for flow in now.flows:
        a, b = side.get(flow.origin), side.get(flow.destination)
        if a is not None and b is not None and a != b:
            groups.setdefault((a, b), []).append(flow)
    bounds = []
    for (a, b), flows in groups.items():
        direction = f"{_side_name(now, side, a)} → {_side_name(now, side, b)}"
        for crossing in [*borders, "all"]:
            shut = set(borders) - {crossing} if crossing != "all" else set()
            graph = _graph(now, open_nodes - shut, flows, on)
            value, cut = _max_flow(graph)
            bounds.append(Bound(direction, crossing, value * DAYS_PER_YEAR, cut))
    return bounds


def _sides(scenario: Scenario, open_nodes: set[str], borders: set[str]) -> dict[str, int]:
    graph = nx.Graph()
    graph.add_nodes_from(open_nodes - borders)
    for s in scenario.sections:
        if {s.from_, s.to} <= open_nodes - borders:
            graph.add_edge(s.from_, s.to)
    return {n: i for i, part in enumerate(nx.connected_components(graph)) for n in part}


def _side_name(scenario: Scenario, side: dict[str, int], index: int) -> str:
    gauges = sorted({scenario.node(n).gauges[0] for n, i in side.items() if i == index})
    return "/".join(f"{g} mm" for g in gauges) + " side"


def tonnes_per_train(scenario: Scenario, flows: list[Flow], gauge: int) -> float:
    """Mean tonnes a train carries on a gauge, over the flows weighted by their yearly tonnes."""
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
        total, weight = total + w * float(size or 0.0), weight + w
    return total / weight if weight else 0.0


def _graph(scenario: Scenario, open_nodes: set[str], flows: list[Flow], on: dt.date) -> nx.DiGraph:
    """Tonnes-a-day network: node n as n>in -> n>out, sections both ways, source and sink."""
    graph = nx.DiGraph()
    origin_gauge = scenario.node(flows[0].origin).gauges[0]
    for node in scenario.nodes:
        if node.id not in open_nodes:
            continue
        tpt = tonnes_per_train(
            scenario, flows, origin_gauge if node.changes_gauge else node.gauges[0]
        )
        limits = []
        if node.exchange_trains_per_day is not None:
            limits.append((node.exchange_trains_per_day * tpt, f"{node.id}/exchange"))
        if node.handling is not None:
            hours = min(
                mean_hours(node.handling.handling_hours),
                mean_hours(node.handling.bulk_handling_hours or node.handling.handling_hours),
            )
            limits.append((node.handling.slots * 24.0 / hours * tpt, node.id))
        attrs = {}
        if limits:
            cap, name = min(limits)
            attrs = {"capacity": cap, "name": name}
        graph.add_edge(f"{node.id}>in", f"{node.id}>out", **attrs)
    for sec in scenario.sections:
        if {sec.from_, sec.to} <= open_nodes and (sec.opens is None or sec.opens <= on):
            cap = sec.trains_per_day * tonnes_per_train(scenario, flows, sec.gauge_mm)
            graph.add_edge(f"{sec.from_}>out", f"{sec.to}>in", capacity=cap, name=sec.key)
            graph.add_edge(f"{sec.to}>out", f"{sec.from_}>in", capacity=cap, name=sec.key)
    for flow in flows:
        graph.add_edge(SOURCE, f"{flow.origin}>in")
        graph.add_edge(f"{flow.destination}>out", SINK)
    return graph


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
