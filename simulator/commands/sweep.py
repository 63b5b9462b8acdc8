"""`brisim sweep SCENARIO --vary key=v1,v2 [--vary key=start:stop:step]`: a grid of runs."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from simulator.commands import options
from simulator.errors import BrisimError, ScenarioError
from simulator.experiment.sweep import Sweep, sweep
from simulator.output.result_files import result_cache, write_atomic

DEFAULT_REPLICATIONS = 3
MAX_POINTS = 10_000


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="run a scenario over a grid of values and tabulate throughput per point",
        description="Run SCENARIO at every combination of the --vary values (all on the same "
        "seeds) and write sweep.csv: per point, yearly tonnes per crossing and in total with "
        "95% CIs, delivered tonnes, p95 transit time and the bottleneck.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="KEY=VALUES",
        help="a key path and its values: v1,v2,... or start:stop:step (stop included); "
        "repeat for a grid",
    )
    options.add_out(p, "runs/sweep-<scenario>")
    options.add_years(p)
    options.add_replications(p, default=str(DEFAULT_REPLICATIONS))
    options.add_execution(p)
    options.add_set(p)
    options.add_plots(p, "the throughput-versus-parameter chart sweep.png")
    p.set_defaults(handler=run_sweep)


def parse_vary(items: list[str]) -> dict[str, list[str]]:
    """--vary values by key path, in the order given; raises BrisimError on a bad one."""
    out: dict[str, list[str]] = {}
    for item in items:
        key, equals, raw = item.partition("=")
        key = key.strip()
        if not equals or not key or not raw.strip():
            raise BrisimError(
                f"--vary {item}: expected KEY=v1,v2,... or KEY=start:stop:step, "
                "e.g. --vary flows.xian-europe.teu_per_year=100000:300000:100000"
            )
        if key in out:
            raise BrisimError(f"--vary {item}: {key} is already varied; give it once")
        out[key] = _range(item, raw) if ":" in raw else [v.strip() for v in raw.split(",")]
        if len(out[key]) != len(set(out[key])) or "" in out[key]:
            raise BrisimError(f"--vary {item}: expected distinct, non-empty values")
    return out


def _range(item: str, raw: str) -> list[str]:
    """start:stop:step, stop included, in exact decimals (0.1:0.3:0.1 gives 0.1, 0.2, 0.3)."""
    parts = raw.split(":")
    try:
        start, stop, step = (Decimal(p.strip().replace("_", "")) for p in parts)
    except (ValueError, InvalidOperation):
        raise BrisimError(f"--vary {item}: expected start:stop:step with numbers") from None
    if step <= 0 or stop < start:
        raise BrisimError(f"--vary {item}: expected start <= stop and a positive step")
    if (stop - start) / step > MAX_POINTS:
        raise BrisimError(f"--vary {item}: more than {MAX_POINTS} values")
    values, value = [], start
    while value <= stop:
        values.append(str(value.normalize()) if value != value.to_integral() else str(int(value)))
        value += step
    return values


def run_sweep(args: argparse.Namespace) -> int:
    """Sweep, write sweep.csv (and sweep.png), print the table's main columns."""
    vary = parse_vary(args.vary)
    asked = options.replications_of(args, DEFAULT_REPLICATIONS)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(args.scenario).stem)
    out = Path(args.out) if args.out else Path("runs") / f"sweep-{name}"
    with options.executor_of(args) as executor, _named_as_vary(vary):
        result = sweep(
            args.scenario,
            vary,
            replications=asked,
            years=args.years,
            overrides=args.overrides,
            jobs=args.jobs,
            executor=executor,
            store=result_cache(out),
            progress=options.progress_of(args),
        )
    written = [write_atomic(out / "sweep.csv", result.table.to_csv_text())]
    if args.plots:
        fig = options.plots_module().sweep_chart(result.table, result.keys)
        written.append(options.save_chart(fig, out / "sweep.png"))
    print("\n".join(sweep_lines(result)))
    note = options.replications_note(asked, result.replications, result.precision_met)
    if note:
        print(note)
    resumed = options.resumed_note(result.counts, out)
    if resumed:
        print(resumed)
    print(f"wrote {', '.join(p.name for p in written)} in {out}")
    return options.EXIT_OK


@contextmanager
def _named_as_vary(vary: dict[str, list[str]]) -> Iterator[None]:
    """Problems with a swept value name the --vary option, not the --set it became."""
    try:
        yield
    except ScenarioError as exc:
        names = {f"--set {k}={v}": f"--vary {k}={v}" for k, values in vary.items() for v in values}
        problems = [replace(p, file=names.get(p.file, p.file)) for p in exc.problems]
        raise ScenarioError(problems) from None


def sweep_lines(result: Sweep) -> list[str]:
    """Per point: the varied values, crossings and delivered Mt (± CI), p95 transit, bottleneck."""
    head = [*result.keys, "crossings Mt", "delivered Mt", "p95 transit d", "bottleneck"]
    body = []
    for row in result.table:
        body.append(
            [
                *(str(row[k]) for k in result.keys),
                _mt(row["crossings_tonnes_mean"], row["crossings_tonnes_ci95"]),
                _mt(row["delivered_tonnes_mean"], row["delivered_tonnes_ci95"]),
                f"{row['transit_p95_days']:.1f}",
                str(row["bottleneck"]),
            ]
        )
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    return [
        "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *body]
    ]


def _mt(mean: float, ci: float) -> str:
    return f"{mean / 1e6:.2f}" + ("" if ci != ci else f" ± {ci / 1e6:.2f}")
