"""Demand as arrays: lot release times of a flow, a year at a time, from a Poisson process.

The rate follows the yearly volume (with dated changes), the yearly growth and the monthly
seasonality; it is piecewise constant between month starts and change dates, so a year's lots
are drawn with a handful of numpy calls and never cost simulation events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from simulator.engine.randomness import stream
from simulator.engine.timeline import StepFunction
from simulator.scenario.calendar import Calendar
from simulator.scenario.model import Flow, Scenario


def volume_timeline(scenario: Scenario, flow: Flow, cal: Calendar) -> StepFunction:
    """Yearly volume (flow units a year, before growth) in force at each hour."""
    key = "teu_per_year" if flow.cargo == "container" else "tonnes_per_year"
    steps = StepFunction.constant(flow.units_per_year)
    for ch in sorted(scenario.changes, key=lambda c: c.date):
        if ch.flow == flow.id and key in ch.set:
            steps = steps.with_step(cal.hours(ch.date), ch.set[key])
    return steps


def trains_a_day(
    scenario: Scenario, flow: Flow, cal: Calendar, train_size: float | None
) -> Callable[[float], float]:
    """A flow's mean demand in trains a day at an hour (volume and growth, no seasonality)."""
    if not train_size:
        return lambda hour: 0.0
    volume = volume_timeline(scenario, flow, cal)
    start, growth = cal.start_date.year, 1.0 + flow.growth_per_year

    def at(hour: float) -> float:
        return volume.at(hour) * growth ** (cal.year_of(hour) - start) / train_size / 365.0

    return at


def rate_pieces(
    flow: Flow, cal: Calendar, volume: StepFunction, year: int, units_per_item: float
) -> list[tuple[float, float, float]]:
    """(start hour, end hour, items per hour) pieces of one calendar year inside the horizon."""
    season = flow.seasonality or (1.0,) * 12
    growth = (1.0 + flow.growth_per_year) ** (year - cal.start_date.year)
    hours_in_year = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days * 24.0
    pieces = []
    for y, month, lo, hi in cal.month_bounds():
        if y != year:
            continue
        cuts = [lo, *(h for h in volume.hours if lo < h < hi), hi]
        for a, b in zip(cuts, cuts[1:], strict=False):
            per_hour = volume.at(a) * growth * season[month - 1] / hours_in_year
            pieces.append((a, b, per_hour / units_per_item))
    return pieces


def poisson_times(rng: np.random.Generator, pieces: list[tuple[float, float, float]]) -> np.ndarray:
    """Sorted event times of a Poisson process with a piecewise-constant rate."""
    chunks = []
    for lo, hi, rate in pieces:
        n = rng.poisson(rate * (hi - lo)) if rate > 0 else 0
        if n:
            chunks.append(np.sort(rng.uniform(lo, hi, n)))
    return np.concatenate(chunks) if chunks else np.empty(0)


def lot_times(
    scenario: Scenario,
    flow: Flow,
    cal: Calendar,
    replication: int,
    year: int,
    per_item: float,
    source: str = "demand",
) -> np.ndarray:
    """Release times of a flow's items (lots, or ship calls) in one calendar year.

    The stream is keyed by flow and year, so a year's demand does not depend on how the run is
    cut into route epochs, and two scenarios with the same flow share it.
    """
    rng = stream(scenario.seed, replication, f"{source}/{flow.id}/{year}")
    volume = volume_timeline(scenario, flow, cal)
    return poisson_times(rng, rate_pieces(flow, cal, volume, year, per_item))
