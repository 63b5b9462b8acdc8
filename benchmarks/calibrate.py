"""Run the 2022 baseline and write the results table of docs/explanation/calibration.md.

    python benchmarks/calibrate.py                    # 10 replications, rewrites the page
    python benchmarks/calibrate.py --replications 3 --doc /tmp/page.md

The table sits between two marker lines of the page; everything else on the page is left as
it is. The page is replaced in one step, so an interrupted run leaves it untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corridor_measures import TARGETS, Estimate, Target, estimate, measure

from simulator import ScenarioError, load_scenario, run

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


def replace_region(text: str, body: str) -> str:
    """The page with the text between the marker lines replaced by `body`."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"expected one line {START!r} followed by one line {END!r}")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{body}{END}{tail}"


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary file in the same folder, then replace it in one step."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=10, help="default: 10")
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes (default: 2)")
    parser.add_argument(
        "--doc", type=Path, default=DOC, help="page to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.replications < 2:
        parser.error("--replications: expected at least 2 (a confidence interval needs two)")
    if args.jobs < 1:
        parser.error("--jobs: expected at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run, measure, print the table and write it into the page; 2 on bad input."""
    args = parse_args(argv)
    try:
        page = args.doc.read_text(encoding="utf-8")
        replace_region(page, "")
        scenario = load_scenario(SCENARIO)
    except (OSError, ValueError) as exc:
        print(f"error: {args.doc}: {exc}", file=sys.stderr)
        return 2
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    runs = run(scenario, args.replications, jobs=args.jobs)
    values = measure(scenario, runs, YEAR)
    table = results_table(scenario.name, scenario.seed, {k: estimate(v) for k, v in values.items()})
    print(table)
    write_atomically(args.doc, replace_region(page, table))
    print(f"written: {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
