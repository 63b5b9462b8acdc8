"""Capacity over time: each resource's numbers as step functions of hours, with disruptions.

Dated changes, openings, closures, capacity cuts and random breakdowns (MTBF/MTTR) all become
step functions here, before the simulation starts; the SimPy facilities only read them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.engine.randomness import stream
from simulator.engine.timeline import StepFunction
from simulator.records.results import Marker
from simulator.scenario.calendar import Calendar
from simulator.scenario.model import Node, Scenario


@dataclass(frozen=True)
class SectionCapacity:
    """A section's trains a day per direction, track count and speed, over time."""

    trains_per_day: StepFunction  # already multiplied by disruption factors; 0 = closed
    tracks: StepFunction
    km_per_hour: StepFunction
    opens_hour: float


@dataclass(frozen=True)
class NodeCapacity:
    """A node's handling slots, exchange limit (trains a day) and yard, over time."""

    slots: StepFunction | None  # already multiplied by disruption factors; 0 = closed
    exchange_per_day: StepFunction | None  # idem, trains heading to the first gauge's side
    yard_trains: StepFunction | None
    opens_hour: float
    exchange_back_per_day: StepFunction | None = None  # heading to the second's (if it differs)


def _stepped(base: float, changes: list[tuple[float, float]]) -> StepFunction:
    steps = StepFunction.constant(base)
    for hour, value in sorted(changes):
        steps = steps.with_step(hour, value)
    return steps


def disruption_factor(
    scenario: Scenario, target: str, kind: str, cal: Calendar, replication: int
) -> StepFunction:
    """Product of the capacity factors of every disruption of one section or node over time."""
    factor = StepFunction.constant(1.0)
    for d in scenario.disruptions:
        if d.target != target or (d.section is not None) != (kind == "section"):
            continue
        if d.start is not None and d.end is not None:
            window = StepFunction(
                (0.0, cal.hours(d.start), cal.hours(d.end)), (1.0, d.capacity_factor, 1.0)
            )
            factor = factor.times(window)
        else:
            for lo, hi in breakdowns(
                scenario, target, d.mtbf_hours, d.mttr_hours, cal, replication
            ):
                factor = factor.times(StepFunction((0.0, lo, hi), (1.0, 0.0, 1.0)))
    return factor


def breakdowns(
    scenario: Scenario,
    target: str,
    mtbf_hours: float,
    mttr_hours: float,
    cal: Calendar,
    replication: int,
) -> list[tuple[float, float]]:
    """Random failure intervals over the horizon: exponential up and repair times."""
    rng = stream(scenario.seed, replication, f"breakdown/{target}")
    out: list[tuple[float, float]] = []
    t = 0.0
    while True:
        t += float(rng.exponential(mtbf_hours))
        if t >= cal.horizon_hours:
            return out
        repair = float(rng.exponential(mttr_hours))
        out.append((t, min(t + repair, cal.horizon_hours)))
        t += repair


def section_capacities(
    scenario: Scenario, cal: Calendar, replication: int
) -> dict[str, SectionCapacity]:
    """Capacity timelines of every section."""
    out = {}
    for sec in scenario.sections:
        chg = [c for c in scenario.changes if c.section == sec.key]
        kmh0 = sec.speed_kmh if sec.speed_kmh is not None else sec.km_per_day / 24
        speeds = []
        for c in chg:
            if "speed_kmh" in c.set:
                speeds.append((cal.hours(c.date), c.set["speed_kmh"]))
            elif "km_per_day" in c.set:
                speeds.append((cal.hours(c.date), c.set["km_per_day"] / 24))
        tpd = _stepped(
            sec.trains_per_day,
            [
                (cal.hours(c.date), c.set["trains_per_day"])
                for c in chg
                if "trains_per_day" in c.set
            ],
        )
        opens = cal.hours(sec.opens) if sec.opens else 0.0
        if opens > 0:
            tpd = tpd.times(StepFunction((0.0, opens), (0.0, 1.0)))
        out[sec.key] = SectionCapacity(
            trains_per_day=tpd.times(
                disruption_factor(scenario, sec.key, "section", cal, replication)
            ),
            tracks=_stepped(
                sec.tracks, [(cal.hours(c.date), c.set["tracks"]) for c in chg if "tracks" in c.set]
            ),
            km_per_hour=_stepped(kmh0, speeds),
            opens_hour=opens,
        )
    return out


