"""The sweep how-to: its commands run as written (with one replication, to stay quick), the
capacity output is exactly as shown, and the Python example runs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "how-to" / "sweep-a-parameter.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_the_sweep_command_writes_what_the_page_shows(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    sweep_line, capacity_line = (b.strip() for b in blocks("bash"))
    shown_sweep, shown_capacity = blocks("text")
    argv = shlex.split(sweep_line)
    assert argv[:2] == ["brisim", "sweep"]
    assert main([*argv[1:], "--replications", "1", "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == shown_sweep.splitlines()[0]  # the same columns
    values = [line.split()[0] for line in out[1:6]]
    assert values == [line.split()[0] for line in shown_sweep.splitlines()[1:6]]
    assert out[-1] == shown_sweep.splitlines()[-1]
    saturated = [float(line.split()[1]) for line in out[1:6]]
    assert saturated[4] - saturated[3] < 0.3 < saturated[1] - saturated[0]  # it flattens
    assert (tmp_path / "runs" / "sweep-demand" / "sweep.png").stat().st_size > 10_000
    assert main(shlex.split(capacity_line)[1:]) == 0
    assert capsys.readouterr().out == shown_capacity


def test_the_python_example_runs(tmp_path):
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (code,) = blocks("python")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["100000", "400000"]
    assert all(line.endswith("Mt across the border") for line in lines)
