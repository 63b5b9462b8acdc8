"""Size and speed of one replication's record files (Parquet visits and lots, JSON meta).

Usage: python benchmarks/record_size.py SCENARIO.yaml [--replication 0] [--repeat 3]
Simulates one replication, then writes and reads its records in a temporary directory, keeping
the fastest of --repeat writes and reads; prints sizes per file and per simulated year, and
checks that the records read back exactly.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from simulator import load_scenario, simulate
from simulator.output.record_files import read_records, write_records
from simulator.records.results import RunResult
from simulator.records.stored import compact


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The scenario file and how often to repeat the timed writes and reads."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--replication", type=int, default=0, help="replication number")
    p.add_argument("--repeat", type=int, default=3, help="writes and reads; keep the fastest")
    return p.parse_args(argv)


def exact(a: RunResult, b: RunResult) -> bool:
    """True when every visit and lot column matches in values and dtype."""
    return all(
        x[k].dtype == y[k].dtype and np.array_equal(x[k], y[k])
        for x, y in ((a.visits, b.visits), (a.lots, b.lots))
        for k in x
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Simulate, write and read back one replication; print what the files cost."""
    args = parse_args(argv)
    scenario = load_scenario(args.scenario)
    years = scenario.horizon_years
    run = compact(simulate(scenario, replication=args.replication))
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        writes, reads = [], []
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            paths = write_records(directory, run)
            writes.append(time.perf_counter() - start)
            start = time.perf_counter()
            back = read_records(directory, run.replication)
            reads.append(time.perf_counter() - start)
        sizes = {path.name: path.stat().st_size for path in paths}
    total = sum(sizes.values())
    print(f"{args.scenario.name}: {years} year(s), {len(run.visits['train']):,} visits, ", end="")
    print(f"{len(run.lots['flow']):,} lots")
    for name, size in sizes.items():
        print(f"  {name:24} {size / 1e6:8.3f} MB")
    print(f"  total {total / 1e6:.3f} MB, {total / years / 1e6:.3f} MB per replication-year")
    print(f"  write {min(writes):.3f} s ({min(writes) / years:.3f} s per year), ", end="")
    print(f"first write {writes[0]:.3f} s; read {min(reads):.3f} s")
    print(f"  read back exactly: {exact(run, back)}")


if __name__ == "__main__":
    main()
