"""Checks that span several parts of a scenario: references, routes, gauges, dates, seasonality.

Each check yields (key path, message); `scenario.py` turns key paths into file and line.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator

from simulator.model import Scenario
from simulator.network import build_graph, section_between, shortest_route
from simulator.timeline import Calendar

Found = tuple[tuple, str]


def cross_check(scenario: Scenario) -> list[Found]:
    """Every cross-part problem of a structurally valid scenario."""
    problems: list[Found] = []
    for check in (_duplicates, _sections, _nodes, _flows, _train_types, _dated):
        problems.extend(check(scenario))
    return problems


def _hint(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def _unknown(kind: str, name: str, options: list[str]) -> str:
    return f"unknown {kind} {name!r}{_hint(name, options)}"


def _duplicates(s: Scenario) -> Iterator[Found]:
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
                yield (key, i, "id"), f"duplicate id {ident!r}; each id must be unique in {key}"


def _sections(s: Scenario) -> Iterator[Found]:
    nodes = {n.id: n for n in s.nodes}
    ids = list(nodes)
    for i, sec in enumerate(s.sections):
        for end, key in ((sec.from_, "from"), (sec.to, "to")):
            if end not in nodes:
                yield ("sections", i, key), _unknown("node", end, ids)
                continue
            gauges = nodes[end].gauges
            if sec.gauge_mm not in gauges:
                yield (
                    ("sections", i, "gauge_mm"),
                    (
                        f"gauge break: this section is {sec.gauge_mm} mm but node {end!r} has only "
                        f"{'/'.join(map(str, gauges))} mm; a gauge change needs a gauge-change node "
                        f"(give {end!r} gauge_mm: [{gauges[0]}, {sec.gauge_mm}] and handling)"
                    ),
                )
        if sec.from_ == sec.to:
            yield ("sections", i, "to"), "a section must join two different nodes"


def _nodes(s: Scenario) -> Iterator[Found]:
    for i, node in enumerate(s.nodes):
        if node.changes_gauge and node.handling is None:
            yield (
                ("nodes", i, "gauge_mm"),
                ("a gauge-change node needs handling (slots, handling_hours) for transshipment"),
            )
        if node.exchange_trains_per_day is not None and node.kind != "border":
            yield (
                ("nodes", i, "exchange_trains_per_day"),
                (f"only border nodes have an exchange limit; this node is a {node.kind}"),
            )
        if node.port is not None and node.kind != "seaport":
            yield ("nodes", i, "port"), f"only seaports have a port; this node is a {node.kind}"


def _flows(s: Scenario) -> Iterator[Found]:
    nodes = {n.id: n for n in s.nodes}
    ids = list(nodes)
    graph = build_graph(s, s.start_date)
    for i, flow in enumerate(s.flows):
        bad_end = False
        for end in ("origin", "destination"):
            name = getattr(flow, end)
            if name not in nodes:
                bad_end = True
                yield ("flows", i, end), _unknown("node", name, ids)
        if flow.origin == flow.destination:
            yield ("flows", i, "destination"), "origin and destination must differ"
            bad_end = True
        if flow.seasonality is not None:
            n = len(flow.seasonality)
            mean = sum(flow.seasonality) / max(n, 1)
            if n != 12:
                yield (
                    ("flows", i, "seasonality"),
                    (f"got {n} factors, expected 12 monthly factors (January to December)"),
                )
            elif abs(mean - 1.0) > 0.005:
                yield (
                    ("flows", i, "seasonality"),
                    (
                        f"factors average {mean:.4f}, expected an average of 1 (they shape the "
                        "year, the yearly volume is set by teu_per_year or tonnes_per_year)"
                    ),
                )
        if flow.ship_teu_per_call is not None:
            origin = nodes.get(flow.origin)
            if flow.cargo != "container":
                yield ("flows", i, "ship_teu_per_call"), "only container flows arrive by ship"
            elif origin is not None and origin.port is None:
                yield (
                    ("flows", i, "ship_teu_per_call"),
                    (f"origin {flow.origin!r} has no port (berths, crane_teu_per_hour)"),
                )
        if bad_end:
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


def _route(
    s: Scenario, i: int, route: tuple[str, ...], origin: str, destination: str, ids: list[str]
) -> Iterator[Found]:
    where = ("flows", i, "route")
    unknown = False
    for j, name in enumerate(route):
        if name not in ids:
            unknown = True
            yield (*where, j), _unknown("node", name, ids)
    if unknown:
        return
    if route[0] != origin or route[-1] != destination:
        yield where, f"the route must start at {origin!r} and end at {destination!r}"
    if len(set(route)) != len(route):
        yield where, "the route visits a node twice"
    for j, (a, b) in enumerate(zip(route, route[1:], strict=False)):
        sec = section_between(s, a, b)
        if sec is None:
            yield (*where, j + 1), (f"route is not connected: no section joins {a!r} and {b!r}")
        elif sec.opens is not None and sec.opens > s.start_date:
            yield (
                (*where, j + 1),
                (
                    f"section {sec.key!r} opens on {sec.opens}, after the start; "
                    "leave route out so the flow moves to it when it opens"
                ),
            )


def _train_types(s: Scenario) -> Iterator[Found]:
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


def _dated(s: Scenario) -> Iterator[Found]:
    cal = Calendar(s.start_date, s.horizon_years)
    first, end = s.start_date, cal.end_date
    span = f"inside the horizon {first} to {end}"

    def outside(day) -> bool:
        return day < first or day >= end

    for key, items in (("nodes", s.nodes), ("sections", s.sections)):
        for i, item in enumerate(items):
            if item.opens is not None and outside(item.opens):
                yield (key, i, "opens"), f"{item.opens} is outside the run; expected a date {span}"
    node_ids = [n.id for n in s.nodes]
    section_ids = [x.key for x in s.sections]
    flow_ids = [f.id for f in s.flows]
    for i, ch in enumerate(s.changes):
        if outside(ch.date):
            yield ("changes", i, "date"), f"{ch.date} is outside the run; expected a date {span}"
        options = {"section": section_ids, "node": node_ids, "flow": flow_ids}[ch.target_kind]
        if ch.target not in options:
            yield ("changes", i, ch.target_kind), _unknown(ch.target_kind, ch.target, options)
    for i, d in enumerate(s.disruptions):
        kind = "section" if d.section else "node"
        options = section_ids if d.section else node_ids
        if d.target not in options:
            yield ("disruptions", i, kind), _unknown(kind, d.target, options)
        if d.start is not None and outside(d.start):
            yield (
                ("disruptions", i, "start"),
                f"{d.start} is outside the run; expected a date {span}",
            )
        if d.end is not None and d.end > end:
            yield ("disruptions", i, "end"), f"{d.end} is after the run ends ({end})"
