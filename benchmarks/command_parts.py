"""Whole-command measurements of the speed benchmark: `brisim run` as a user runs it.

`peak_memory` runs one replication in this interpreter and reports its peak resident memory
(the whole process: Python, libraries, the run and the writing of its directory); `jobs_wall`
times a run of several replications with a given --jobs in a fresh process. engine_speed.py
calls each in a fresh interpreter, so one measurement's memory never counts in another's.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024


def peak_memory(scenario: str, years: int, records: str) -> dict:
    """Peak resident memory of `brisim run SCENARIO --years N --replications 1 --records R`."""
    from simulator.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        wall = time.perf_counter()
        argv = ["run", scenario, "--years", str(years), "--replications", "1"]
        code = main([*argv, "--records", records, "--quiet", "--out", str(Path(tmp) / "run")])
        wall = time.perf_counter() - wall
    if code != 0:
        raise SystemExit(f"brisim run {scenario} exited with {code}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {"peak_mb": peak / MB, "wall_s": wall}


def jobs_wall(scenario: str, years: int, replications: int, jobs: int) -> dict:
    """Wall time of the whole command with `--jobs J`, run directory written (default records)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "simulator", "run", scenario, "--years", str(years)]
        cmd += ["--replications", str(replications), "--jobs", str(jobs), "--quiet"]
        cmd += ["--out", str(Path(tmp) / "run")]
        wall = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - wall
    if done.returncode != 0:
        raise SystemExit(f"brisim run --jobs {jobs} failed:\n{done.stderr.strip()}")
    return {"wall_s": wall}
