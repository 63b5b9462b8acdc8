"""Regenerate the chart images the docs show, from the bundled tutorial scenario.

Usage (from the top of the repository): python docs/make_figures.py [--out docs/images]

It runs scenarios/tutorial.yaml for two years with two replications, writes every chart of
`write_charts`, a comparison of more demand without and with a fourth transshipment track at
Dostyk, the saturation tutorial's two charts, and the README's chart of the 2022 baseline (three
replications). `--only` picks some of these groups. Images are small PNGs (100 dpi) so they can
be committed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from simulator.experiment.replications import run
from simulator.plots import compare_runs, write_charts
from simulator.plots.chart_files import save_figure
from simulator.plots.charts import queue_lengths, yearly_crossings
from simulator.plots.style import label_axes, mean_by, new_figure
from simulator.report.build import Report, build_report
from simulator.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "tutorial.yaml"
SHORT_RUN = ("horizon_years=2", "replications=2")
MORE_DEMAND = ("flows.xian-europe.teu_per_year=400_000",)
FOURTH_TRACK = ("nodes.dostyk.handling.slots=4",)
COMPARE_FILE = "compare-more-demand-fourth-track.png"
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
BASELINE_FILE = "baseline-2022-yearly-crossings.png"
SATURATION_TEU = (200_000, 300_000, 400_000, 500_000)  # as docs/tutorial/saturation.md runs them
SATURATION_FILES = ("saturation-throughput.png", "saturation-queues.png")
GROUPS = ("charts", "compare", "saturation", "baseline")
COMMAND_FILES = ("compare-upgrades.png", "sweep-demand.png")
"""Charts that the commands on their pages write (`brisim compare --plots`, `brisim sweep
--plots`), copied here from those runs: the compare run takes minutes, too long to remake here."""


def tutorial_report(overrides: Sequence[str] = ()) -> Report:
    """The report of a short tutorial run, with extra `--set` style overrides."""
    scenario = load_scenario(SCENARIO, [*SHORT_RUN, *overrides])
    return build_report(scenario, run(scenario))


def make_figures(out: Path, groups: Sequence[str] = GROUPS) -> list[Path]:
    """Write the docs' images of the chosen groups into `out` and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if "charts" in groups:
        paths += write_charts(tutorial_report(), out, "png")
    if "compare" in groups:
        demand = tutorial_report(MORE_DEMAND)
        track = tutorial_report([*MORE_DEMAND, *FOURTH_TRACK])
        fig = compare_runs(demand, track, "400k TEU", "400k TEU and a 4th track")
        paths.append(_save(fig, out / COMPARE_FILE))
    if "saturation" in groups:
        reports = {teu: tutorial_report([f"flows.xian-europe.teu_per_year={teu}"]) for teu in
                   SATURATION_TEU}  # fmt: skip
        paths.append(_save(saturation_chart(reports), out / SATURATION_FILES[0]))
        paths.append(_save(queue_lengths(reports[SATURATION_TEU[-1]]), out / SATURATION_FILES[1]))
    if "baseline" in groups:
        scenario = load_scenario(BASELINE, ["replications=3"])
        report = build_report(scenario, run(scenario))
        paths.append(_save(yearly_crossings(report), out / BASELINE_FILE))
    return paths


def saturation_chart(reports: dict[int, Report]) -> Figure:
    """Tonnes through Dostyk and median transit time against the container demand (2023)."""
    fig = new_figure()
    ax_t, ax_d = fig.subplots(1, 2)
    teu = sorted(reports)
    x = [t / 1000 for t in teu]
    tonnes, ci, days = [], [], []
    for t in teu:
        summary = reports[t].yearly_summary.where(year=2023, kind="border", direction="both")
        (row,) = summary.where(name="dostyk")
        tonnes.append(row["tonnes_mean"] / 1e6)
        ci.append(row["tonnes_ci95"] / 1e6)
        flows = mean_by(reports[t].flows, ["flow", "year"], "transit_p50_days")
        days.append(flows[("xian-europe", 2023)])
    ax_t.errorbar(x, tonnes, yerr=ci, marker="o", lw=2, capsize=4, color="#0072b2")
    label_axes(ax_t, "Cargo through Dostyk, 2023", "Containers wanted (thousand TEU a year)",
               "Million tonnes a year")  # fmt: skip
    ax_t.set_ylim(0, max(tonnes) * 1.2)
    ax_d.plot(x, days, marker="o", lw=2, color="#d55e00")
    label_axes(ax_d, "Median transit time, Xi'an to Europe", "Containers wanted (thousand TEU a year)",
               "Days")  # fmt: skip
    ax_d.set_ylim(bottom=0)
    return fig


def _save(fig: Figure, path: Path) -> Path:
    save_figure(fig, path, "png")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Parse --out and write the images."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=list(GROUPS))
    args = parser.parse_args(argv)
    for path in make_figures(args.out, args.only):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
