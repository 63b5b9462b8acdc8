"""The corridor as a networkx graph: which links are open when, routes, and a max-flow bound."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import networkx as nx

from simulator.scenario.model import Scenario, Section
from simulator.scenario.route_options import RouteOption


def is_open(opens: dt.date | None, on: dt.date) -> bool:
    """True if something that opens on `opens` (None: always open) is open on `on`."""
    return opens is None or opens <= on


def build_graph(scenario: Scenario, on: dt.date | None = None) -> nx.Graph:
    """Undirected graph of the nodes and sections open on a date (all of them when None)."""
    graph = nx.Graph()
    for node in scenario.nodes:
        if on is None or is_open(node.opens, on):
            graph.add_node(node.id)
    for sec in scenario.sections:
        if (on is None or is_open(sec.opens, on)) and sec.from_ in graph and sec.to in graph:
            graph.add_edge(sec.from_, sec.to, key=sec.key, hours=sec.running_hours)
    return graph


def shortest_route(graph: nx.Graph, origin: str, destination: str) -> tuple[str, ...] | None:
    """Fastest path by running hours, or None where the two are not connected."""
    if origin not in graph or destination not in graph:
        return None
    try:
        return tuple(nx.shortest_path(graph, origin, destination, weight="hours"))
    except nx.NetworkXNoPath:
        return None


def section_between(scenario: Scenario, a: str, b: str) -> Section | None:
    """The section joining two nodes in either direction, if any."""
    for sec in scenario.sections:
        if {sec.from_, sec.to} == {a, b}:
            return sec
    return None


@dataclass(frozen=True)
class RouteEpoch:
    """A flow's route from a date on (until the next epoch)."""

    starts: dt.date
    route: tuple[str, ...]


def opening_dates(scenario: Scenario) -> list[dt.date]:
    """Dates on which a node or section opens, in order, without repeats."""
    dates = {n.opens for n in scenario.nodes if n.opens} | {
        s.opens for s in scenario.sections if s.opens
    }
    return sorted(d for d in dates if d > scenario.start_date)


def route_epochs(scenario: Scenario, flow_id: str) -> list[RouteEpoch]:
    """The routes a flow takes over the horizon: fixed if given, else re-chosen at each opening."""
    flow = next(f for f in scenario.flows if f.id == flow_id)
    if flow.route is not None:
        return [RouteEpoch(scenario.start_date, flow.route)]
    if flow.routes is not None:  # under fixed choice: the first listed route
        return [RouteEpoch(scenario.start_date, flow.routes[0].nodes)]
    epochs: list[RouteEpoch] = []
    for day in [scenario.start_date, *opening_dates(scenario)]:
        route = shortest_route(build_graph(scenario, day), flow.origin, flow.destination)
        if route is not None and (not epochs or epochs[-1].route != route):
            epochs.append(RouteEpoch(day, route))
    return epochs


def fastest_routes(graph: nx.Graph, origin: str, destination: str, k: int) -> list[tuple[str, ...]]:
    """Up to k loop-free paths in order of running hours (none where not connected)."""
    if origin not in graph or destination not in graph:
        return []
    try:
        paths = nx.shortest_simple_paths(graph, origin, destination, weight="hours")
        return [tuple(p) for p in itertools.islice(paths, k)]
    except nx.NetworkXNoPath:
        return []


def route_options(scenario: Scenario, flow_id: str) -> tuple[RouteOption, ...]:
    """The routes a flow chooses among: its listed ones, its one given route, or the k fastest.

    The k fastest are found on the whole network, lines that open later included: a train
    takes such a route only once every part of it is open.
    """
    flow = next(f for f in scenario.flows if f.id == flow_id)
    if flow.routes is not None:
        return flow.routes
    if flow.route is not None:
        return (RouteOption(nodes=flow.route),)
    paths = fastest_routes(
        build_graph(scenario), flow.origin, flow.destination, scenario.route_alternatives
    )
    return tuple(RouteOption(nodes=p) for p in paths)


def route_group(scenario: Scenario, option: RouteOption) -> str:
    """The option's group label: its own, else the first corridor label of a node on it."""
    if option.group is not None:
        return option.group
    labels = {n.id: n.corridor for n in scenario.nodes if n.corridor}
    return next((labels[n] for n in option.nodes if n in labels), "")
