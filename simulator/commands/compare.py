"""`brisim compare BASE VARIANT...`: paired differences on common random numbers."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from simulator.commands import options
from simulator.experiment.comparison import Comparison, compare
from simulator.output.result_files import result_cache, write_atomic
from simulator.report.compare_summary import compare_markdown, difference_lines

DEFAULT_REPLICATIONS = 3


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="run a base scenario and variants on the same seeds and compare them with paired CIs",
        description="Run BASE and each VARIANT on common random numbers and write compare.csv "
        "and compare.md: per year, crossing, corridor, section and flow the paired difference with its "
        "95% CI; the inputs that differ; the bottleneck of each year.",
    )
    p.add_argument("base", metavar="BASE", help="the reference scenario YAML file")
    p.add_argument("variants", nargs="+", metavar="VARIANT", help="scenario YAML files to compare")
    options.add_out(p, "runs/compare-<base>-<variants>")
    options.add_years(p, "horizon in years for all")
    options.add_replications(p, default=str(DEFAULT_REPLICATIONS))
    options.add_execution(p)
    options.add_set(p)
    options.add_plots(p, "the difference chart compare.png")
    p.set_defaults(handler=run_compare)


def default_out(names: list[str]) -> Path:
    """runs/compare-<names joined by '-'>, kept to safe characters."""
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(names)).strip(".-")[:80]
    return Path("runs") / f"compare-{text or 'scenarios'}"


def run_compare(args: argparse.Namespace) -> int:
    """Compare, write compare.csv and compare.md (and the chart), print the differences."""
    asked = options.replications_of(args, DEFAULT_REPLICATIONS)
    out = (
        Path(args.out)
        if args.out
        else default_out([Path(f).stem for f in [args.base, *args.variants]])
    )
    with options.executor_of(args) as executor:
        result = compare(
            args.base,
            *args.variants,
            replications=asked,
            years=args.years,
            overrides=args.overrides,
            jobs=args.jobs,
            executor=executor,
            store=result_cache(out),
            progress=options.progress_of(args),
        )
    note = options.replications_note(asked, result.replications, result.precision_met)
    written = write_comparison(out, result, note, plots=args.plots)
    for variant in list(result.scenarios)[1:]:
        print(
            f"{variant} against {result.base} (million tonnes a year, mean ± 95% CI of the difference):"
        )
        print("\n".join(difference_lines(result.differences, variant, markdown=False)))
    if note:
        print(note)
    resumed = options.resumed_note(result.counts, out)
    if resumed:
        print(resumed)
    print(f"wrote {', '.join(p.name for p in written)} in {out}")
    return options.EXIT_OK


def write_comparison(out: Path, result: Comparison, note: str, plots: bool) -> list[Path]:
    """compare.csv, compare.md, inputs.csv, bottlenecks.csv (and compare.png), each atomically."""
    variants = list(result.scenarios)[1:]
    markdown = compare_markdown(
        result.base,
        variants,
        result.replications,
        result.differences,
        result.inputs,
        result.bottlenecks,
        note,
    )
    written = [
        write_atomic(out / "compare.csv", result.differences.to_csv_text()),
        write_atomic(out / "compare.md", markdown),
        write_atomic(out / "inputs.csv", result.inputs.to_csv_text()),
        write_atomic(out / "bottlenecks.csv", result.bottlenecks.to_csv_text()),
    ]
    if plots:
        fig = options.plots_module().difference_chart(result.differences, result.base)
        written.append(options.save_chart(fig, out / "compare.png"))
    return written
