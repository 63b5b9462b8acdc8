"""`brisim run`, `report` and `plot` end to end: exit codes, files, refusals, Ctrl-C, documentation."""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import cli
from simulator.errors import ConservationError
from simulator.output.record_files import LOTS_FILE, META_FILE, VISITS_FILE
from simulator.output.table_files import TABLES_FILE
from simulator.report.tables import Table
from simulator.scenario.loading import load_scenario

REPO = Path(__file__).resolve().parents[2]
TUTORIAL = "scenarios/tutorial.yaml"  # relative: for tests run inside `workspace`
TUTORIAL_FILE = str(REPO / TUTORIAL)
RECORD_FILES = (VISITS_FILE, LOTS_FILE, META_FILE)
RECORD_BYTES_PER_VISIT = 30  # lots included; the columns in memory take about 60


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A scratch folder with the scenarios, as the working directory (runs/ goes there)."""
    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def first_run_and_output(tmp_path_factory):
    """One two-replication run of the tutorial and what it printed, shared by read-only tests."""
    out = tmp_path_factory.mktemp("cli") / "tutorial"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(["run", TUTORIAL_FILE, "--replications", "2", "--out", str(out)])
    assert code == 0
    return out, printed.getvalue()


@pytest.fixture
def first_run(first_run_and_output):
    return first_run_and_output[0]


def csv_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.csv"))}


def hidden(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(".")]


def test_run_writes_every_file_and_prints_the_yearly_table(first_run, capsys):
    names = {p.name for p in first_run.iterdir()}
    assert {"report.md", "scenario.yaml", "manifest.json", "yearly.csv", "records"} <= names
    assert {"resources.csv", "flows.csv", "yearly_summary.csv", "bottlenecks.csv"} <= names
    assert "charts" not in names  # --no-plots is the default
    yearly = Table.from_csv(first_run / "yearly.csv")
    assert set(yearly.column("replication")) == {0, 1}
    assert set(yearly.column("year")) == {2022, 2023}
    assert set(yearly.where(kind="border").column("name")) == {"dostyk"}
    report = (first_run / "report.md").read_text()
    assert "## Tonnes through each border crossing" in report and "| 2023 | dostyk |" in report
    assert "passed" in report and "FAILED" not in report


def test_printed_table_has_crossings_ci_and_busiest_resource(first_run_and_output):
    lines = first_run_and_output[1].splitlines()
    assert lines[0] == "tutorial: 2 replications, mean ± 95% CI"
    assert re.match(r"year\s+dostyk \(t\)\s+delivered \(t\)\s+bottleneck", lines[1])
    cells = r"2022\s+[\d,]+ ± [\d,]+\s+[\d,]+ ± [\d,]+\s+\S+ \([\d,]+ train-h waiting, \d+% used\)"
    assert re.match(cells, lines[2])
    assert lines[3].startswith("2023")


def test_records_are_compact_and_kept_for_the_first_replication(first_run):
    records = first_run / "records"
    assert not (records / VISITS_FILE.format(1)).exists()
    size = sum((records / name.format(0)).stat().st_size for name in RECORD_FILES)
    resources = Table.from_csv(first_run / "resources.csv")
    visits = sum(resources.where(replication=0).column("trains"))
    assert size / visits < RECORD_BYTES_PER_VISIT
    tables = [(records / TABLES_FILE.format(rep)).stat().st_size for rep in (0, 1)]
    assert max(tables) < 20_000 * 2  # bytes per replication and simulated year (2 years)


@pytest.mark.parametrize(("choice", "kept"), [("none", []), ("all", [0, 1])])
def test_records_option_chooses_the_replications_with_records(first_run, tmp_path, choice, kept):
    out = tmp_path / choice
    argv = ["run", TUTORIAL_FILE, "--replications", "2", "--records", choice, "--out", str(out)]
    assert cli.main(argv) == 0
    for rep in (0, 1):
        assert (out / "records" / VISITS_FILE.format(rep)).exists() == (rep in kept)
    assert csv_files(out) == csv_files(first_run)
    for name in csv_files(out):
        (out / name).unlink()
    assert cli.main(["report", str(out)]) == 0
    assert csv_files(out) == csv_files(first_run)
    assert (out / "report.md").read_bytes() == (first_run / "report.md").read_bytes()


def test_existing_run_directory_is_refused_without_overwrite(first_run, capsys):
    before = csv_files(first_run)
    code = cli.main(["run", TUTORIAL_FILE, "--out", str(first_run)])
    assert code == 2
    assert "already exists; add --overwrite" in capsys.readouterr().err
    assert csv_files(first_run) == before


def test_report_rebuilds_identical_tables_without_simulating(first_run, monkeypatch, capsys):
    before = csv_files(first_run)
    before_md = (first_run / "report.md").read_bytes()
    for name in before:
        (first_run / name).unlink()

    def no_simulation(*args, **kwargs):
        raise AssertionError("brisim report must not simulate")

    monkeypatch.setattr(cli, "run_replications", no_simulation)
    assert cli.main(["report", str(first_run)]) == 0
    assert csv_files(first_run) == before
    assert (first_run / "report.md").read_bytes() == before_md
    assert "dostyk" in capsys.readouterr().out


def test_two_jobs_give_the_same_yearly_csv_and_records_as_one(first_run, tmp_path):
    """On a pool the parent writes the kept replication's visits file: the same bytes."""
    out = tmp_path / "parallel"
    code = cli.main(["run", TUTORIAL_FILE, "--replications", "2", "--jobs", "2", "--out", str(out)])
    assert code == 0
    assert filecmp.cmp(out / "yearly.csv", first_run / "yearly.csv", shallow=False)
    assert filecmp.cmp(out / "resources.csv", first_run / "resources.csv", shallow=False)
    names = sorted(p.name for p in (first_run / "records").iterdir())
    assert "visits-rep0.parquet" in names and "lots-rep0.parquet" in names
    assert sorted(p.name for p in (out / "records").iterdir()) == names
    for name in names:
        if name.endswith(".parquet"):
            assert filecmp.cmp(out / "records" / name, first_run / "records" / name, False), name
    assert hidden(tmp_path) == []  # the spool and its temporary files are gone


