"""The sides of a network: the parts it falls into without its border crossings (China,
Kazakhstan and beyond), which crossings join which sides, and the names of the sides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import networkx as nx

from simulator.scenario.model import Scenario


def network_sides(scenario: Scenario, open_nodes: set[str], borders: set[str]) -> dict[str, int]:
    """Node id -> its side: the parts the open network falls into without its border nodes."""
    graph = nx.Graph()  # nodes in scenario order, so that sides are numbered the same each run
    graph.add_nodes_from(n.id for n in scenario.nodes if n.id in open_nodes - borders)
    for s in scenario.sections:
        if {s.from_, s.to} <= open_nodes - borders:
            graph.add_edge(s.from_, s.to)
    return {n: i for i, part in enumerate(nx.connected_components(graph)) for n in part}


def sides_joined(
    scenario: Scenario, border: str, side: dict[str, int], on: dt.date
) -> frozenset[int]:
    """The sides a border crossing joins: those of the nodes its open sections lead to."""
    return frozenset(
        side[n]
        for sec in scenario.sections
        if border in (sec.from_, sec.to) and (sec.opens is None or sec.opens <= on)
        for n in (sec.from_, sec.to)
        if n in side
    )


def passes_between(
    pair: tuple[int, int], boundary: frozenset[int], boundaries: Iterable[frozenset[int]]
) -> bool:
    """Whether traffic from side a to side b can cross between the two sides of `boundary`:
    a reaches one of them and b the other without crossing that boundary."""
    graph = nx.Graph()
    graph.add_nodes_from(pair)
    for sides in boundaries:
        if sides != boundary:
            graph.add_edges_from((p, q) for p in sides for q in sides if p < q)
    graph.add_nodes_from(boundary)
    a, b = pair
    return any(
        nx.has_path(graph, a, p) and nx.has_path(graph, q, b)
        for p in boundary
        for q in boundary
        if p != q
    )


def side_names(scenario: Scenario, side: dict[str, int]) -> dict[int, str]:
    """'1435 mm side' by gauge; where two sides share a gauge, its first node is added."""
    members: dict[int, list[str]] = {}
    for node in scenario.nodes:
        if node.id in side:
            members.setdefault(side[node.id], []).append(node.id)
    names = {
        i: "/".join(f"{g} mm" for g in sorted({scenario.node(n).gauges[0] for n in ids})) + " side"
        for i, ids in members.items()
    }
    shared = {name for name in names.values() if list(names.values()).count(name) > 1}
    return {i: f"{name} ({members[i][0]})" if name in shared else name for i, name in names.items()}
