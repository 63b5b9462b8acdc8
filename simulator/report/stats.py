"""Small statistics for reports: Student t half-widths, percentiles and queue lengths (numpy only).

Pure functions of arrays, so that report tables can be checked against numbers worked by hand.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np


@functools.lru_cache(maxsize=256)
def t_critical(df: int, confidence: float = 0.95) -> float:
    """Two-sided Student t critical value: P(|T| <= t) = confidence with `df` degrees of freedom.

    Found by bisection and remembered: a report asks for the same few values hundreds of times."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    hi = 1.0
    while _t_central(hi, df) < confidence:
        hi *= 2.0
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _t_central(mid, df) < confidence:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * hi:
            break
    return 0.5 * (lo + hi)


def _t_central(t: float, df: int) -> float:
    """P(|T| <= t) for integer df, by the closed forms of Abramowitz and Stegun 26.7.3-4."""
    theta = math.atan(t / math.sqrt(df))
    s, c2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2 == 1:
        total, term = 0.0, math.cos(theta)
        for k in range(1, (df - 1) // 2 + 1):
            total += term
            term *= c2 * (2 * k) / (2 * k + 1)
        return (2.0 / math.pi) * (theta + s * total) if df > 1 else 2.0 * theta / math.pi
    total, term = 0.0, 1.0
    for k in range(1, df // 2 + 1):
        total += term
        term *= c2 * (2 * k - 1) / (2 * k)
    return s * total


def ci_half_width(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> float:
    """Student t half-width of the mean's confidence interval; 0 for fewer than two values."""
    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        return 0.0
    sd = float(np.std(x, ddof=1))
    return t_critical(len(x) - 1, confidence) * sd / math.sqrt(len(x))


def percentile(values: np.ndarray, q: float) -> float:
    """The q-th percentile (0-100, linear interpolation); NaN for no values."""
    x = np.asarray(values, dtype=float)
    return float(np.percentile(x, q)) if len(x) else math.nan


def mean_or_nan(values: np.ndarray) -> float:
    """Arithmetic mean; NaN (not a warning) for no values."""
    x = np.asarray(values, dtype=float)
    return float(x.mean()) if len(x) else math.nan


def queue_stats(
    arrive_h: np.ndarray, start_h: np.ndarray, lo_h: float, hi_h: float
) -> tuple[float, int]:
    """Time-weighted mean and maximum of the trains waiting (arrive_h <= t < start_h) in [lo, hi)."""
    if hi_h <= lo_h:
        return math.nan, 0
    lo_h, hi_h = float(lo_h), float(hi_h)
    a = np.maximum(np.asarray(arrive_h, dtype=float), lo_h)
    s = np.minimum(np.asarray(start_h, dtype=float), hi_h)
    keep = s > a
    a, s = a[keep], s[keep]
    if len(a) == 0:
        return 0.0, 0
    mean = float(np.sum(s - a)) / (hi_h - lo_h)
    times = np.concatenate([s, a])
    steps = np.concatenate([np.full(len(s), -1), np.ones(len(a), dtype=int)])
    order = np.lexsort((steps, times))  # at equal times, departures (-1) before arrivals
    return mean, int(np.max(np.cumsum(steps[order])))


def queue_at(arrive_h: np.ndarray, start_h: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Trains waiting (arrive_h <= t < start_h) at each of the given hours."""
    a = np.sort(np.asarray(arrive_h, dtype=float))
    s = np.sort(np.asarray(start_h, dtype=float))
    t = np.asarray(hours, dtype=float)
    return np.searchsorted(a, t, side="right") - np.searchsorted(s, t, side="right")


def grouped_totals(
    key: np.ndarray, size: int, tonnes: np.ndarray, teu: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sums of tonnes and TEU, and row counts, per integer group 0..size-1 (float64 sums)."""
    return (
        np.bincount(key, weights=np.asarray(tonnes, dtype=float), minlength=size),
        np.bincount(key, weights=np.asarray(teu, dtype=float), minlength=size),
        np.bincount(key, minlength=size),
    )
