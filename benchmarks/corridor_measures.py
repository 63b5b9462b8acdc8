"""The calibration targets V1–V7 of the real corridor, measured on run records.

Shared by benchmarks/calibrate.py, benchmarks/bottlenecks.py and the calibration tests, so that
the docs and the tests measure the same thing in the same way. The published values and their
sources are those of docs/explanation/calibration.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator import RunResult, Scenario, Table, build_report
from simulator.report.stats import ci_half_width

CONTAINER = 0
CHINESE_SIDE = {"dostyk": "alashankou-dostyk", "altynkol": "khorgos-altynkol"}
OUTSIDE_KAZAKHSTAN = frozenset({"astana-europe"})


@dataclass(frozen=True)
class Target:
    """One published figure the baseline should reproduce, with its tolerance band."""

    key: str
    label: str
    published: str
    source: str
    low: float
    high: float
    unit: str
    digits: int

    def holds(self, mean: float) -> bool:
        """True when a simulated mean lies inside the tolerance band."""
        return self.low <= mean <= self.high


TARGETS: tuple[Target, ...] = (
    Target(
        "V1",
        "Kazakhstan–China rail tonnage, both directions",
        "23.0 Mt ± 5%",
        "railjournal.com (freight traffic sets new records in Kazakhstan); CGTN, May 2023",
        23.0 * 0.95,
        23.0 * 1.05,
        "Mt",
        2,
    ),
    Target(
        "V2",
        "Dostyk share of the two crossings' tonnage",
        "59% ± 6 points",
        "derived from railways.kz (Jan–Jul 2023 figures and growth rates)",
        53.0,
        65.0,
        "%",
        1,
    ),
    Target(
        "V3",
        "trains a day on the Horgos side, in + out",
        "19 ± 10%",
        "shine.cn, 2022-12",
        19.0 * 0.9,
        19.0 * 1.1,
        "trains/day",
        2,
    ),
    Target(
        "V4",
        "trains a day on the Alashankou side, in + out",
        "17 ± 10%",
        "en.people.cn, 2023-07",
        17.0 * 0.9,
        17.0 * 1.1,
        "trains/day",
        2,
    ),
    Target(
        "V5",
        "container trains' speed across Kazakhstan",
        "800–950 km/day",
        "Kazakh network, 2022 (941 km/day in H1 2018)",
        800.0,
        950.0,
        "km/day",
        0,
    ),
    Target(
        "V6",
        "Chinese border (Dostyk) → Polish border, containers",
        "6–8 days",
        "index1520.com, 2024-01",
        6.0,
        8.0,
        "days",
        2,
    ),
    Target(
        "V7t",
        "Trans-Caspian route via Aktau, tonnes",
        "1.49 Mt ± 10%",
        "report.az ; middlecorridor.com",
        1.49 * 0.9,
        1.49 * 1.1,
        "Mt",
        3,
    ),
    Target(
        "V7u",
        "Trans-Caspian route via Aktau, containers",
        "33.6k TEU ± 10%",
        "report.az ; middlecorridor.com",
        33.6 * 0.9,
        33.6 * 1.1,
        "kTEU",
        1,
    ),
)


@dataclass(frozen=True)
class Estimate:
    """Mean over replications and the Student t 95% half-width."""

    mean: float
    ci95: float
    replications: int

    @property
    def low(self) -> float:
        """Lower end of the 95% confidence interval."""
        return self.mean - self.ci95

    @property
    def high(self) -> float:
        """Upper end of the 95% confidence interval."""
        return self.mean + self.ci95


def estimate(values: Sequence[float]) -> Estimate:
    """Mean and 95% half-width of per-replication values (half-width 0 for one value)."""
    arr = np.asarray(values, dtype=float)
    return Estimate(float(arr.mean()), ci_half_width(arr), len(arr))


def measure(scenario: Scenario, runs: Sequence[RunResult], year: int) -> dict[str, list[float]]:
    """Every target's value in one calendar year, one value per replication."""
    yearly = build_report(scenario, runs).yearly.where(year=year, direction="both")
    days = 366 if year % 4 == 0 else 365
    out: dict[str, list[float]] = {t.key: [] for t in TARGETS}
    for run in runs:
        rows = yearly.where(replication=run.replication)
        tonnes = {b: _cell(rows, "border", b, "tonnes") for b in CHINESE_SIDE}
        both = sum(tonnes.values())
        out["V1"].append(both / 1e6)
        out["V2"].append(100.0 * tonnes["dostyk"] / both if both else math.nan)
        out["V3"].append(_cell(rows, "section", CHINESE_SIDE["altynkol"], "trains") / days)
        out["V4"].append(_cell(rows, "section", CHINESE_SIDE["dostyk"], "trains") / days)
        out["V5"].append(kazakh_speed_km_per_day(scenario, run))
        out["V6"].append(border_to_europe_days(run))
        out["V7t"].append(_cell(rows, "node", "aktau", "tonnes") / 1e6)
        out["V7u"].append(_cell(rows, "node", "aktau", "teu") / 1e3)
    return out


