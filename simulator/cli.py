"""The `brisim` command line: sub-commands, printing, paths and exit codes (and nothing else).

Exit codes: 0 success, 1 a run failed its own checks, 2 bad input (scenario, options, paths),
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from simulator.commands import capacity, compare, options, sweep
from simulator.errors import BrisimError, ConservationError, ScenarioError
from simulator.experiment.progress import ChartProgress, ProgressBar
from simulator.experiment.replicate import Precision, outcomes_to_precision
from simulator.experiment.replications import run_outcomes as run_replications
from simulator.output.record_stream import record_spool
from simulator.output.run_reader import load_report, rebuild_report
from simulator.output.run_writer import (
    RECORDS_CHOICES,
    check_target,
    claim_target,
    write_outcomes,
)
from simulator.report.build import Report
from simulator.report.summary import run_summary
from simulator.scenario.calendar import Calendar
from simulator.scenario.loading import json_schema, load_scenario
from simulator.scenario.model import Scenario
from simulator.version import __version__

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = (
    options.EXIT_OK,
    options.EXIT_FAILED,
    options.EXIT_BAD_INPUT,
    options.EXIT_INTERRUPTED,
)
CHART_FORMATS = ("png", "svg", "pdf")


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line hint on bad options (its default too)."""


_add_set = options.add_set


