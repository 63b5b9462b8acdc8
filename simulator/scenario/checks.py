"""Checks that span several parts of a scenario: references, routes, gauges, dates, seasonality.

Each check yields (key path, message); `loading.py` turns key paths into file and line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from simulator.scenario.checks_bounds import bounds
from simulator.scenario.checks_dated import change_values, dated, past_calendar
from simulator.scenario.message_words import ONE_GAUGE_PAIR, unknown
from simulator.scenario.model import Scenario
from simulator.scenario.network import build_graph, section_between, shortest_route

Found = tuple[tuple, str]


def cross_check(scenario: Scenario) -> list[Found]:
    """Every cross-part problem of a structurally valid scenario."""
    horizon = past_calendar(scenario)
    if horizon:
        return horizon
    problems: list[Found] = []
    checks = (_duplicates, _sections, _nodes, _flows, _train_types, dated, change_values, bounds)
    for check in checks:
        problems.extend(check(scenario))
    return problems


def _duplicates(s: Scenario) -> Iterator[Found]:
    """Ids that appear twice in nodes, sections, train types or flows."""
    for key, items in (
        ("nodes", [n.id for n in s.nodes]),
        ("sections", [x.key for x in s.sections]),
        ("train_types", [t.id for t in s.train_types]),
        ("flows", [f.id for f in s.flows]),
    ):
        seen: Counter[str] = Counter()
        for i, ident in enumerate(items):
            seen[ident] += 1
            if seen[ident] == 2:
                yield (key, i, "id"), f"duplicate id {ident!r}; expected each id once in {key}"


def _sections(s: Scenario) -> Iterator[Found]:
    """Section ends that are unknown, the same node, or of another gauge without a change node."""
    nodes = {n.id: n for n in s.nodes}
    ids = list(nodes)
    for i, sec in enumerate(s.sections):
        for end, key in ((sec.from_, "from"), (sec.to, "to")):
            if end not in nodes:
                yield ("sections", i, key), unknown("node", end, ids)
                continue
            gauges = nodes[end].gauges
            if gauges and sec.gauge_mm not in gauges:
                yield (
                    ("sections", i, "gauge_mm"),
                    (
                        f"gauge break: the section is {sec.gauge_mm} mm but node {end!r} is "
                        f"{'/'.join(map(str, gauges))} mm; expected a gauge-change node there "
                        f"(gauge_mm: [{gauges[0]}, {sec.gauge_mm}] with handling)"
                    ),
                )
        if sec.from_ == sec.to:
            yield ("sections", i, "to"), f"from and to are both {sec.to!r}; expected two nodes"


def _nodes(s: Scenario) -> Iterator[Found]:
    """Node parts that do not fit the node: gauges, handling, exchange limit, port."""
    for i, node in enumerate(s.nodes):
        if not node.gauges:
            yield (
                ("nodes", i, "gauge_mm"),
                "got an empty list; expected a gauge like 1520 or two like [1435, 1520]",
            )
        if node.changes_gauge and node.handling is None:
            yield (
                ("nodes", i, "gauge_mm"),
                "a gauge-change node without handling; expected handling (slots, handling_hours) "
                "for transshipment",
            )
        if node.exchange_trains_per_day is not None and node.kind != "border":
            yield (
                ("nodes", i, "exchange_trains_per_day"),
                f"an exchange limit on a {node.kind}; expected it only on border nodes",
            )
        if isinstance(node.exchange_trains_per_day, tuple) and not node.two_sides:
            yield ("nodes", i, "exchange_trains_per_day"), ONE_GAUGE_PAIR
        if node.max_queue_trains is not None and node.kind == "exit":
            yield (
                ("nodes", i, "max_queue_trains"),
                "a queue cap on an exit; expected it on a node trains pass or are handled at "
                "(the queue is counted at its exchange, handling and lines out)",
            )
        if node.port is not None and node.kind != "seaport":
            yield ("nodes", i, "port"), f"a port on a {node.kind}; expected it only on seaports"


def _flows(s: Scenario) -> Iterator[Found]:
    """Flow ends, seasonality, ships, and a route from origin to destination at the start."""
    nodes = {n.id: n for n in s.nodes}
    ids = list(nodes)
    graph = build_graph(s, s.start_date)
    for i, flow in enumerate(s.flows):
        bad_end = False
        for end in ("origin", "destination"):
            name = getattr(flow, end)
            if name not in nodes:
                bad_end = True
                yield ("flows", i, end), unknown("node", name, ids)
        if flow.origin == flow.destination:
            yield (
                ("flows", i, "destination"),
                f"origin and destination are both {flow.origin!r}; expected two different nodes",
            )
            bad_end = True
        if flow.seasonality is not None:
            n = len(flow.seasonality)
            mean = sum(flow.seasonality) / max(n, 1)
            if n != 12:
                yield (
                    ("flows", i, "seasonality"),
                    f"got {n} factors; expected 12 monthly factors (January to December)",
                )
            elif abs(mean - 1.0) > 0.005:
                yield (
                    ("flows", i, "seasonality"),
                    (
                        f"factors average {mean:.4f}; expected an average of 1 (they shape the "
                        "year, the yearly volume is set by teu_per_year or tonnes_per_year)"
                    ),
                )
        if flow.ship_teu_per_call is not None:
            origin = nodes.get(flow.origin)
            if flow.cargo != "container":
                yield (
                    ("flows", i, "ship_teu_per_call"),
                    "ship_teu_per_call on a bulk flow; expected it only on container flows",
                )
            elif origin is not None and origin.port is None:
                yield (
                    ("flows", i, "ship_teu_per_call"),
                    f"origin {flow.origin!r} has no port; expected a seaport origin with port "
                    "(berths, crane_teu_per_hour) for a flow that arrives by ship",
                )
        if bad_end:
            continue
        if flow.routes is not None:
            yield from _routes(s, i, ids)
            continue
        if flow.route is None:
            if shortest_route(graph, flow.origin, flow.destination) is None:
                yield (
                    ("flows", i, "destination"),
                    (
                        f"no route from {flow.origin!r} to {flow.destination!r} on the network open "
                        f"on {s.start_date}; expected connected sections"
                    ),
                )
            continue
        yield from _route(s, i, flow.route, flow.origin, flow.destination, ids)


def _routes(s: Scenario, i: int, ids: list[str]) -> Iterator[Found]:
    """Listed alternatives: each a valid route (only the first must be open at the start)."""
    flow = s.flows[i]
    for j, option in enumerate(flow.routes or ()):
        where = ("flows", i, "routes", j, "nodes")
        yield from _route(
            s, i, option.nodes, flow.origin, flow.destination, ids, where, later_ok=j > 0
        )
    total = sum(o.share or 0.0 for o in flow.routes or ())
    if total > 1 + 1e-9:
        yield (
            ("flows", i, "routes"),
            f"the shares add up to {total:g}; expected at most 1 (the rest of the trains choose)",
        )


def _route(
    s: Scenario,
    i: int,
    route: tuple[str, ...],
    origin: str,
    destination: str,
    ids: list[str],
    where: tuple = (),
    later_ok: bool = False,
) -> Iterator[Found]:
    """A given route: known nodes, from origin to destination, joined by sections open at start.

    `later_ok`: an alternative that trains take only once its parts open (listed routes).
    """
    where = where or ("flows", i, "route")
    if not route:
        yield where, "got an empty route; expected node ids from origin to destination, or no route"
        return
    missing = [j for j, name in enumerate(route) if name not in ids]
    for j in missing:
        yield (*where, j), unknown("node", route[j], ids)
    if missing:
        return
    if route[0] != origin or route[-1] != destination:
        yield (
            where,
            f"the route runs from {route[0]!r} to {route[-1]!r}; expected it to start at the "
            f"origin {origin!r} and end at the destination {destination!r}",
        )
    twice = sorted({n for n in route if route.count(n) > 1})
    if twice:
        yield where, f"the route visits {twice[0]!r} twice; expected each node once"
    for j, name in enumerate(route):
        opens = s.node(name).opens
        if opens is not None and opens > s.start_date and not later_ok:
            yield (
                (*where, j),
                f"node {name!r} opens on {opens}, after the start; leave route out so the flow "
                "moves to it when it opens",
            )
    for j, (a, b) in enumerate(zip(route, route[1:], strict=False)):
        sec = section_between(s, a, b)
        if sec is None:
            yield (
                (*where, j + 1),
                f"route is not connected: no section joins {a!r} and {b!r}; expected a section "
                "between each pair of neighbours in the route",
            )
        elif sec.opens is not None and sec.opens > s.start_date and not later_ok:
            yield (
                (*where, j + 1),
                (
                    f"section {sec.key!r} opens on {sec.opens}, after the start; "
                    "leave route out so the flow moves to it when it opens"
                ),
            )


def _train_types(s: Scenario) -> Iterator[Found]:
    """One train type per cargo and gauge, and one for every gauge a cargo may run on."""
    pairs = Counter((t.cargo, t.gauge_mm) for t in s.train_types)
    for i, t in enumerate(s.train_types):
        if pairs[(t.cargo, t.gauge_mm)] > 1:
            yield (
                ("train_types", i, "gauge_mm"),
                (
                    f"two train types for {t.cargo} on {t.gauge_mm} mm; expected one per cargo "
                    "and gauge"
                ),
            )
            pairs[(t.cargo, t.gauge_mm)] = 1
    gauges_used = {sec.gauge_mm for sec in s.sections}
    cargos = {f.cargo for f in s.flows}
    for cargo in sorted(cargos):
        for gauge in sorted(gauges_used):
            if (cargo, gauge) not in pairs:
                i = next(n for n, f in enumerate(s.flows) if f.cargo == cargo)
                yield (
                    ("flows", i, "cargo"),
                    (
                        f"no train type carries {cargo} on {gauge} mm track; expected a train_types "
                        f"entry with cargo: {cargo} and gauge_mm: {gauge}"
                    ),
                )