def _cell(rows: Table, kind: str, name: str, column: str) -> float:
    values = rows.where(kind=kind, name=name).column(column)
    return float(sum(values))


def kazakh_speed_km_per_day(scenario: Scenario, run: RunResult) -> float:
    """Kilometres over days of container trains on Kazakh 1520 mm sections, queues included.

    Each train's time runs from reaching its first Kazakh section to leaving its last one, so
    waits for a section's headway count; the sum of kilometres is divided by the sum of days.
    """
    length = {
        s.key: s.length_km
        for s in scenario.sections
        if s.gauge_mm == 1520 and s.key not in OUTSIDE_KAZAKHSTAN
    }
    index = {r.name: i for i, r in enumerate(run.resources) if r.kind == "section"}
    km_of = np.zeros(len(run.resources))
    for key, km in length.items():
        km_of[index[key]] = km
    v = run.visits
    keep = (v["cargo"] == CONTAINER) & (km_of[v["resource"]] > 0)
    trains = v["train"][keep]
    if trains.size == 0:
        return math.nan
    _, inv = np.unique(trains, return_inverse=True)
    km = np.bincount(inv, weights=km_of[v["resource"][keep]])
    first = np.full(km.size, np.inf)
    last = np.full(km.size, -np.inf)
    np.minimum.at(first, inv, v["arrive_h"][keep])
    np.maximum.at(last, inv, v["end_h"][keep])
    return float(km.sum() / (last - first).sum() * 24.0)


def border_to_europe_days(run: RunResult, entry: str = "dostyk", exit_: str = "europe") -> float:
    """Mean days from a container reaching Dostyk from China to its reaching the Polish border.

    Containers change trains at the border, so the trip has two parts. The time at the border
    (exchange, handling, waiting for an onward train) matches, in first-in first-out order, the
    TEU reaching it from China with the TEU leaving on trains formed there. The trip beyond
    follows each train formed at the border that reaches the exit. Only what reached the border
    more than 30 days before the end counts. Under route choice some of those containers go
    elsewhere in Kazakhstan; their time at the border is pooled with that of the Europe-bound.
    """
    names = [r.name for r in run.resources]
    nodes = list(run.nodes)
    v = run.visits
    cutoff = run.horizon_hours - 30 * 24.0
    container = v["cargo"] == CONTAINER
    into = (
        container
        & (v["resource"] == names.index(entry))
        & (v["prev"] == nodes.index(CHINESE_SIDE[entry].split("-")[0]))
        & (v["arrive_h"] < cutoff)
    )
    formed = _formed_at(run, entry)
    t_out = np.array(list(formed.values()))[:, 0] if formed else np.zeros(0)
    teu_out = np.array(list(formed.values()))[:, 1] if formed else np.zeros(0)
    dwell_h = _matched_mean_hours(v["arrive_h"][into], v["teu"][into].astype(float), t_out, teu_out)
    ending = (v["resource"] == names.index(exit_)) & (v["next"] == -1)
    reached = dict(zip(v["train"][ending].tolist(), v["arrive_h"][ending].tolist(), strict=True))
    trips = [
        (reached[k] - dep, teu) for k, (dep, teu) in formed.items() if dep < cutoff and k in reached
    ]
    if not trips or math.isnan(dwell_h):
        return math.nan
    hours, teu = np.array(trips).T
    return (dwell_h + float((hours * teu).sum() / teu.sum())) / 24.0


def _formed_at(run: RunResult, entry: str) -> dict[int, tuple[float, float]]:
    """Container trains whose journey starts at `entry`: departure hour and TEU, by train."""
    names = [r.name for r in run.resources]
    v = run.visits
    order = np.lexsort((v["arrive_h"], v["train"]))
    train, resource = v["train"][order], v["resource"][order]
    first = np.r_[True, train[1:] != train[:-1]]
    starts = [i for i, n in enumerate(names) if n == entry or n.startswith(entry + "-")]
    keep = first & np.isin(resource, starts) & (v["cargo"][order] == CONTAINER)
    return {
        int(k): (float(t), float(teu))
        for k, t, teu in zip(
            train[keep], v["arrive_h"][order][keep], v["teu"][order][keep], strict=True
        )
    }


def _matched_mean_hours(
    t_in: np.ndarray, teu_in: np.ndarray, t_out: np.ndarray, teu_out: np.ndarray
) -> float:
    """Mean hours between the TEU arriving (all of them) and the first as many TEU leaving."""
    total = float(teu_in.sum())
    order = np.argsort(t_out)
    t_out, teu_out = t_out[order], teu_out[order]
    if total <= 0 or teu_out.sum() < total:
        return math.nan
    cum = np.cumsum(teu_out)
    k = int(np.searchsorted(cum, total))
    taken = teu_out[: k + 1].copy()
    taken[-1] -= cum[k] - total
    exit_sum = float((taken * t_out[: k + 1]).sum())
    return (exit_sum - float((teu_in * t_in).sum())) / total