def build_parser() -> argparse.ArgumentParser:
    """All sub-commands and their options."""
    parser = _Parser(
        prog="brisim",
        description="Discrete-event simulation of Belt and Road rail freight corridors: "
        "validate scenarios, run them, and report yearly tonnage per crossing, node, link and flow.",
    )
    parser.add_argument("--version", action="version", version=f"brisim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")
    _add_set(p)
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser(
        "run",
        help="simulate a scenario and write its run directory (tables, report.md, records)",
        description="Simulate a scenario's replications and write the run directory.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--out", metavar="DIR", help="run directory (default: runs/<scenario name>)")
    p.add_argument("--years", type=int, metavar="N", help="horizon in years (horizon_years)")
    options.add_replications(p)
    p.add_argument("--seed", type=int, metavar="S", help="random seed of the run")
    options.add_execution(p)
    _add_set(p)
    p.add_argument(
        "--plots",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also write charts/ and report.html (default: --no-plots)",
    )
    p.add_argument(
        "--records",
        choices=RECORDS_CHOICES,
        default="first",
        help="replications that keep train-by-train records in records/ (default: first); "
        "every replication keeps its tables",
    )
    p.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser(
        "report",
        help="rebuild the tables and report.md of a run directory from its records",
        description="Rebuild every table and report.md from the saved records (no simulation).",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="a directory written by brisim run")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "plot",
        help="draw the charts of a run directory into RUN_DIR/charts",
        description="Draw the charts of a run into RUN_DIR/charts; with OTHER_RUN_DIR also a "
        "comparison chart compare-<other name>.<format>.",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="a directory written by brisim run")
    p.add_argument("other_dir", metavar="OTHER_RUN_DIR", nargs="?", help="a run to compare with")
    p.add_argument("--format", choices=CHART_FORMATS, default="png", help="default: png")
    p.set_defaults(handler=cmd_plot)
    for command in (compare, sweep, capacity):
        command.add_parser(sub)
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    """Print ok per valid file, or every problem; exit 2 if any file is invalid."""
    status = EXIT_OK
    for name in args.files:
        try:
            load_scenario(name, args.overrides)
        except ScenarioError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            status = EXIT_BAD_INPUT
        else:
            print(f"ok: {name}")
    return status


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema."""
    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


NAMED_OVERRIDES = (("years", "horizon_years"), ("seed", "seed"), ("replications", "replications"))


def run_overrides(args: argparse.Namespace) -> list[str]:
    """--set values, then --years, --seed and --replications as the same kind of override."""
    named = [(key, getattr(args, option)) for option, key in NAMED_OVERRIDES]
    named = [(key, value) for key, value in named if value is not None and value != "auto"]
    return [*args.overrides, *(f"{key}={value}" for key, value in named)]


def load_run_scenario(args: argparse.Namespace) -> Scenario:
    """The scenario with every override; problems name --years (not --set) where it was used."""
    try:
        return load_scenario(args.scenario, run_overrides(args))
    except ScenarioError as exc:
        names = {
            f"--set {key}={getattr(args, option)}": f"--{option} {getattr(args, option)}"
            for option, key in NAMED_OVERRIDES
        }
        problems = [replace(p, file=names.get(p.file, p.file)) for p in exc.problems]
        raise ScenarioError(problems) from None


def default_out(scenario_name: str) -> Path:
    """runs/<scenario name>, with characters other than letters, digits, '.', '_', '-' as '-'."""
    return Path("runs") / (re.sub(r"[^A-Za-z0-9._-]+", "-", scenario_name).strip(".-") or "run")


def cmd_run(args: argparse.Namespace) -> int:
    """Simulate, write the run directory atomically, print the yearly summary."""
    scenario = load_run_scenario(args)
    out = Path(args.out) if args.out else default_out(scenario.name)
    check_target(out, args.overwrite)
    extras = None
    if args.plots:
        plots = _plots()

        def extras(directory: Path, report: Report) -> None:
            """Charts and report.html into the run directory before it is renamed into place."""
            with ChartProgress(len(plots.CHARTS) + 1, quiet=args.quiet) as step:
                _write_charts(plots, report, directory / "charts", "png", step)
                step("report.html")
                plots.write_html_report(report, directory / "report.html", scenario)

    started = time.perf_counter()
    horizon_hours = Calendar(scenario.start_date, scenario.horizon_years).horizon_hours
    with claim_target(out), record_spool(out) as spool:  # one run per directory, no debris
        asked = options.replications_of(args, scenario.replications)
        with options.executor_of(args) as executor:
            # records stream to files where replications run: only on this machine's disk
            writer = spool if executor is None else None
            met = True
            if isinstance(asked, Precision):
                outcomes, met = outcomes_to_precision(
                    scenario,
                    asked,
                    jobs=args.jobs,
                    executor=executor,
                    records=args.records,
                    progress=options.progress_of(args),
                    record_writer=writer,
                )
                scenario = scenario.model_copy(update={"replications": len(outcomes)})
            else:
                with ProgressBar(scenario.replications, horizon_hours, quiet=args.quiet) as bar:
                    outcomes = run_replications(
                        scenario,
                        executor=executor,
                        jobs=args.jobs,
                        progress=bar,
                        records=args.records,
                        record_writer=writer,
                    )
        report = write_outcomes(
            out,
            scenario,
            outcomes,
            overwrite=args.overwrite,
            wall_seconds=time.perf_counter() - started,
            extras=extras,
        )
    if not args.quiet:
        print(run_summary(report))
        note = options.replications_note(asked, len(outcomes), met)
        if note:
            print(note)
        print(f"run directory: {out} (open {out / 'report.md'})")
    return EXIT_OK if all(o.conserved for o in outcomes) else EXIT_FAILED


def cmd_report(args: argparse.Namespace) -> int:
    """Rebuild tables and report.md from the records of a run directory."""
    report = rebuild_report(args.run_dir)
    print(run_summary(report))
    print(f"rebuilt {len(report.tables())} tables and report.md in {args.run_dir}")
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    """Charts of a run directory (and a comparison with another run) into RUN_DIR/charts."""
    plots = _plots()
    run_dir = Path(args.run_dir)
    report, _ = load_report(run_dir)
    directory = run_dir / "charts"
    with ChartProgress(len(plots.CHARTS)) as step:
        written = _write_charts(plots, report, directory, args.format, step)
    if args.other_dir:
        other_dir = Path(args.other_dir)
        fig = plots.compare_runs(
            report,
            load_report(other_dir)[0],
            _label(run_dir),
            _label(other_dir),
        )
        path = directory / f"compare-{_label(other_dir)}.{args.format}"
        fig.savefig(path, format=args.format)
        written.append(path)
    print(f"wrote {len(written)} charts into {directory}")
    return EXIT_OK


def _label(path: Path) -> str:
    return path.resolve().name


_plots = options.plots_module


def _write_charts(
    plots: ModuleType, report: Report, directory: Path, fmt: str, step: ChartProgress
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return list(plots.write_charts(report, directory, fmt, progress=step))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):  # bare `brisim`: the help, as git, pip and cargo do
        parser.print_help()
        return EXIT_OK
    try:
        return args.handler(args)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except ConservationError as exc:
        print(f"error: the run failed its conservation check: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrisimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was left behind", file=sys.stderr)
        return EXIT_INTERRUPTED
