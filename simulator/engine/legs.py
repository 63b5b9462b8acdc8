"""What a train needs at each stop of its route, looked up once per route rather than per visit.

A journey meets, at each position of its route, a node (its handling, exchange and record
indices) and the section out of it (gate, direction, speed). Finding these by name at every
visit cost more than the visit's SimPy events; the legs of a route are worked out the first time
a train takes it and kept on the World.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.facilities import Gate
from simulator.engine.world import NodeState, SectionState, World


@dataclass(slots=True)
class Leg:
    """Position i of a route: its node, and the section on to position i + 1 (if any)."""

    node: NodeState
    here: int  # node index of the node
    prev: int  # node index of the node before (-1 at the start)
    nxt: int  # node index of the next node (-1 at the end)
    name: str
    next_name: str | None
    exchange: Gate | None  # the border exchange crossed on arriving here (not at the start)
    exchange_direction: int
    section: SectionState | None  # the section on to the next node
    direction: int  # 1 along the section's from -> to, else -1
    gauge_mm: int  # the onward section's gauge
    next_has_yard: bool  # the next node has a finite yard (w.yard gives it)
    running_h: float | None  # running hours on the onward section when its speed never changes
    # the first part of the visit rows here (resource, from and to node), packed once
    node_where: bytes
    exchange_where: bytes
    section_where: bytes


def route_legs(w: World, route: tuple[str, ...]) -> list[Leg]:
    """The legs of a route, worked out once per run (pure look-ups: no events, no draws)."""
    legs = w.legs.get(route)
    if legs is not None:
        return legs
    legs = []
    index = w.node_index
    where = w.visits.packs[0]
    for i, name in enumerate(route):
        node = w.nodes[name]
        prev = index[route[i - 1]] if i > 0 else -1
        next_name = route[i + 1] if i + 1 < len(route) else None
        nxt = index[next_name] if next_name is not None else -1
        exchange, way = None, 1
        if i > 0 and node.exchange is not None:
            came_on = w.section(route[i - 1], name).section.gauge_mm
            exchange, way = node.exchange_way(came_on, prev, nxt)
        sec = w.section(name, next_name) if next_name is not None else None
        running = None
        if sec is not None and sec.fixed_kmh is not None:
            running = sec.section.length_km / sec.fixed_kmh
        legs.append(
            Leg(
                node=node,
                here=index[name],
                prev=prev,
                nxt=nxt,
                name=name,
                next_name=next_name,
                exchange=exchange,
                exchange_direction=way,
                section=sec,
                direction=1 if sec is not None and sec.section.from_ == name else -1,
                gauge_mm=sec.section.gauge_mm if sec is not None else 0,
                next_has_yard=next_name is not None
                and w.nodes[next_name].capacity.yard_trains is not None,
                running_h=running,
                node_where=where(node.resource, prev, nxt),
                exchange_where=where(node.exchange_resource, prev, nxt) if exchange else b"",
                section_where=where(sec.resource, index[name], nxt) if sec else b"",
            )
        )
    w.legs[route] = legs
    return legs
