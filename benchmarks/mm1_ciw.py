"""One M/M/1 node (or a tandem of them) in brisim and in Ciw: the whole command, CPU and wall time.

Usage: python benchmarks/mm1_ciw.py [--trains 200000] [--stations 1] [--repeat 5]
Trains arrive as a Poisson stream (one an hour) at a node with one handling slot and exponential
handling (mean 0.8 h, so rho = 0.8), and with --stations N pass N such nodes in a row; in brisim
each train also runs a section into, between and out of them and ends at an exit node. Each run is a fresh process (`brisim run ... --records none`, and a
Python process that imports Ciw and simulates the same number of customers). Ciw is optional
(`pip install ciw`); without it only brisim is timed. Exit code 0 after measuring.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

RATE_PER_HOUR, MEAN_SERVICE_H, LOT_TEU = 1.0, 0.8, 10.0
CIW = """
import ciw
n = {stations}
network = ciw.create_network(
    arrival_distributions=[ciw.dists.Exponential(rate={rate})] + [None] * (n - 1),
    service_distributions=[ciw.dists.Exponential(rate={mu}) for _ in range(n)],
    routing=[[1.0 if j == i + 1 else 0.0 for j in range(n)] for i in range(n)],
    number_of_servers=[1] * n,
)
ciw.seed(1)
sim = ciw.Simulation(network)
sim.simulate_until_max_customers({n}, method="Finish")
print(len(sim.get_all_records()))
"""


def scenario(trains: int, stations: int = 1) -> dict:
    """a -> q1 -> ... -> qN (one slot each, exponential handling) -> b (exit), one lot a train."""
    years = int(trains / (RATE_PER_HOUR * 24 * 365)) + 1

    def section(a: str, b: str) -> dict:
        return {"from": a, "to": b, "length_km": 10, "speed_kmh": 50, "tracks": 2}

    stops = ["a", *(f"q{k}" for k in range(1, stations + 1)), "b"]
    sections = [
        {**section(x, y), "trains_per_day": 1000, "gauge_mm": 1435}
        for x, y in zip(stops, stops[1:], strict=False)
    ]
    handling = {"slots": 1, "handling_hours": {"dist": "exponential", "mean": MEAN_SERVICE_H}}
    return {
        "name": "mm1",
        "start_date": dt.date(2022, 1, 1),
        "horizon_years": years,
        "seed": 1,
        "replications": 1,
        "nodes": [
            {"id": "a", "kind": "hub", "gauge_mm": 1435},
            *(
                {"id": q, "kind": "hub", "gauge_mm": 1435, "handling": handling}
                for q in stops[1:-1]
            ),
            {"id": "b", "kind": "exit", "gauge_mm": 1435},
        ],
        "sections": sections,
        "train_types": [
            {
                "id": "c1435",
                "cargo": "container",
                "gauge_mm": 1435,
                "teu_per_train": LOT_TEU,
                "max_wait_hours": 1000,
            }
        ],
        "flows": [
            {
                "id": "a-b",
                "origin": "a",
                "destination": "b",
                "cargo": "container",
                "teu_per_year": RATE_PER_HOUR * 24 * 365 * LOT_TEU,
                "lot_teu": LOT_TEU,
                "tonnes_per_teu": 10.0,
            }
        ],
    }


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of a command in a fresh process (CPU of that child alone)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: Sequence[str] | None = None) -> int:
    """Time both, keep the fastest of --repeat runs each, print the ratio."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trains", type=int, default=200_000, help="trains (customers)")
    p.add_argument("--stations", type=int, default=1, help="M/M/1 nodes in a row (tandem)")
    p.add_argument("--repeat", type=int, default=5, help="runs of each; the fastest kept")
    args = p.parse_args(argv)
    try:
        import ciw  # noqa: F401

        has_ciw = True
    except ImportError:
        has_ciw = False
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mm1.yaml"
        path.write_text(yaml.safe_dump(scenario(args.trains, args.stations), sort_keys=False))
        runs: dict[str, list[tuple[float, float]]] = {"brisim": [], "ciw": []}
        for k in range(args.repeat):
            out = str(Path(tmp) / f"run{k}")
            cmd = [sys.executable, "-m", "simulator", "run", str(path), "--records", "none"]
            runs["brisim"].append(timed([*cmd, "--quiet", "--out", out]))
            if has_ciw:
                rate, mu = RATE_PER_HOUR, 1 / MEAN_SERVICE_H
                code = CIW.format(rate=rate, mu=mu, n=args.trains, stations=args.stations)
                runs["ciw"].append(timed([sys.executable, "-c", code]))
    years = scenario(args.trains)["horizon_years"]
    shape = "M/M/1" if args.stations == 1 else f"tandem of {args.stations} M/M/1 nodes"
    print(
        f"{shape}, rho {RATE_PER_HOUR * MEAN_SERVICE_H:.1f}: brisim {years} years (about "
        f"{years * 24 * 365 * RATE_PER_HOUR:,.0f} trains), Ciw {args.trains:,} customers"
    )
    best = {k: min(v) for k, v in runs.items() if v}
    for name, (wall, cpu) in best.items():
        print(f"{name:<7} whole command: wall {wall:6.2f} s, cpu {cpu:6.2f} s")
    if "ciw" in best:
        ratio = best["brisim"][1] / best["ciw"][1]
        print(f"brisim / Ciw CPU time: {ratio:.2f}")
        print(
            f"{'PASS' if ratio <= 1.0 else 'FAIL'}  brisim at least as fast as Ciw ({ratio:.2f}x)"
        )
    else:
        print("Ciw is not installed (pip install ciw): no comparison")
    return 0


if __name__ == "__main__":
    sys.exit(main())
