"""Cross-checks of bounds that depend on other values: a warm-up shorter than the run, lots that
fit on their trains and ships, demand that stays physical as it grows, and dated changes that obey
the bounds of the keys they change.
"""

from __future__ import annotations

from collections.abc import Iterator

from simulator.scenario.bounds import BY_KEY, MAX_LOTS_PER_YEAR, plain
from simulator.scenario.calendar import Calendar
from simulator.scenario.model import Flow, Scenario

Found = tuple[tuple, str]


def bounds(s: Scenario) -> Iterator[Found]:
    """Every bound that one value alone cannot state."""
    yield from _warmup(s)
    yield from _lots(s)
    yield from _growth(s)
    yield from _changes(s)


def _warmup(s: Scenario) -> Iterator[Found]:
    """The warm-up ends before the run does, or the report would count nothing."""
    days = Calendar(s.start_date, s.horizon_years).horizon_hours / 24.0
    if s.warmup_days >= days:
        yield (
            ("warmup_days",),
            f"got {plain(s.warmup_days)} days, but the run lasts {plain(days)} days; expected "
            "a warm-up shorter than the run (horizon_years), or the report counts nothing",
        )


def _lots(s: Scenario) -> Iterator[Found]:
    """A lot fits on the smallest train of its cargo that runs, and a ship carries whole lots."""
    gauges = {sec.gauge_mm for sec in s.sections}
    for i, flow in enumerate(s.flows):
        trains = [t for t in s.train_types if t.cargo == flow.cargo and t.gauge_mm in gauges]
        sizes = [(t.teu_per_train or 0.0, t.id) for t in trains if flow.cargo == "container"]
        sizes += [(t.tonnes_per_train or 0.0, t.id) for t in trains if flow.cargo == "bulk"]
        key, unit = ("lot_teu", "TEU") if flow.cargo == "container" else ("lot_tonnes", "t")
        if sizes and flow.lot_size > min(sizes)[0]:
            size, train = min(sizes)
            yield (
                ("flows", i, key),
                f"got {plain(flow.lot_size)} {unit}, more than the smallest {flow.cargo} train "
                f"({train!r}, {plain(size)} {unit}); expected at most {plain(size)}: a lot "
                "rides on one train and is never split",
            )
        ship = flow.ship_teu_per_call
        if ship is not None and flow.cargo == "container" and ship < flow.lot_teu:
            yield (
                ("flows", i, "ship_teu_per_call"),
                f"got {plain(ship)} TEU, less than one lot ({plain(flow.lot_teu)} TEU); "
                "expected a ship that carries at least one lot",
            )


def _growth(s: Scenario) -> Iterator[Found]:
    """The largest yearly volume a flow reaches (with growth and changes) stays in its bound,
    and its lots a year stay few enough to keep in memory."""
    for i, flow in enumerate(s.flows):
        key = "teu_per_year" if flow.cargo == "container" else "tonnes_per_year"
        unit = "TEU" if flow.cargo == "container" else "t"
        peak = _peak_volume(s, flow)
        if peak > BY_KEY[key].high:
            yield (
                ("flows", i, "growth_per_year"),
                f"with growth_per_year {flow.growth_per_year:g} the flow reaches "
                f"{peak:.3g} {unit} a year by the end of the run; expected at most "
                f"{plain(BY_KEY[key].high)}: {BY_KEY[key].why}",
            )
        elif peak / flow.lot_size > MAX_LOTS_PER_YEAR:
            lot_key = "lot_teu" if flow.cargo == "container" else "lot_tonnes"
            yield (
                ("flows", i, lot_key),
                f"{peak:.3g} {unit} a year in lots of {plain(flow.lot_size)} {unit} is "
                f"{peak / flow.lot_size:.3g} lots a year; expected at most "
                f"{plain(MAX_LOTS_PER_YEAR)} (every lot is tracked in memory): use larger lots",
            )


def _peak_volume(s: Scenario, flow: Flow) -> float:
    """The largest yearly volume of a flow in any year of the run, before seasonality."""
    key = "teu_per_year" if flow.cargo == "container" else "tonnes_per_year"
    volumes = [flow.units_per_year]
    volumes += [c.set[key] for c in s.changes if c.flow == flow.id and key in c.set]
    years = s.horizon_years - 1 if flow.growth_per_year > 0 else 0
    try:
        return max(volumes) * (1.0 + flow.growth_per_year) ** years
    except OverflowError:
        return float("inf")


def _changes(s: Scenario) -> Iterator[Found]:
    """A dated change sets a value inside the bound of the key it changes."""
    for i, ch in enumerate(s.changes):
        for key, values in ch.set.items():
            bound = BY_KEY.get(key)
            for value in values if isinstance(values, tuple) else (values,):
                if bound is not None and not bound.holds(value):
                    yield (
                        ("changes", i, "set", key),
                        f"got {value:g}; expected {bound.words()}: {bound.why}",
                    )
