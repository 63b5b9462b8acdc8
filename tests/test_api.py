"""The Python API: what `simulator` exports, replications over executors, progress, docs code."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import simulator
from simulator import (
    build_report,
    load_scenario,
    read_run,
    run,
    run_outcomes,
    simulate,
    write_outcomes,
    write_run,
)
from simulator.experiment.progress import ProgressBar
from simulator.records.results import RunResult
from simulator.records.stored import compact
from simulator.report.replication_tables import replication_tables
from tests.toy_runs import exact

REPO = Path(__file__).resolve().parent.parent
LIGHT = ["flows.xian-europe.teu_per_year=40_000", "flows.ore-east.tonnes_per_year=500_000"]


@pytest.fixture(scope="module")
def scenario():
    """The tutorial corridor with little demand, so that replications take a fraction of a second."""
    return load_scenario(REPO / "scenarios" / "tutorial.yaml", [*LIGHT, "replications=2"])


@pytest.fixture(scope="module")
def serial(scenario):
    return run(scenario)


def same(a: RunResult, b: RunResult) -> bool:
    """Identical records (wall-clock time aside)."""
    for name in ("visits", "lots", "released", "backlog"):
        x, y = getattr(a, name), getattr(b, name)
        if x.keys() != y.keys() or not all(np.array_equal(x[k], y[k]) for k in x):
            return False
    return (a.replication, a.capacity, a.balances, a.trains) == (
        b.replication,
        b.capacity,
        b.balances,
        b.trains,
    )


def test_public_api_is_exactly_this():
    assert sorted(simulator.__all__) == sorted(
        [
            "BrisimError",
            "Comparison",
            "ConservationError",
            "OutputError",
            "Precision",
            "Problem",
            "ReplicationOutcome",
            "Report",
            "RunResult",
            "SavedRun",
            "Scenario",
            "ScenarioError",
            "Sweep",
            "Table",
            "__version__",
            "build_report",
            "capacity_bounds",
            "compare",
            "load_scenario",
            "read_run",
            "rebuild_report",
            "run",
            "run_outcomes",
            "simulate",
            "sweep",
            "write_outcomes",
            "write_run",
        ]
    )
    for name in simulator.__all__:
        assert getattr(simulator, name) is not None


def test_run_returns_replications_in_order_equal_to_simulate(scenario, serial):
    assert [r.replication for r in serial] == [0, 1]
    assert same(serial[1], simulate(scenario, 1))
    assert not same(serial[0], serial[1])
    assert [r.replication for r in run(scenario, replications=[3])] == [3]


def test_any_executor_gives_identical_results(scenario, serial):
    with ThreadPoolExecutor(max_workers=2) as executor:
        threaded = run(scenario, executor=executor)
    assert all(same(a, b) for a, b in zip(serial, threaded, strict=True))


def test_local_process_pool_gives_identical_results(scenario, serial):
    pooled = run(scenario, jobs=2)
    assert all(same(a, b) for a, b in zip(serial, pooled, strict=True))


def test_dask_client_executor_gives_identical_results(scenario, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2) as client:
        on_dask = run(scenario, executor=client.get_executor())
    assert all(same(a, b) for a, b in zip(serial, on_dask, strict=True))


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_outcomes_reduce_replications_where_they_run(scenario, serial, tmp_path, jobs):
    calls: list[tuple[int, float]] = []
    progress = lambda rep, hours: calls.append((rep, hours))  # noqa: E731
    outcomes = run_outcomes(scenario, jobs=jobs, records="first", progress=progress)
    assert [o.replication for o in outcomes] == [0, 1]
    assert outcomes[1].records is None
    assert same(outcomes[0].records, compact(serial[0]))
    for done, full in zip(outcomes, serial, strict=True):
        expected = replication_tables(compact(full), scenario.horizon_years)
        assert exact(done.tables) == exact(expected)  # NaN cells compare equal
        assert (done.trains, done.events, done.balances) == (
            full.trains,
            full.events,
            full.balances,
        )
        assert done.conserved and (done.replication, 2 * 8760.0) in calls
    written = write_outcomes(tmp_path / "run", scenario, outcomes)
    direct = write_run(tmp_path / "direct", scenario, serial)
    for name, table in direct.tables().items():
        assert written.tables()[name].to_csv_text() == table.to_csv_text(), name
    assert {p.name for p in (tmp_path / "run" / "records").iterdir()} == {
        p.name for p in (tmp_path / "direct" / "records").iterdir()
    }


def test_progress_reports_simulated_hours_per_replication(scenario):
    calls: list[tuple[int, float]] = []
    run(scenario, replications=2, progress=lambda rep, hours: calls.append((rep, hours)))
    horizon = 2 * 8760.0
    for rep in (0, 1):
        hours = [h for r, h in calls if r == rep]
        assert hours == sorted(hours) and hours[-1] == horizon
    calls.clear()
    with ThreadPoolExecutor(max_workers=2) as executor:
        run(scenario, executor=executor, progress=lambda rep, hours: calls.append((rep, hours)))
    assert sorted(calls) == [(0, horizon), (1, horizon)]


def test_bad_replications_are_refused(scenario):
    with pytest.raises(ValueError, match="from 1 to 10,000, got 0"):
        run(scenario, replications=0)
    with pytest.raises(ValueError, match="from 1 to 10,000, got 1000000000"):
        run(scenario, replications=10**9)  # refused before a list of a billion is built


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_counts_years_and_is_silent_when_asked(monkeypatch):
    monkeypatch.setattr("simulator.experiment.progress.SHOW_AFTER_SECONDS", 0)
    screen = FakeTerminal()
    with ProgressBar(2, 2 * 8760.0, stream=screen) as bar:
        bar(0, 8760.0)
        bar(1, 2 * 8760.0)
        assert bar.years_done == pytest.approx(3.0)
    assert "simulated years" in screen.getvalue()
    assert "replications 1/2 done" in screen.getvalue()
    for quiet, stream in ((True, FakeTerminal()), (False, io.StringIO())):
        with ProgressBar(2, 8760.0, quiet=quiet, stream=stream) as bar:
            bar(0, 8760.0)
        assert not bar.enabled and stream.getvalue() == ""


def test_tables_convert_to_pandas(scenario, serial):
    pandas = pytest.importorskip("pandas")
    frame = build_report(scenario, serial).yearly.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns)[:3] == ["replication", "year", "kind"]


def test_outputs_reference_python_example_runs(scenario, serial, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_run("runs/tutorial", scenario, serial)
    page = (REPO / "docs" / "reference" / "outputs.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "outputs.md", "exec"), {})
    printed = capsys.readouterr().out
    assert re.search(r"\d+ trains at Dostyk, longest wait [\d.]+ h", printed)
    assert read_run("runs/tutorial").runs[0].trains == serial[0].trains


def test_interrupting_a_pool_run_ends_its_workers(scenario):
    import multiprocessing

    def interrupt(replication: int, hours: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(scenario, replications=4, jobs=2, progress=interrupt)
    assert multiprocessing.active_children() == []


def test_run_and_load_scenario_take_a_path_and_keyword_overrides(scenario):
    path = REPO / "scenarios" / "tutorial.yaml"
    loaded = load_scenario(path, LIGHT, replications=2, horizon_years=1, changes=[])
    assert (loaded.replications, loaded.horizon_years, loaded.changes) == (2, 1, ())
    runs = run(loaded, replications=1, seed=9)
    assert runs.scenario.seed == 9 and [r.replication for r in runs] == [0]
    report = runs.report()
    assert report.replications == 1 and report.scenario_name == "tutorial"
    with pytest.raises(simulator.ScenarioError, match="horizon_years"):
        run(path, horizon_years=0)


def test_tables_show_a_short_repr_an_html_table_and_frames(serial, scenario):
    report = build_report(scenario, serial)
    table = report.yearly_summary
    assert repr(table).startswith(f"<Table {len(table)} rows × 11 columns: year, kind, name")
    page = table._repr_html_(limit=3)
    assert page.count("<tr>") == 4 and "<th>tonnes_mean</th>" in page
    assert f"{len(table) - 3} more rows" in page
    frames = report.frames()
    assert set(frames) == set(report.tables())
    assert list(frames["yearly_summary"].columns) == list(table.columns)
    assert len(frames["yearly"]) == len(report.yearly)


def test_without_pandas_the_message_names_the_extra(serial, scenario, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    report = build_report(scenario, serial)
    with pytest.raises(ImportError, match=r"pip install 'brisim\[pandas\]'"):
        report.frames()
    with pytest.raises(ImportError, match=r"brisim\[pandas\]"):
        report.yearly.to_pandas()
