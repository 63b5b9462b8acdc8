"""One run per directory, a writable --out checked before simulating, and no debris of dead runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator import cli
from simulator.errors import OutputError
from simulator.output.locks import claim_target, lock_path, remove_debris

TUTORIAL = str(Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml")
DEAD_PID = 2**22 + 12345  # above the kernel's pid_max default: never a live process


def fail_if_simulated(*args, **kwargs):
    raise AssertionError("the simulation ran before the output was checked")


def test_a_second_claim_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    target = tmp_path / "run"
    with claim_target(target):
        assert lock_path(target).read_text().strip() == str(os.getpid())
        refused = rf"another brisim run \(pid {os.getpid()}\)"
        with pytest.raises(OutputError, match=refused), claim_target(target):
            pass
    assert not lock_path(target).exists()
    with claim_target(target):  # free again
        pass


def test_a_second_overwrite_run_is_refused_while_the_first_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process holds the lock (as a run does while it simulates and writes)."""
    target = tmp_path / "run"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from simulator.output.locks import claim_target\n"
            f"with claim_target({str(target)!r}):\n"
            "    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(cli, "run_replications", fail_if_simulated)
        code = cli.main(["run", TUTORIAL, "--out", str(target), "--overwrite", "--quiet"])
        assert code == 2
        err = capsys.readouterr().err
        assert f"another brisim run (pid {holder.pid}) is writing {target}" in err
    finally:
        holder.kill()
        holder.wait()
    with claim_target(target):  # a killed holder leaves no stale lock
        pass


def test_an_unwritable_out_is_refused_before_simulating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(cli, "run_replications", fail_if_simulated)
    assert cli.main(["run", TUTORIAL, "--out", str(blocker / "run"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "cannot write the run directory" in err
    assert "Traceback" not in err


def test_debris_of_dead_runs_is_removed_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "run"
    dead = tmp_path / f".run.partial-{DEAD_PID}-abc"
    live = tmp_path / f".run.partial-{os.getpid()}-def"
    old = tmp_path / f".run.old-{os.getpid()}-1234"
    other = tmp_path / f".other.partial-{DEAD_PID}-abc"
    for d in (dead, live, old, other):
        d.mkdir()
        (d / "manifest.json").write_text("{}")
    assert remove_debris(target) == [dead]
    assert live.exists() and old.exists() and other.exists()
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(live, (day_ago, day_ago))
    assert remove_debris(target) == [live]
    with claim_target(target):  # under the lock, every copy of this run's debris is stale
        assert not old.exists()
    assert other.exists()


def test_a_run_cleans_the_partial_directory_of_a_killed_run(tmp_path: Path) -> None:
    dead = tmp_path / f".run.partial-{DEAD_PID}-xyz"
    dead.mkdir()
    argv = ["run", TUTORIAL, "--out", str(tmp_path / "run"), "--quiet", "--replications", "1"]
    assert cli.main(argv) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
