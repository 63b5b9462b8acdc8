"""Whole-command measurements of the speed benchmark: `brisim run` as a user runs it.

`peak_memory` runs one replication in this interpreter and reports its peak resident memory
(the whole process: Python, libraries, the run and the writing of its directory); `jobs_wall`
times a run of several replications with a given --jobs in a fresh process. engine_speed.py
calls each in a fresh interpreter, so one measurement's memory never counts in another's.
"""

from __future__ import annotations

import os
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


def machine_cpu() -> tuple[float, float] | None:
    """CPU seconds all processes of the machine have run so far, and seconds stolen from it
    by its host (a virtual machine's), from /proc/stat; None where there is none."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    ticks = [int(x) for x in fields] + [0] * 8
    user, nice, system, _, _, irq, softirq, steal = ticks[:8]
    hz = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / hz, steal / hz


def jobs_wall(scenario: str, years: int, replications: int, jobs: int) -> dict:
    """Wall time of the whole command with `--jobs J`, run directory written (default records),
    and the CPU time the rest of the machine used meanwhile (the goal wants it idle)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "simulator", "run", scenario, "--years", str(years)]
        cmd += ["--replications", str(replications), "--jobs", str(jobs), "--quiet"]
        cmd += ["--out", str(Path(tmp) / "run")]
        own = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine = machine_cpu()
        wall = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - wall
        machine_after = machine_cpu()
        own_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"brisim run --jobs {jobs} failed:\n{done.stderr.strip()}")
    cpu = (own_after.ru_utime - own.ru_utime) + (own_after.ru_stime - own.ru_stime)
    out = {"wall_s": wall, "cpu_s": cpu}
    if machine is not None and machine_after is not None:
        out["others_cpu_s"] = max(0.0, machine_after[0] - machine[0] - cpu)
        out["stolen_s"] = machine_after[1] - machine[1]
    return out