def node_capacities(scenario: Scenario, cal: Calendar, replication: int) -> dict[str, NodeCapacity]:
    """Capacity timelines of every node (None where a node has no such limit)."""
    out = {}
    for node in scenario.nodes:
        chg = [c for c in scenario.changes if c.node == node.id]
        factor = disruption_factor(scenario, node.id, "node", cal, replication)
        opens = cal.hours(node.opens) if node.opens else 0.0

        def timeline(base: float | None, key: str, chg=chg) -> StepFunction | None:
            if base is None:
                return None
            return _stepped(base, [(cal.hours(c.date), c.set[key]) for c in chg if key in c.set])

        h = node.handling
        slots = timeline(h.slots if h else None, "slots")
        exchange = back = None
        if node.exchange_trains_per_day is not None:
            key = "exchange_trains_per_day"
            dated = [(cal.hours(c.date), c.set[key]) for c in chg if key in c.set]
            exchange = _stepped(_side(node.exchange_trains_per_day, 0), _sides(dated, 0))
            back = _stepped(_side(node.exchange_trains_per_day, 1), _sides(dated, 1))
        out[node.id] = NodeCapacity(
            slots=slots.times(factor) if slots else None,
            exchange_per_day=exchange.times(factor) if exchange else None,
            exchange_back_per_day=back.times(factor) if back else None,
            yard_trains=timeline(yard_in_trains(scenario, node), "yard_trains"),
            opens_hour=opens,
        )
    return out


def _side(limit: float | tuple[float, float], side: int) -> float:
    """One direction's exchange limit: the pair's entry for that side, or the single limit."""
    return limit[side] if isinstance(limit, tuple) else limit


def _sides(dated: list[tuple[float, object]], side: int) -> list[tuple[float, float]]:
    """Dated exchange limits of one direction."""
    return [(hour, _side(value, side)) for hour, value in dated]


def yard_in_trains(scenario: Scenario, node: Node) -> float | None:
    """A node's yard in trains: yard_trains, or yard_teu over its largest container train."""
    h = node.handling
    if h is None or (h.yard_trains is None and h.yard_teu is None):
        return None
    if h.yard_trains is not None:
        return float(h.yard_trains)
    sizes = [
        t.teu_per_train
        for t in scenario.train_types
        if t.cargo == "container" and t.gauge_mm in node.gauges and t.teu_per_train
    ]
    return float(max(1, int(h.yard_teu // max(sizes, default=100.0))))


def integrate_years(
    steps: StepFunction, cal: Calendar, weight, from_hour: float = 0.0
) -> list[tuple[int, float, float]]:
    """Per calendar year: (year, integral of weight(value), hours with value 0) after from_hour."""
    out = []
    for year, lo, hi in cal.year_bounds():
        lo = max(lo, from_hour)
        if hi <= lo:
            out.append((year, 0.0, 0.0))
            continue
        cuts = [lo, *(h for h in steps.hours if lo < h < hi), hi]
        total = closed = 0.0
        for a, b in zip(cuts, cuts[1:], strict=False):
            v = steps.at(a)
            total += weight(v, a) * (b - a)
            if v <= 0:
                closed += b - a
        out.append((year, total, closed))
    return out


def _number_words(value: float | tuple[float, ...]) -> str:
    """A changed value as written: 15, or a pair of limits as 15/12."""
    return "/".join(f"{v:g}" for v in value) if isinstance(value, tuple) else f"{value:g}"


def markers(scenario: Scenario, cal: Calendar) -> tuple[Marker, ...]:
    """Dated changes, openings and dated disruptions, for time axes of charts."""
    out = []
    for c in scenario.changes:
        what = ", ".join(f"{k} {_number_words(v)}" for k, v in c.set.items())
        out.append(
            Marker(
                cal.hours(c.date),
                cal.hours(c.date),
                "change",
                c.target,
                c.note or f"{c.target}: {what}",
            )
        )
    for item in (*scenario.nodes, *scenario.sections):
        if item.opens:
            name = item.key if hasattr(item, "key") else item.id
            h = cal.hours(item.opens)
            out.append(Marker(h, h, "opening", name, f"{name} opens"))
    for d in scenario.disruptions:
        if d.start and d.end:
            label = d.note or f"{d.target} at {d.capacity_factor:.0%} capacity"
            out.append(Marker(cal.hours(d.start), cal.hours(d.end), "disruption", d.target, label))
    return tuple(sorted(out, key=lambda m: m.hour))


def rounded_slots(value: float) -> int:
    """Whole slots for a possibly fractional capacity (a cut to 50% of 3 slots leaves 2)."""
    if value <= 0:
        return 0
    return max(1, math.floor(value + 0.5))  # math, not numpy: called for every handling
