"""Paired comparison of scenarios run on common random numbers: differences and their CIs.

Replication k of every scenario draws from the same named streams (same seed), so the
difference of replication k's yearly tonnes is one paired observation; its Student t interval
is usually much narrower than the interval of the difference of two independent means.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.report.build import Report
from simulator.report.stats import ci_half_width, t_critical
from simulator.report.tables import Table
from simulator.report.yearly_tables import YEARLY_KINDS

COMPARE_COLUMNS = (
    "variant",
    "year",
    "kind",
    "name",
    "replications",
    "base_mean",
    "variant_mean",
    "difference",
    "ci95",
    "ci95_low",
    "ci95_high",
    "significant",
)
"""One row per variant, year, counting point, corridor and flow (both directions added)."""

COMPARED_KINDS = ("border", "section", "group", "flow", "total")
"""Yearly kinds compared: crossings, sections, corridor (route group) labels, flows, total."""


@dataclass(frozen=True)
class Difference:
    """Mean of variant - base over paired replications, its 95% half-width and verdict."""

    mean: float
    ci95: float  # NaN with fewer than two pairs
    replications: int

    @property
    def low(self) -> float:
        return self.mean - self.ci95

    @property
    def high(self) -> float:
        return self.mean + self.ci95

    @property
    def significant(self) -> str:
        """'yes' when the 95% interval excludes zero, 'no' when not, 'n/a' for one pair."""
        if math.isnan(self.ci95):
            return "n/a"
        return "yes" if self.low > 0 or self.high < 0 else "no"


def paired_difference(base: Sequence[float], variant: Sequence[float]) -> Difference:
    """Mean and Student t 95% half-width of the per-replication differences variant - base."""
    b, v = np.asarray(base, dtype=float), np.asarray(variant, dtype=float)
    if b.shape != v.shape or b.ndim != 1 or len(b) == 0:
        raise ValueError("paired values need the same, non-zero number of replications")
    d = v - b
    ci = ci_half_width(d) if len(d) > 1 else math.nan
    return Difference(float(d.mean()), ci, len(d))


def unpaired_half_width(base: Sequence[float], variant: Sequence[float]) -> float:
    """Welch 95% half-width of mean(variant) - mean(base), as if the runs were independent."""
    b, v = np.asarray(base, dtype=float), np.asarray(variant, dtype=float)
    vb, vv = np.var(b, ddof=1) / len(b), np.var(v, ddof=1) / len(v)
    se2 = vb + vv
    if se2 == 0:
        return 0.0
    df = se2**2 / (vb**2 / (len(b) - 1) + vv**2 / (len(v) - 1))
    return t_critical(max(1, math.floor(df))) * math.sqrt(se2)


def _values(report: Report) -> dict[tuple[int, str, str], dict[int, float]]:
    """(year, kind, name) -> replication -> tonnes, both directions, of the compared kinds."""
    out: dict[tuple[int, str, str], dict[int, float]] = {}
    for rep, year, kind, name, direction, tonnes, *_ in report.yearly.rows:
        if kind in COMPARED_KINDS and direction == "both":
            out.setdefault((year, kind, name), {})[rep] = float(tonnes)
    return out


def compare_reports(base: Report, variants: Mapping[str, Report]) -> Table:
    """Per variant, year, crossing, section, corridor, flow and total: means, paired difference, CI."""
    base_values = _values(base)
    rows: list[tuple] = []
    for label, report in variants.items():
        values = _values(report)
        reps = sorted(set(_replications(base)) & set(_replications(report)))
        if not reps:
            raise ValueError(f"{label!r} shares no replication with the base run")
        rank = _rank(base, report)
        keys = sorted(
            set(base_values) | set(values),
            key=lambda k: (k[0], YEARLY_KINDS.index(k[1]), rank[(k[1], k[2])]),
        )
        for key in keys:
            b = [base_values.get(key, {}).get(r, 0.0) for r in reps]
            v = [values.get(key, {}).get(r, 0.0) for r in reps]
            diff = paired_difference(b, v)
            rows.append(
                (
                    label,
                    *key,
                    len(reps),
                    float(np.mean(b)),
                    float(np.mean(v)),
                    diff.mean,
                    diff.ci95,
                    diff.low,
                    diff.high,
                    diff.significant,
                )
            )
    return Table(COMPARE_COLUMNS, tuple(rows))


def _replications(report: Report) -> list[int]:
    return sorted(set(report.yearly.column("replication")))


def _rank(base: Report, variant: Report) -> dict[tuple[str, str], int]:
    """(kind, name) in the base report's order, then the variant's new ones."""
    entities = (tuple(r[2:4]) for t in (base.yearly, variant.yearly) for r in t.rows)
    return {entity: i for i, entity in enumerate(dict.fromkeys(entities))}


def year_bottlenecks(report: Report) -> dict[int, str]:
    """The bottleneck resource of each year: the report's first-ranked one."""
    return {row["year"]: row["resource"] for row in report.bottlenecks.where(rank=1)}


def bottleneck_table(base_label: str, reports: Mapping[str, Report]) -> Table:
    """Per year, the bottleneck in each scenario (the base first)."""
    per = {label: year_bottlenecks(r) for label, r in reports.items()}
    years = sorted({y for b in per.values() for y in b})
    rows = tuple((y, *(per[label].get(y, "") for label in per)) for y in years)
    return Table(("year", *per), rows)
