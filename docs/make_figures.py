"""Regenerate the chart images the docs show, from the bundled tutorial scenario.

Usage (from the top of the repository): python docs/make_figures.py [--out docs/images]

It runs scenarios/tutorial.yaml for two years with two replications, writes every chart of
`write_charts`, and a comparison of more demand without and with a fourth transshipment track at
Dostyk. Images are small PNGs (100 dpi) so they can be committed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from simulator.experiment.replications import run
from simulator.plots import compare_runs, write_charts
from simulator.plots.chart_files import save_figure
from simulator.report.build import Report, build_report
from simulator.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "tutorial.yaml"
SHORT_RUN = ("horizon_years=2", "replications=2")
MORE_DEMAND = ("flows.xian-europe.teu_per_year=400_000",)
FOURTH_TRACK = ("nodes.dostyk.handling.slots=4",)
COMPARE_FILE = "compare-more-demand-fourth-track.png"


def tutorial_report(overrides: Sequence[str] = ()) -> Report:
    """The report of a short tutorial run, with extra `--set` style overrides."""
    scenario = load_scenario(SCENARIO, [*SHORT_RUN, *overrides])
    return build_report(scenario, run(scenario))


def make_figures(out: Path) -> list[Path]:
    """Write the docs' images into `out` and return their paths."""
    paths = write_charts(tutorial_report(), out, "png")
    demand = tutorial_report(MORE_DEMAND)
    track = tutorial_report([*MORE_DEMAND, *FOURTH_TRACK])
    fig = compare_runs(demand, track, "400k TEU", "400k TEU and a 4th track")
    save_figure(fig, out / COMPARE_FILE, "png")
    return [*paths, out / COMPARE_FILE]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse --out and write the images."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    for path in make_figures(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
