"""When to stop adding replications: the 95% half-width against a share of the mean.

`--replications auto --precision 2%` runs a few replications, then asks `replications_wanted`
how many it needs in all; the estimate scales the count by (half-width / target)^2, since a
half-width shrinks as one over the square root of the replications.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simulator.report.replication_tables import ReplicationTables
from simulator.report.stats import ci_half_width
from simulator.report.yearly_tables import TOTAL_NAME

FIRST_ROUND = 3
"""Replications run before the first check (fewer give a half-width too rough to trust)."""


def mean_yearly_total(tables: ReplicationTables) -> float:
    """One replication's delivered tonnes a year, all flows, averaged over its years."""
    values = [
        row["tonnes"]
        for row in tables.yearly_cells
        if row["kind"] == "total" and row["name"] == TOTAL_NAME and row["direction"] == "both"
    ]
    return float(np.mean(values)) if values else 0.0


def precise_enough(values: Sequence[float], scale: float, share: float) -> bool:
    """True when the 95% half-width of the mean of `values` is at most share * |scale|."""
    if len(values) < 2:
        return False
    return ci_half_width(values) <= share * abs(scale)


def replications_wanted(
    series: Sequence[Sequence[float]], scales: Sequence[float], share: float, maximum: int
) -> int:
    """Replications every series needs in all for its half-width to reach share * |scale|.

    All series have the same count n; the answer is n when each is precise enough or n has
    reached `maximum`, else between n + 1 and `maximum`.
    """
    n = len(series[0])
    if n >= maximum:
        return n
    wanted = n
    for values, scale in zip(series, scales, strict=True):
        if precise_enough(values, scale, share):
            continue
        target = share * abs(scale)
        hw = ci_half_width(values)
        guess = math.ceil(n * (hw / target) ** 2) if target > 0 and n > 1 else maximum
        wanted = max(wanted, n + 1, guess)
    return min(wanted, maximum)
