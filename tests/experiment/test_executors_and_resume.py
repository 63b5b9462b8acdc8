"""Compare on one process, two, and a real Dask cluster gives the same bytes; a killed sweep
resumes without recomputing what it had finished."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.experiment.comparison import compare
from simulator.experiment.outcomes import ReplicationOutcome
from simulator.output.replication_cache import ReplicationCache
from simulator.scenario.loading import load_scenario

REPO = Path(__file__).resolve().parents[2]
LIGHT = [
    "flows.xian-europe.teu_per_year=40_000",
    "flows.ore-east.tonnes_per_year=500_000",
    "horizon_years=1",
    "changes=[]",
]


def test_compare_is_byte_identical_on_one_process_two_and_a_dask_cluster(tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    tutorial = REPO / "scenarios" / "tutorial.yaml"
    base = load_scenario(tutorial, LIGHT)
    variant = load_scenario(tutorial, [*LIGHT, "nodes.dostyk.handling.slots=4", "name=four"])

    def csv(**how) -> str:
        done = compare(base, variant, replications=2, **how)
        return done.differences.to_csv_text() + done.bottlenecks.to_csv_text()

    serial = csv()
    assert csv(jobs=2) == serial
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert csv(executor=client.get_executor()) == serial
        # and from the command line, on the cluster's address
        variant_file = tmp_path / "four.yaml"
        variant_file.write_text(
            f"extends: {tutorial}\nname: four\nnodes:\n  - id: dostyk\n    handling:\n"
            "      slots: 4\n",
            encoding="utf-8",
        )
        overrides = [a for s in LIGHT for a in ("--set", s)]
        argv = ["compare", str(tutorial), str(variant_file), *overrides, "--replications", "2"]
        argv += ["--out", str(tmp_path / "c"), "--scheduler", cluster.scheduler_address]
        assert main([*argv, "--quiet"]) == 0
    done = compare(base, variant, replications=2)
    assert (tmp_path / "c" / "compare.csv").read_text() == done.differences.to_csv_text()


def test_a_killed_sweep_resumes_and_recomputes_nothing_it_had_finished(tmp_path: Path):
    values = ",".join(str(v) for v in range(20_000, 60_000, 5_000))  # 8 points
    argv = [
        sys.executable,
        "-m",
        "simulator",
        "sweep",
        str(REPO / "scenarios" / "tutorial.yaml"),
        *(a for s in LIGHT[1:] for a in ("--set", s)),
        "--vary",
        f"flows.xian-europe.teu_per_year={values}",
        "--replications",
        "2",
        "--out",
        str(tmp_path / "sweep"),
        "--quiet",
    ]
    store = tmp_path / "sweep" / "replications"
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(list(store.glob("*/seed*.pkl"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    kept = {p: os.stat(p) for p in store.glob("*/seed*.pkl")}
    assert 3 <= len(kept) < 16, "the sweep finished before it could be killed"
    cache = ReplicationCache(store)
    scenario = load_scenario(REPO / "scenarios" / "tutorial.yaml", LIGHT[1:])
    point = load_scenario(
        REPO / "scenarios" / "tutorial.yaml", [*LIGHT[1:], "flows.xian-europe.teu_per_year=20000"]
    )
    assert scenario.horizon_years == 1 and cache.load(point, 0) is not None
    for path in kept:  # every file under a real name is whole
        assert isinstance(pickle.loads(path.read_bytes()), ReplicationOutcome)
    assert not (tmp_path / "sweep" / "sweep.csv").exists()
    again = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"resumed: {len(kept)} replications" in again.stdout
    assert f"{16 - len(kept)} simulated now" in again.stdout
    for path, before in kept.items():  # untouched: neither rewritten nor replaced
        after = os.stat(path)
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    rows = (tmp_path / "sweep" / "sweep.csv").read_text().splitlines()
    assert len(rows) == 1 + 8
