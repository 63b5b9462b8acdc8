"""Run the 2022 baseline and write the results table of docs/explanation/calibration.md.

    python benchmarks/calibrate.py                    # 10 replications, rewrites the page
    python benchmarks/calibrate.py --replications 3 --no-write      # a quick look

The table sits between two marker lines of the page; everything else on the page is left as
it is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from corridor_measures import TARGETS, Estimate, Target, estimate, measure
from doc_region import check_counts, open_page, page_options, save_page

from simulator import load_scenario, run

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline-2022.yaml"
DOC = ROOT / "docs" / "explanation" / "calibration.md"
START = "<!-- calibration-results:start (written by benchmarks/calibrate.py) -->"
END = "<!-- calibration-results:end -->"
YEAR = 2022


def results_table(scenario_name: str, seed: int, estimates: dict[str, Estimate]) -> str:
    """The markdown results table, one row a target, with a line saying how it was made."""
    reps = next(iter(estimates.values())).replications
    lines = [
        f"Simulated: {reps} replications of `scenarios/{scenario_name}.yaml` (seed {seed}), "
        f"year {YEAR}; mean ± 95% confidence half-width (Student t).",
        "",
        "| target | published value | source | simulated mean ± CI | within tolerance |",
        "|---|---|---|---|---|",
    ]
    for target in TARGETS:
        est = estimates[target.key]
        lines.append(
            f"| {target.key}: {target.label} | {target.published} | {target.source} "
            f"| {_format(target, est)} | {'yes' if target.holds(est.mean) else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def _format(target: Target, est: Estimate) -> str:
    d = target.digits
    return f"{est.mean:,.{d}f} ± {est.ci95:,.{d}f} {target.unit}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options (a confidence interval needs two replications at least)."""
    parser = page_options(__doc__.split("\n\n")[0], 10, DOC)
    args = parser.parse_args(argv)
    check_counts(parser, args, 2)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run, measure, print the table and write it into the page; 2 on bad input."""
    args = parse_args(argv)
    scenario = open_page(args, START, END, lambda: load_scenario(SCENARIO))
    if scenario is None:
        return 2
    runs = run(scenario, args.replications, jobs=args.jobs)
    values = measure(scenario, runs, YEAR)
    table = results_table(scenario.name, scenario.seed, {k: estimate(v) for k, v in values.items()})
    print(table)
    save_page(args, START, END, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
