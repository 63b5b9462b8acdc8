"""Workers of a local pool die with their parent, however the parent ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).parents[2] / "scenarios" / "tutorial.yaml"


def children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid and stat[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def wait_for(condition, seconds: float) -> bool:
    """Poll until the condition holds or the time is up."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killing_the_parent_of_a_jobs_2_run_ends_its_workers(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", str(TUTORIAL), "--jobs", "2", "--years", "10"]
        + ["--replications", "4", "--quiet", "--out", str(tmp_path / "run")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        assert wait_for(lambda: len(children(parent.pid)) >= 2, 60), "no workers started"
        workers = children(parent.pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert wait_for(lambda: not any(alive(w) for w in workers), 5), [
            w for w in workers if alive(w)
        ]
    finally:
        if parent.poll() is None:
            parent.kill()
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
    assert not (tmp_path / "run").exists()


def test_the_watchdog_ends_an_orphaned_process() -> None:
    """A child watching a pid that is not its parent exits at once (as an orphan would)."""
    code = (
        "import time; from simulator.experiment.workers import watch_parent; "
        "watch_parent(1, 0.05); time.sleep(30)"
    )
    result = subprocess.run([sys.executable, "-c", code], timeout=25, check=False)
    assert result.returncode == 1  # ended by the watchdog, not by the end of its sleep
