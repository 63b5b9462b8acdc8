"""Does more capacity ever deliver less? Each bundled upgrade against the baseline, year by year.

Usage: python benchmarks/upgrades_paired.py [--replications 3] [--jobs 2] [FILE ...]
(FILE: a scenario's path, or the name of one in scenarios/; default: every bundled upgrade)
Runs the baseline over each upgrade's horizon and the upgrade itself with the same seeds
(common random numbers), and prints per year the mean paired difference in delivered tonnes
and TEU with their 95% confidence half-widths (Student t). A year fails when the whole interval
of tonnes lies below zero: the upgrade delivers less than the baseline. A scenario that
adds demand (a flow's volume raised by its changes, as xian-traffic-2024.yaml) is not an upgrade
and may deliver fewer tonnes at a full crossing, its lighter container trains taking the place of
bulk trains; it fails only where its TEU fall too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from simulator import ScenarioError, load_scenario, run
from simulator.records.results import RunResult
from simulator.report.stats import ci_half_width
from simulator.scenario.calendar import Calendar
from simulator.scenario.model import Scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
UPGRADES = (
    "dostyk-moiynty-2025.yaml",
    "border-exchange-2025.yaml",
    "bakhty-ayagoz-2027.yaml",
    "xian-terminal-2024.yaml",
    "all-upgrades.yaml",
    "xian-traffic-2024.yaml",  # a change of demand, compared in the same way
)


def yearly_delivered(result: RunResult, years: int, column: str = "tonnes") -> np.ndarray:
    """Delivered tonnes (or TEU) per calendar year of one replication."""
    cal = Calendar(result.start_date, years)
    delivered = result.lots["delivered_h"]
    amount = result.lots[column]
    return np.array(
        [amount[(delivered >= lo) & (delivered < hi)].sum() for _, lo, hi in cal.year_bounds()]
    )


def scenario_file(file: str) -> Path:
    """A scenario given by path, or by the name of a bundled one (in scenarios/)."""
    path = Path(file)
    return path if path.exists() else SCENARIOS / file


def adds_demand(scenario: Scenario) -> bool:
    """True when a dated change raises a flow's volume (the upgrade brings traffic of its own)."""
    keys = {"teu_per_year", "tonnes_per_year"}
    return any(c.flow is not None and keys & set(c.set) for c in scenario.changes)


def main(argv: Sequence[str] | None = None) -> int:
    """Compare each upgrade with the baseline; exit 1 if any year delivers less."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="*", default=list(UPGRADES))
    p.add_argument("--replications", type=int, choices=range(2, 21), default=3, metavar="N")
    p.add_argument("--jobs", type=int, choices=range(1, 65), default=2, metavar="N")
    args = p.parse_args(argv)
    try:  # every file first, so a wrong name fails before minutes of simulation
        base = load_scenario(SCENARIOS / "baseline-2022.yaml")
        upgrades = [load_scenario(scenario_file(file)) for file in args.files]
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    baselines: dict[int, list[RunResult]] = {}
    failed = False
    for file, upgrade in zip(args.files, upgrades, strict=True):
        years = upgrade.horizon_years
        if years not in baselines:
            longer = base.model_copy(update={"horizon_years": years})
            baselines[years] = run(longer, args.replications, jobs=args.jobs)
        ups = run(upgrade, args.replications, jobs=args.jobs)
        diff = {
            column: np.array([yearly_delivered(r, years, column) for r in ups])
            - np.array([yearly_delivered(r, years, column) for r in baselines[years]])
            for column in ("tonnes", "teu")
        }
        more = adds_demand(upgrade)
        print(f"{file}: upgrade − baseline, delivered (mean ± 95% half-width)")
        if more:
            print("  (adds demand: fewer tonnes allowed where TEU do not fall)")
        for y in range(years):
            t, teu = diff["tonnes"][:, y], diff["teu"][:, y]
            t_mean, t_half = t.mean() / 1e6, ci_half_width(t) / 1e6
            u_mean, u_half = teu.mean() / 1e3, ci_half_width(teu) / 1e3
            less = t_mean + t_half < 0 and (not more or u_mean + u_half < 0)
            failed |= less
            year = upgrade.start_date.year + y
            print(
                f"  {year}: {t_mean:+7.2f} ± {t_half:5.2f} Mt   {u_mean:+8.1f} ± {u_half:6.1f} kTEU"
                f"  {'LESS' if less else 'ok'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
