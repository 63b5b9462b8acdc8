"""Cross-checks of dates and dated changes: inside the horizon, on targets that exist and have
the changed value, and whole numbers where a change counts tracks, slots or trains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from simulator.scenario.calendar import Calendar
from simulator.scenario.message_words import ONE_GAUGE_PAIR, unknown
from simulator.scenario.model import Node, Scenario

Found = tuple[tuple, str]

WHOLE_CHANGE_KEYS = {"tracks": (1, 4), "slots": (1, None), "yard_trains": (1, None)}
"""Change keys that count things, with their bounds (as for the values they change)."""


def past_calendar(s: Scenario) -> list[Found]:
    """A run that would end after the last date the calendar has (year 9999)."""
    if s.start_date.year + s.horizon_years <= dt.MAXYEAR:
        return []
    why = f"the run would end after the year {dt.MAXYEAR}; expected an earlier start_date"
    return [(("horizon_years",), why)]


def dated(s: Scenario) -> Iterator[Found]:
    """Openings, changes and disruptions dated inside the horizon, on targets that exist."""
    cal = Calendar(s.start_date, s.horizon_years)
    first, end = s.start_date, cal.end_date
    span = f"inside the horizon {first} to {end}"

    def outside(day: dt.date) -> bool:
        """True for a date before the start or on or after the end of the run."""
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
            yield ("changes", i, ch.target_kind), unknown(ch.target_kind, ch.target, options)
    for i, d in enumerate(s.disruptions):
        kind = "section" if d.section else "node"
        options = section_ids if d.section else node_ids
        if d.target not in options:
            yield ("disruptions", i, kind), unknown(kind, d.target, options)
        if d.start is not None and outside(d.start):
            yield (
                ("disruptions", i, "start"),
                f"{d.start} is outside the run; expected a date {span}",
            )
        if d.end is not None and d.end > end:
            yield (
                ("disruptions", i, "end"),
                f"{d.end} is after the run ends; expected a date on or before {end}",
            )


def change_values(s: Scenario) -> Iterator[Found]:
    """Changed values that count things are whole, and changes touch values the target has."""
    nodes = {n.id: n for n in s.nodes}
    flows = {f.id: f for f in s.flows}
    for i, ch in enumerate(s.changes):
        for key, value in ch.set.items():
            node = nodes.get(ch.node or "")
            if isinstance(value, tuple):
                if node is not None and not node.two_sides:
                    yield ("changes", i, "set", key), ONE_GAUGE_PAIR
                continue
            low, high = WHOLE_CHANGE_KEYS.get(key, (None, None))
            if low is not None and (value != int(value) or (high is not None and value > high)):
                limit = f"from {low} to {high}" if high else f"of {low} or more"
                yield (
                    ("changes", i, "set", key),
                    f"got {value:g}; expected a whole number {limit}",
                )
            if ch.node in nodes and _missing_base(nodes[ch.node], key):
                yield (
                    ("changes", i, "set", key),
                    f"node {ch.node!r} has no {key} to change; expected a key the node has",
                )
            flow = flows.get(ch.flow or "")
            if flow is not None and getattr(flow, key) is None:
                yield (
                    ("changes", i, "set", key),
                    f"flow {flow.id!r} is {flow.cargo}, it has no {key}; expected "
                    f"{'teu_per_year' if flow.cargo == 'container' else 'tonnes_per_year'}",
                )


def _missing_base(node: Node, key: str) -> bool:
    """True if a change of `key` has nothing to change on this node."""
    if key == "exchange_trains_per_day":
        return node.exchange_trains_per_day is None
    if key == "slots":
        return node.handling is None
    if key == "yard_trains":
        h = node.handling
        return h is None or (h.yard_trains is None and h.yard_teu is None)
    return False
