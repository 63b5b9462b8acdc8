"""Corridor shares of China–Europe trains in eurasia-2024.yaml, from route choice.

Usage: python benchmarks/eurasia_shares.py [--replications 4]
Counts, per replication, the China–Europe trains formed on each route group (the corridor
label of the crossing they use: kazakhstan, mongolia, zabaikalsk, trans-caspian), read from the
yearly table's `route` rows, and prints the mean share with its 95% half-width, next to the
published 2022–2024 shares (docs/explanation/calibration.md). Kazakh, Central Asian and
Trans-Caspian flows of the baseline are left out: they are not China–Europe trains.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from simulator import build_report, load_scenario, simulate
from simulator.report.stats import ci_half_width

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "eurasia-2024.yaml"
CHINA_EUROPE = (
    "china-europe", "europe-china", "west-russia", "russia-west", "centre-russia",
    "russia-centre", "centre-europe", "north-russia", "russia-north", "northeast-russia",
    "russia-northeast",
)  # fmt: skip
PUBLISHED = {"kazakhstan": "≈ 48–51%", "zabaikalsk": "≈ 33–35%", "mongolia": "≈ 15–19%"}


def shares(replication: int) -> dict[str, float]:
    """Percent of China–Europe trains per route group in one replication, from the yearly
    table's `route` rows (trains each flow formed on each corridor's routes)."""
    scenario = load_scenario(SCENARIO)
    report = build_report(scenario, [simulate(scenario, replication)])
    trains: Counter[str] = Counter()
    for row in report.yearly.where(kind="route"):
        if row["name"] in CHINA_EUROPE:
            trains[row["direction"]] += row["trains"]
    total = sum(trains.values())
    return {group: 100.0 * n / total for group, n in trains.items()}


def main(argv: Sequence[str] | None = None) -> None:
    """Run the replications and print the table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--replications", type=int, choices=range(1, 21), default=4, metavar="N")
    args = p.parse_args(argv)
    runs = [shares(r) for r in range(args.replications)]
    print("| route group | model share of China–Europe trains | published |")
    print("|---|---|---|")
    for group in sorted({g for run in runs for g in run} | set(PUBLISHED)):  # 0% shown too
        values = [run.get(group, 0.0) for run in runs]
        mean = sum(values) / len(values)
        half = ci_half_width(values)
        print(f"| {group} | {mean:.1f}% ± {half:.1f} | {PUBLISHED.get(group, '—')} |")


if __name__ == "__main__":
    main()
