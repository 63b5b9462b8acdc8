"""The speed benchmark runs end to end at a tiny size and prints every figure and goal."""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPT = BENCHMARKS / "engine_speed.py"
COMMAND = "python benchmarks/engine_speed.py"


def readme_commands() -> list[list[str]]:
    """Options of every benchmark command written in benchmarks/README.md."""
    lines = (BENCHMARKS / "README.md").read_text(encoding="utf-8").splitlines()
    return [shlex.split(line.split("#")[0])[2:] for line in lines if line.startswith(COMMAND)]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The benchmark script with these options, in a fresh interpreter."""
    cmd = [sys.executable, str(SCRIPT), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def test_every_readme_command_has_options_the_script_accepts():
    spec = importlib.util.spec_from_file_location("engine_speed", SCRIPT)
    engine_speed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine_speed)  # only its option parser is used
    commands = readme_commands()
    assert len(commands) == 3
    for options in commands:
        assert engine_speed.parse_args(options).part is None, options


def test_readme_tiny_run_prints_every_figure_and_a_verdict_per_goal():
    tiny = next(c for c in readme_commands() if c[:2] == ["--years", "1"])
    done = run(*tiny)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for name in ("engine", "engine, half lot size", "plain SimPy reference"):
        row = next(r for r in out.splitlines() if r.startswith(name + " "))
        for figure in ("wall", "trains", "/s)", "SimPy events", "peak memory"):
            assert figure in row, (name, figure)
    assert re.search(r"engine / reference wall time: \d+\.\d\d", out)
    assert re.search(r"memory \(traced\): at [\d.]+ years .* at 1\.0 years .* peak", out)
    verdicts = [r for r in out.splitlines() if r.startswith(("PASS", "FAIL"))]
    assert [v.split()[1] for v in verdicts] == ["engine", "one", "half", "memory"] + [
        "peak"
    ] * 2 + ["jobs:"]
    for records in ("none", "first"):
        assert re.search(rf"--records {records}: peak memory [\d.]+ MB, wall", out)
    assert re.search(
        r"--jobs 1 [\d.]+ s, --jobs 2 [\d.]+ s, speed-up \d+\.\d\dx \(fastest of 5", out
    )
    if Path("/proc/stat").exists():  # what else ran meanwhile: the goal wants an idle machine
        assert re.search(r"CPU used \+ stolen by the host: --jobs 1 [\d.]+ s \+ [\d.]+ s", out)
    lots = re.search(r"lot-size check: ([\d,]+) -> ([\d,]+) lots, .* ratio \d+\.\d\d", out)
    before, after = (int(n.replace(",", "")) for n in lots.groups())
    assert after / before == pytest.approx(2.0, rel=0.1)  # Poisson demand: twice the lots, roughly


@pytest.mark.parametrize("bad", [["--years", "0"], ["--scale", "lots"], ["--seed", "-1"]])
def test_bad_options_exit_2_with_a_message_naming_the_option(bad: list[str]):
    done = run(*bad)
    assert done.returncode == 2
    assert bad[0] in done.stderr
    assert "Traceback" not in done.stderr


def test_record_size_script_measures_and_reads_back_exactly():
    lines = (BENCHMARKS / "README.md").read_text(encoding="utf-8").splitlines()
    command = next(line for line in lines if "record_size.py scenarios/tutorial.yaml" in line)
    argv = shlex.split(command.split("#")[0])[1:]
    repo = BENCHMARKS.parent
    done = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=120, check=False, cwd=repo
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"total [\d.]+ MB, [\d.]+ MB per replication-year", done.stdout)
    assert "read back exactly: True" in done.stdout


def test_upgrades_paired_names_a_missing_scenario_and_exits_2():
    """A wrong file name fails at once, before any simulation, with the path it looked for."""
    script = BENCHMARKS / "upgrades_paired.py"
    cmd = [sys.executable, str(script), "nowhere.yaml"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "nowhere.yaml: file not found" in done.stderr
    assert "Traceback" not in done.stderr
