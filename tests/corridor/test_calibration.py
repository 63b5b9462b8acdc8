"""The 2022 baseline reproduces the published targets V1–V7 (docs/explanation/calibration.md).

The page's table comes from 10 replications; here 4 are run to stay fast (about 10 s). To make
up for fewer replications the test asks more: the whole 95% confidence interval (Student t, 3
degrees of freedom), not only the mean, must lie inside each target's tolerance band. The
seed is the scenario's own (2022); the measures are those of benchmarks/corridor_measures.py.
"""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from simulator import load_scenario, run

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
PAGE = ROOT / "docs" / "explanation" / "calibration.md"
REPLICATIONS = 4


@pytest.fixture(scope="module")
def measures() -> ModuleType:
    """benchmarks/corridor_measures.py as a module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("corridor_measures")


@pytest.fixture(scope="module")
def estimates(measures: ModuleType) -> dict:
    """Every target's mean and 95% half-width over the baseline's first 4 replications."""
    scenario = load_scenario(BASELINE)
    runs = run(scenario, REPLICATIONS, jobs=2)
    assert all(r.conserved for r in runs)
    values = measures.measure(scenario, runs, 2022)
    return {key: measures.estimate(v) for key, v in values.items()}


@pytest.mark.parametrize("key", ["V1", "V2", "V3", "V4", "V5", "V6", "V7t", "V7u"])
def test_baseline_confidence_interval_lies_inside_the_tolerance(measures, estimates, key):
    target = next(t for t in measures.TARGETS if t.key == key)
    est = estimates[key]
    assert est.replications == REPLICATIONS
    assert target.low <= est.low and est.high <= target.high, (key, est, target)


def test_tonnage_counts_both_crossings_in_both_directions(measures, estimates):
    # V1 is 23.0 Mt both ways; one crossing or one direction alone would be far below it
    assert estimates["V1"].mean > 0.95 * 23.0
    # Dostyk carries the larger share, as in 2022 (59%), but not all of it
    assert 50 < estimates["V2"].mean < 70


def page_commands() -> list[list[str]]:
    """The commands of the calibration page's shell block, as argument lists."""
    text = PAGE.read_text("utf-8")
    block = re.findall(r"```bash\n(.*?)```", text, flags=re.S)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def run_page_command(words: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    """A `python benchmarks/calibrate.py ...` line of the page, with extra options after it."""
    assert words[:2] == ["python", "benchmarks/calibrate.py"]
    argv = [sys.executable, str(ROOT / words[1]), *words[2:], *extra]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_page_command_rewrites_only_the_results_table(measures: ModuleType, tmp_path: Path):
    """The page's first command, 2 replications instead of 10, on a copy of the page."""
    page = tmp_path / "calibration.md"
    original = PAGE.read_text("utf-8")
    page.write_text(original, "utf-8")
    done = run_page_command(page_commands()[0], "--replications", "2", "--doc", str(page))
    assert done.returncode == 0, done.stderr
    new = page.read_text("utf-8")
    start = "<!-- calibration-results:start"
    end = "<!-- calibration-results:end -->"
    assert new.split(start)[0] == original.split(start)[0]
    assert new.split(end)[1] == original.split(end)[1]
    table = new.split(start)[1].split(end)[0]
    rows = [line for line in table.splitlines() if line.startswith("| V")]
    assert [r.split(":")[0].lstrip("| ") for r in rows] == [t.key for t in measures.TARGETS]
    assert "Simulated: 2 replications" in table


def test_page_quick_look_prints_the_table_and_leaves_the_page():
    """The page's second command, 2 replications instead of 3."""
    before = PAGE.read_text("utf-8")
    done = run_page_command(page_commands()[1], "--replications", "2")
    assert done.returncode == 0, done.stderr
    assert "| V1: Kazakhstan–China rail tonnage" in done.stdout
    assert "written:" not in done.stdout
    assert PAGE.read_text("utf-8") == before


@pytest.mark.parametrize(
    "bad", [["--replications", "1"], ["--jobs", "0"], ["--doc", "no/such/page.md"]]
)
def test_calibrate_script_rejects_bad_input_with_exit_2(bad: list[str], tmp_path: Path):
    script = str(BENCHMARKS / "calibrate.py")
    done = subprocess.run([sys.executable, script, *bad], capture_output=True, text=True)
    assert done.returncode == 2
    assert bad[0].lstrip("-") in done.stderr or bad[1] in done.stderr
    assert "Traceback" not in done.stderr


def test_calibrate_script_refuses_a_page_without_its_markers(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("# no markers here\n", "utf-8")
    script = str(BENCHMARKS / "calibrate.py")
    done = subprocess.run(
        [sys.executable, script, "--doc", str(page)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "calibration-results:start" in done.stderr
    assert page.read_text("utf-8") == "# no markers here\n"
