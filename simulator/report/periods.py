"""Calendar years and months of a run after its warm-up, as hour windows that records fall into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from simulator.report.stats import grouped_totals
from simulator.scenario.calendar import Calendar


@dataclass(frozen=True)
class Periods:
    """Consecutive windows [lo, hi) of hours, each labelled by (year, month); month 0 for years.

    The first window starts at the end of the warm-up when the warm-up ends inside it;
    `fraction` is the part of each calendar period (within the horizon) that is counted.
    """

    labels: tuple[tuple[int, int], ...]
    lo: np.ndarray
    hi: np.ndarray
    full_hours: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def fraction(self) -> np.ndarray:
        """Counted share of each period's hours (below 1 only where the warm-up ends)."""
        return (self.hi - self.lo) / self.full_hours

    def index(self, hours: np.ndarray) -> np.ndarray:
        """Window index of each hour, or -1 for hours in the warm-up or past the horizon."""
        h = np.asarray(hours, dtype=float)
        if not len(self):
            return np.full(h.shape, -1, dtype=np.int64)
        idx = np.searchsorted(self.lo, h, side="right") - 1
        inside = (idx >= 0) & (h < self.hi[np.clip(idx, 0, None)])
        return np.where(inside, idx, -1).astype(np.int64)


def year_periods(start_date: dt.date, horizon_years: int, warmup_hours: float) -> Periods:
    """The calendar years a run touches, each cut to the part after the warm-up."""
    bounds = [(y, 0, lo, hi) for y, lo, hi in Calendar(start_date, horizon_years).year_bounds()]
    return _after_warmup(bounds, warmup_hours)


def month_periods(start_date: dt.date, horizon_years: int, warmup_hours: float) -> Periods:
    """The calendar months a run touches, each cut to the part after the warm-up."""
    return _after_warmup(Calendar(start_date, horizon_years).month_bounds(), warmup_hours)


def _after_warmup(bounds: list[tuple[int, int, float, float]], warmup_hours: float) -> Periods:
    kept = [(y, m, max(lo, warmup_hours), hi, hi - lo) for y, m, lo, hi in bounds]
    kept = [k for k in kept if k[3] > k[2]]
    return Periods(
        labels=tuple((y, m) for y, m, *_ in kept),
        lo=np.array([k[2] for k in kept], dtype=float),
        hi=np.array([k[3] for k in kept], dtype=float),
        full_hours=np.array([k[4] for k in kept], dtype=float),
    )


def period_totals(
    group: np.ndarray,
    n_groups: int,
    hours: np.ndarray,
    periods: Periods,
    tonnes: np.ndarray,
    teu: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tonnes, TEU and rows per (group, period), at index group * len(periods) + period.

    Rows whose hour falls in no period (warm-up, past the horizon) are left out.
    """
    pi = periods.index(hours)
    ok = pi >= 0
    key = np.asarray(group)[ok].astype(np.int64) * len(periods) + pi[ok]
    return grouped_totals(key, n_groups * len(periods), np.asarray(tonnes)[ok], np.asarray(teu)[ok])
