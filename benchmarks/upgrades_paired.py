"""Does more capacity ever deliver less? Each bundled upgrade against the baseline, year by year.

Usage: python benchmarks/upgrades_paired.py [--replications 3] [--jobs 2] [FILE ...]
Runs the baseline over each upgrade's horizon and the upgrade itself with the same seeds
(common random numbers), and prints per year the mean paired difference in delivered tonnes
with its 95% confidence half-width (Student t). A year fails when the whole interval lies
below zero: the upgrade delivers less than the baseline.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from simulator import load_scenario, run
from simulator.records.results import RunResult
from simulator.report.stats import ci_half_width
from simulator.scenario.calendar import Calendar

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
UPGRADES = (
    "dostyk-moiynty-2025.yaml",
    "border-exchange-2025.yaml",
    "bakhty-ayagoz-2027.yaml",
    "xian-terminal-2024.yaml",
    "all-upgrades.yaml",
)


def yearly_tonnes(result: RunResult, years: int) -> np.ndarray:
    """Delivered tonnes per calendar year of one replication."""
    cal = Calendar(result.start_date, years)
    delivered = result.lots["delivered_h"]
    tonnes = result.lots["tonnes"]
    return np.array(
        [tonnes[(delivered >= lo) & (delivered < hi)].sum() for _, lo, hi in cal.year_bounds()]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Compare each upgrade with the baseline; exit 1 if any year delivers less."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="*", default=list(UPGRADES))
    p.add_argument("--replications", type=int, choices=range(2, 21), default=3, metavar="N")
    p.add_argument("--jobs", type=int, choices=range(1, 65), default=2, metavar="N")
    args = p.parse_args(argv)
    base = load_scenario(SCENARIOS / "baseline-2022.yaml")
    baselines: dict[int, list[np.ndarray]] = {}
    failed = False
    for file in args.files:
        upgrade = load_scenario(SCENARIOS / file)
        years = upgrade.horizon_years
        if years not in baselines:
            longer = base.model_copy(update={"horizon_years": years})
            runs = run(longer, args.replications, jobs=args.jobs)
            baselines[years] = [yearly_tonnes(r, years) for r in runs]
        ups = [yearly_tonnes(r, years) for r in run(upgrade, args.replications, jobs=args.jobs)]
        diff = np.array(ups) - np.array(baselines[years])
        print(f"{file}: upgrade − baseline, Mt delivered (mean ± 95% half-width)")
        for y in range(years):
            mean, half = diff[:, y].mean() / 1e6, ci_half_width(diff[:, y]) / 1e6
            verdict = "LESS" if mean + half < 0 else "ok"
            failed |= verdict == "LESS"
            year = upgrade.start_date.year + y
            print(f"  {year}: {mean:+7.2f} ± {half:5.2f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
