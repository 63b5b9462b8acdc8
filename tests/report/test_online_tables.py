"""Tables reduced a year at a time while a run goes equal those built from its whole records,
and the visits held while it runs do not grow with the horizon."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simulator.engine.simulation import simulate
from simulator.output.record_stream import RecordStream
from simulator.records.sink import OPEN_END_H, BothSinks
from simulator.records.stored import compact
from simulator.report.online import OnlineTables
from simulator.report.replication_tables import replication_tables
from simulator.scenario.loading import load_scenario
from tests.toy_runs import exact, toy_run


def replay(run, sink: OnlineTables) -> None:
    """Hand a finished run's rows to the sink as the engine would: each visit when it ends,
    each lot when delivered, and the visits in progress as open rows when asked for."""
    v, lots = run.visits, run.lots
    sink.begin(dataclasses.replace(run, visits={k: a[:0] for k, a in v.items()}))
    fed = np.zeros(len(v["end_h"]), dtype=bool)

    def in_progress(t: float) -> dict[str, np.ndarray]:
        rows = ~fed & (v["arrive_h"] < t)
        out = {k: a[rows].copy() for k, a in v.items()}
        out["start_h"][out["start_h"] >= t] = OPEN_END_H
        out["end_h"][:] = OPEN_END_H
        return out

    for t in sorted(set(v["end_h"].tolist()) | set(lots["delivered_h"].tolist())):
        now = (v["end_h"] == t) & ~fed
        if now.any():
            sink.visits({k: a[now] for k, a in v.items()})
        fed |= now
        delivered = lots["delivered_h"] == t
        if delivered.any():
            sink.lots({k: a[delivered] for k, a in lots.items()})
        sink.settled(t, lambda t=t: in_progress(t))


@pytest.mark.parametrize("warmup_hours", [0.0, 500.0, 8770.0])
def test_toy_run_tables_equal_whole_records(warmup_hours: float) -> None:
    run = toy_run(warmup_hours=warmup_hours)
    online = OnlineTables(horizon_years=2)
    replay(run, online)
    assert exact(online.tables(run)) == exact(replication_tables(compact(run), 2))


def test_engine_tables_equal_whole_records() -> None:
    scenario = load_scenario("scenarios/tutorial.yaml")
    whole = replication_tables(compact(simulate(scenario, 1)), scenario.horizon_years)
    online = OnlineTables(scenario.horizon_years)
    run = simulate(scenario, 1, sink=online)
    assert len(run.visits["train"]) == 0 and len(run.lots["flow"]) == 0  # nothing kept whole
    assert exact(online.tables(run)) == exact(whole)


def test_visits_held_do_not_grow_with_the_horizon(tmp_path) -> None:
    """With demand flat from year to year, an 8-year run holds as many visits at once as a
    2-year run (about a year's worth), within 10%, and none once its tables are made; so does
    the writer of its records (--records first), which holds the trains still running."""
    peaks, trains, written = {}, {}, {}
    for years in (2, 8):
        scenario = load_scenario(
            "scenarios/tutorial.yaml",
            ("flows.xian-europe.growth_per_year=0",),
            horizon_years=years,
            seed=7,
        )
        online = OnlineTables(years)
        stream = RecordStream(tmp_path, years)
        run = simulate(scenario, 0, sink=BothSinks(online, stream))
        online.tables(run)
        stream.finish()
        peaks[years], trains[years] = online.peak_rows, run.trains
        written[years] = stream.peak_rows
        assert online.held_rows == 0
    assert trains[8] > 3.5 * trains[2]  # the longer run did make four times the trains
    assert peaks[8] <= 1.1 * peaks[2]
    assert written[8] <= 1.1 * written[2]