def test_default_out_is_runs_scenario_name_and_overrides_reach_scenario_yaml(workspace):
    ore = "flows.ore-east.tonnes_per_year=1000000"
    argv = ["run", TUTORIAL, "--seed", "7", "--replications", "1", "--years", "2", "--set", ore]
    assert cli.main(argv) == 0
    resolved = load_scenario(workspace / "runs" / "tutorial" / "scenario.yaml")
    assert (resolved.seed, resolved.replications, resolved.horizon_years) == (7, 1, 2)
    assert resolved.flows[1].tonnes_per_year == 1_000_000
    expected = [ore, "horizon_years=2", "seed=7", "replications=1"]
    assert resolved == load_scenario(TUTORIAL, expected)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "missing.yaml"], "missing.yaml: file not found"),
        (["run", TUTORIAL, "--set", "seed=-1"], "--set seed=-1: seed"),
        (["run", TUTORIAL, "--set", "flows.xian-europe.teu_pr_year=1"], "did you mean"),
        (["run", TUTORIAL, "--years", "0"], "--years 0: horizon_years"),
        (["report", "no-such-run"], "no such run directory"),
        (["plot", "no-such-run"], "no such run directory"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(workspace, capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (workspace / "runs").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--jobs", "0"], "--jobs: expected at least 1"),
        (["--records", "some"], "--records: invalid choice: 'some'"),
    ],
)
def test_bad_options_exit_2(capsys, option, message):
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", TUTORIAL_FILE, *option])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_ctrl_c_during_simulation_leaves_nothing(workspace, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_replications", interrupted)
    assert cli.main(["run", TUTORIAL, "--out", "runs/x"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not (workspace / "runs" / "x").exists()


def test_ctrl_c_while_writing_leaves_no_half_written_directory(workspace, monkeypatch):
    import simulator.output.run_writer as export

    real = export.write_meta
    calls = []

    def write_then_interrupt(directory, run):
        calls.append(real(directory, run))  # the record files are in, one more, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "write_meta", write_then_interrupt)
    assert cli.main(["run", TUTORIAL, "--replications", "1", "--out", "runs/x"]) == 130
    assert len(calls) == 1
    assert list((workspace / "runs").iterdir()) == []


def test_ctrl_c_during_overwrite_keeps_the_old_run(first_run, monkeypatch):
    import simulator.output.run_writer as export

    before = csv_files(first_run)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "write_tables", interrupt)
    argv = ["run", TUTORIAL_FILE, "--replications", "1", "--out", str(first_run), "--overwrite"]
    assert cli.main(argv) == 130
    assert csv_files(first_run) == before
    assert hidden(first_run.parent) == []


def test_a_failed_conservation_check_exits_1(workspace, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise ConservationError("tonnage not conserved in replication 0")

    monkeypatch.setattr(cli, "run_replications", broken)
    assert cli.main(["run", TUTORIAL]) == 1
    assert "conservation check" in capsys.readouterr().err


def test_missing_chart_modules_give_a_clear_error(first_run, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "simulator.plots", None)
    assert cli.main(["plot", str(first_run)]) == 2
    assert "charts are not available" in capsys.readouterr().err
    assert cli.main(["run", TUTORIAL_FILE, "--plots", "--out", str(first_run.parent / "p")]) == 2
    assert not (first_run.parent / "p").exists()


def test_plots_are_written_before_the_rename(tmp_path):
    out = tmp_path / "plotted"
    argv = ["run", TUTORIAL_FILE, "--replications", "1", "--plots", "--out", str(out)]
    assert cli.main(argv) == 0
    assert (out / "report.html").is_file()
    assert (out / "charts" / "yearly-crossings.png").is_file()


def test_console_script_help_runs():
    script = Path(sys.executable).with_name("brisim")
    command = [str(script)] if script.exists() else [shutil.which("brisim") or "brisim"]
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    for word in ("validate", "run", "report", "plot"):
        assert word in done.stdout
    done = subprocess.run([*command, "run", "--help"], capture_output=True, text=True, timeout=120)
    assert "--overwrite" in done.stdout and "--no-plots" in done.stdout


def test_every_option_of_every_command_is_documented():
    page = (REPO / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {
        *("validate", "schema", "run", "report", "plot", "compare", "sweep", "capacity")
    }
    for name, sub in commands.choices.items():
        assert f"brisim {name}" in page, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert f"`{option}" in page or f" {option}" in page, (name, option)


def test_run_with_auto_replications_says_how_many_it_took(tmp_path, capsys):
    light = ["flows.xian-europe.teu_per_year=40_000", "flows.ore-east.tonnes_per_year=500_000"]
    argv = ["run", str(REPO / "scenarios" / "tutorial.yaml"), "--years", "1"]
    argv += [a for s in [*light, "changes=[]"] for a in ("--set", s)]
    argv += ["--replications", "auto", "--precision", "0.01%", "--max-replications", "4"]
    assert cli.main([*argv, "--out", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert "replications: 4 (auto: stopped at --max-replications before reaching 0.01%)" in out
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert "replications: 4" in (tmp_path / "run" / "scenario.yaml").read_text()
    assert manifest["records_kept"] == [0]
