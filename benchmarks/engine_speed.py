"""Speed benchmark of the engine on a corridor-sized scenario, against plain SimPy.

Usage: python benchmarks/engine_speed.py [--years 10] [--scale 1] [--seed 1] [--skip-reference]
Each measurement runs in a fresh interpreter (so peak memory is its own); --repeat keeps the
fastest of several runs, because other work on the machine makes single timings noisy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE_RATIO, TEN_YEAR_SECONDS, LOT_RATIO = 0.8, 20.0, 1.15
OTHER_GROWTH, OTHER_SLACK_MB = 1.25, 1.0  # memory beyond records: at most +25% and 1 MB
PEAK_MB = {10: 300.0, 100: 350.0}  # peak memory of one replication up to 10 years, and beyond
JOBS_SPEEDUP = 1.8  # --jobs 2 against --jobs 1 on an otherwise idle 2-core machine


def _number(kind: Callable[[str], float], low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number of `kind` between low and high, else a one-line error."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low:g} to {high:g}, got {text}")
        return value

    return parse


PARTS = ("engine", "reference", "memory", "peak", "jobs")
JOBS_REPLICATIONS = 4
JOBS_PAIRS = 5  # --jobs 1 and --jobs 2 runs at least, whatever --repeat: the pair is short


def jobs_pairs(args: argparse.Namespace) -> int:
    """How many times the --jobs 1 and --jobs 2 runs are made (the fastest of each kept)."""
    return max(args.repeat, JOBS_PAIRS)


def _years_list(text: str) -> tuple[int, ...]:
    """An argparse type: comma-separated whole years from 1 to 100."""
    parse = _number(int, 1, 100)
    return tuple(int(parse(part)) for part in text.split(","))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options; bad values exit with code 2 and a message naming the option."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--years", type=_number(int, 1, 100), default=10, help="simulated years")
    p.add_argument("--scale", type=_number(float, 0.001, 10), default=1.0, help="demand factor")
    p.add_argument("--seed", type=_number(int, 0, 2**31), default=1, help="scenario seed")
    p.add_argument("--repeat", type=_number(int, 1, 20), default=1, help="runs; keep the fastest")
    p.add_argument("--skip-reference", action="store_true", help="no plain SimPy reference")
    p.add_argument(
        "--memory-scenario",
        default="scenarios/baseline-2022.yaml",
        help="scenario file of the whole-command memory and --jobs measurements",
    )
    p.add_argument(
        "--memory-years", type=_years_list, default=(10, 30), help="horizons, e.g. 10,30"
    )
    p.add_argument("--jobs-years", type=_number(int, 1, 100), default=2, help="--jobs run years")
    p.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    p.add_argument("--records", default="none", help=argparse.SUPPRESS)
    p.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--lot", type=float, default=1.0, help=argparse.SUPPRESS)
    p.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def run_part(args: argparse.Namespace) -> dict:
    """One measurement, in this interpreter (the child side)."""
    import command_parts
    import speed_parts

    if args.part == "engine":
        return speed_parts.engine(args.years, args.scale, args.seed, args.lot, args.data)
    if args.part == "reference":
        return speed_parts.reference(args.data)
    if args.part == "peak":
        return command_parts.peak_memory(scenario_path(args), args.years, args.records)
    if args.part == "jobs":
        path = scenario_path(args)
        return command_parts.jobs_wall(path, args.years, JOBS_REPLICATIONS, args.jobs)
    return speed_parts.memory(args.years, args.scale, args.seed)


def scenario_path(args: argparse.Namespace) -> str:
    """The memory scenario, from the working folder or else the top folder of the repository."""
    path = Path(args.memory_scenario)
    return str(path if path.exists() else HERE.parent / path)


def child(args: argparse.Namespace, part: str, *extra: str) -> dict:
    """Run one part in a fresh interpreter and read back its figures."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--part", part]
    cmd += ["--years", str(args.years), "--scale", str(args.scale), "--seed", str(args.seed)]
    cmd += ["--memory-scenario", args.memory_scenario]
    done = subprocess.run([*cmd, *extra], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"the {part} measurement failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fastest(runs: list[dict]) -> dict:
    """The run with the least wall time (the one least disturbed by other work)."""
    return min(runs, key=lambda r: r["wall_s"])


def line(name: str, r: dict) -> str:
    """Wall time (and CPU time), trains/s, events/s and peak memory of one measurement."""
    return (
        f"{name:<22} wall {r['wall_s']:6.2f} s (cpu {r['cpu_s']:6.2f} s)   trains {r['trains']:>9,} "
        f"({r['trains'] / r['wall_s']:>8,.0f}/s)   SimPy events {r['events']:>11,} "
        f"({r['events'] / r['wall_s']:>9,.0f}/s)   peak memory {r['peak_mb']:7.1f} MB"
    )


def verdict(ok: bool, text: str) -> str:
    """A PASS or FAIL line."""
    return f"{'PASS' if ok else 'FAIL'}  {text}"


def measure(args: argparse.Namespace, data: Path) -> dict[str, dict]:
    """Every measurement, interleaved over the repeats so that load hits them alike."""
    runs: dict[str, list[dict]] = {"engine": [], "half": [], "reference": []}
    for k in range(args.repeat):
        save = ("--data", str(data)) if k == 0 and not args.skip_reference else ()
        runs["engine"].append(child(args, "engine", *save))
        runs["half"].append(child(args, "engine", "--lot", "0.5"))
        if not args.skip_reference:
            runs["reference"].append(child(args, "reference", "--data", str(data)))
    out = {k: fastest(v) for k, v in runs.items() if v}
    out["memory"] = child(args, "memory")
    for years in args.memory_years:
        for records in ("none", "first"):
            whole = argparse.Namespace(**{**vars(args), "years": years})
            out[f"peak {records} {years}"] = child(whole, "peak", "--records", records)
    whole = argparse.Namespace(**{**vars(args), "years": args.jobs_years})
    walls: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(jobs_pairs(args)):  # interleaved: a slow spell hits both
        for jobs in (1, 2):
            walls[jobs].append(child(whole, "jobs", "--jobs", str(jobs)))
    for jobs, tries in walls.items():
        out[f"jobs {jobs}"] = fastest(tries)
    return out


def report(args: argparse.Namespace, m: dict[str, dict]) -> list[str]:
    """The printed figures and the PASS/FAIL line of each goal."""
    eng, half, mem = m["engine"], m["half"], m["memory"]
    out = [
        f"corridor: {args.years} years, demand x{args.scale:g}, seed {args.seed}, "
        f"best of {args.repeat} run(s) each",
        f"scenario: {eng['shape']}",
        f"records kept by the engine: {eng['visits']:,} visits, {eng['lots']:,} lots, "
        f"{eng['records_mb']:.1f} MB",
        line("engine", eng),
        line("engine, half lot size", half),
    ]
    goals = []
    if "reference" in m:
        ratio = eng["wall_s"] / m["reference"]["wall_s"]
        out += [line("plain SimPy reference", m["reference"])]
        out += [f"reference replays {m['reference']['visits']:,} visits of the engine's trains"]
        out += [f"engine / reference wall time: {ratio:.2f}"]
        within = f"engine within {REFERENCE_RATIO}x of the plain SimPy reference ({ratio:.2f}x)"
        goals.append(verdict(ratio <= REFERENCE_RATIO, within))
    lot_ratio = half["wall_s"] / eng["wall_s"]
    out.append(
        f"lot-size check: {eng['lots']:,} -> {half['lots']:,} lots, wall {eng['wall_s']:.2f} s "
        f"-> {half['wall_s']:.2f} s, ratio {lot_ratio:.2f}"
    )
    out.append(
        f"memory (traced): at {mem['half_years']:.1f} years {mem['half_records_mb']:.1f} MB "
        f"record buffers + {mem['half_other_mb']:.1f} MB other; at {mem['end_years']:.1f} years "
        f"{mem['end_records_mb']:.1f} MB + {mem['end_other_mb']:.1f} MB other; "
        f"peak {mem['peak_mb']:.1f} MB"
    )
    fast = (
        f"one replication under {TEN_YEAR_SECONDS:g} s (goal for 10 years; {eng['wall_s']:.2f} s)"
    )
    lots = f"half lot size costs at most {LOT_RATIO - 1:.0%} more wall time ({lot_ratio - 1:+.0%})"
    limit = OTHER_GROWTH * mem["half_other_mb"] + OTHER_SLACK_MB
    flat = (
        f"memory beyond records grows at most {OTHER_GROWTH - 1:.0%} + {OTHER_SLACK_MB:g} MB "
        f"from half to full horizon ({mem['half_other_mb']:.1f} -> {mem['end_other_mb']:.1f} MB)"
    )
    goals += [
        verdict(eng["wall_s"] < TEN_YEAR_SECONDS, fast),
        verdict(lot_ratio <= LOT_RATIO, lots),
        verdict(mem["end_other_mb"] <= limit, flat),
    ]
    name = Path(args.memory_scenario).name
    for years in args.memory_years:
        goal = next(mb for limit_years, mb in sorted(PEAK_MB.items()) if years <= limit_years)
        for records in ("none", "first"):
            r = m[f"peak {records} {years}"]
            out.append(
                f"brisim run {name} --years {years} --replications 1 --records {records}: "
                f"peak memory {r['peak_mb']:.1f} MB, wall {r['wall_s']:.2f} s"
            )
            goals.append(
                verdict(
                    r["peak_mb"] <= goal,
                    f"peak memory of one replication, --records {records}, {years} years: "
                    f"{r['peak_mb']:.1f} MB (goal at most {goal:g} MB)",
                )
            )
    one, two = m["jobs 1"]["wall_s"], m["jobs 2"]["wall_s"]
    out.append(
        f"brisim run {name} --years {args.jobs_years} --replications {JOBS_REPLICATIONS}: "
        f"--jobs 1 {one:.2f} s, --jobs 2 {two:.2f} s, speed-up {one / two:.2f}x "
        f"(fastest of {jobs_pairs(args)} each)"
    )
    if all("others_cpu_s" in m[f"jobs {j}"] for j in (1, 2)):
        others = ", ".join(
            f"--jobs {j} {m[f'jobs {j}']['others_cpu_s']:.1f} s + {m[f'jobs {j}']['stolen_s']:.1f} s"
            for j in (1, 2)
        )
        out.append(f"  the rest of the machine meanwhile, CPU used + stolen by the host: {others}")
    goals.append(
        verdict(
            one / two >= JOBS_SPEEDUP,
            f"jobs: --jobs 2 at least {JOBS_SPEEDUP}x as fast as --jobs 1 ({one / two:.2f}x)",
        )
    )
    return out + goals


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the figures and the goals (exit code 0 whether goals pass or not)."""
    args = parse_args(argv)
    if args.part:
        print(json.dumps(run_part(args)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        measured = measure(args, Path(tmp) / "visits.npz")
    print("\n".join(report(args, measured)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
