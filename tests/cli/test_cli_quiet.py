"""What brisim prints: bare `brisim`, `--quiet`, and the progress line while charts are drawn."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import cli
from simulator.experiment.progress import ChartProgress

TUTORIAL_FILE = str(Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml")


def test_bare_brisim_prints_the_help_and_exits_0():
    done = subprocess.run(
        [sys.executable, "-m", "simulator"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: brisim") and "COMMAND" in done.stdout


def test_quiet_run_prints_nothing_and_writes_everything(tmp_path, capsys):
    out = tmp_path / "quiet"
    argv = ["run", TUTORIAL_FILE, "--replications", "1", "--quiet"]
    assert cli.main([*argv, "--out", str(out)]) == 0
    assert capsys.readouterr() == ("", "")
    assert (out / "report.md").is_file()


def test_run_help_says_what_quiet_hides(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    assert "print nothing but errors and warnings" in " ".join(capsys.readouterr().out.split())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_chart_progress_names_each_chart_on_a_terminal_only():
    terminal = _Terminal()
    with ChartProgress(2, stream=terminal) as step:
        step("yearly-crossings")
        step("report.html")
    shown = terminal.getvalue()
    assert "drawing charts 1/2: yearly-crossings" in shown
    assert "drawing charts 2/2: report.html" in shown
    assert shown.endswith("\r\033[K")  # the line is cleared at the end
    for stream, quiet in ((io.StringIO(), False), (_Terminal(), True)):
        with ChartProgress(1, quiet=quiet, stream=stream) as step:
            step("queues")
        assert stream.getvalue() == ""
