"""Figures at the end of a run under overload: trains still queued stay in every queue figure,
and a border counts only what went onto the line beyond it."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.engine.simulation import simulate
from simulator.report.build import build_report
from tests.engine_fixtures import node, scenario, section

YEARS = 10
LINE_TRAINS_PER_DAY = 2
DEMAND_TRAINS_PER_DAY = 10  # five times what the line beyond the crossing takes
TONNES_PER_TRAIN = 1000.0
BULK_HANDLING = {"slots": 2, "handling_hours": 4.0, "bulk_handling_hours": 1.0}


@pytest.fixture(scope="module")
def overloaded():
    """Ore through a border crossing x whose onward line takes a fifth of the trains offered."""
    flow = {
        "id": "ore",
        "origin": "a",
        "destination": "b",
        "cargo": "bulk",
        "tonnes_per_year": DEMAND_TRAINS_PER_DAY * 365 * TONNES_PER_TRAIN,
        "lot_tonnes": TONNES_PER_TRAIN,
    }
    s = scenario(
        [
            node("a", "hub"),
            node("x", "border", [1435, 1520], handling=BULK_HANDLING),
            node("b", "exit", 1520),
        ],
        [section("a", "x"), section("x", "b", tpd=LINE_TRAINS_PER_DAY, gauge=1520)],
        [flow],
        years=YEARS,
    )
    run = simulate(s, 0)
    return run, build_report(s, [run])


def test_trains_queued_at_the_end_are_open_visits_of_the_line(overloaded):
    run, _ = overloaded
    v = run.visits
    line = [r.name for r in run.resources].index("x-b")
    waiting = (v["resource"] == line) & ~v["completed"] & (v["start_h"] >= run.horizon_hours)
    on_trains = sum(b.on_trains_tonnes for b in run.balances)
    assert on_trains / TONNES_PER_TRAIN > 0.75 * DEMAND_TRAINS_PER_DAY * 365 * YEARS
    assert on_trains / TONNES_PER_TRAIN - 5 <= int(waiting.sum()) <= on_trains / TONNES_PER_TRAIN
    assert np.all(v["end_h"][waiting] == run.horizon_hours)
    open_tonnes = float(v["tonnes"][~v["completed"]].sum())
    assert open_tonnes == pytest.approx(on_trains)  # every train on the network is in a visit


def test_the_last_year_counts_the_queue_it_ends_with(overloaded):
    run, report = overloaded
    last = run.start_date.year + YEARS - 1
    (row,) = report.resources.where(resource="x-b", year=last)
    still = sum(b.on_trains_tonnes for b in run.balances) / TONNES_PER_TRAIN
    assert row["trains_open"] == pytest.approx(still, abs=5)
    assert row["queue_max"] == pytest.approx(still, rel=0.01)
    # the queue grows by 8 trains a day all year: its mean is about the mid-year queue
    assert row["queue_mean"] == pytest.approx(still - 8 * 365 / 2, rel=0.02)
    assert row["wait_train_hours"] == pytest.approx(row["queue_mean"] * 8760, rel=1e-9)
    (top,) = report.bottlenecks.where(year=last, rank=1)
    assert top["resource"] == "x-b" and top["trains_open_mean"] == row["trains_open"]


def test_the_daily_queue_keeps_growing_to_the_end(overloaded):
    _, report = overloaded
    samples = report.queues.where(resource="x-b")
    queue = np.array(samples.column("queue_trains"))
    still = np.array(samples.column("queue_trains_open"))
    assert queue[-1] == queue.max()  # no fall at the end: the queue is never dropped
    assert np.all(np.diff(queue[::30]) > 0)  # month after month it grows
    assert queue[-1] == pytest.approx(DEMAND_TRAINS_PER_DAY * 365 * YEARS * 0.8, rel=0.02)
    # of those queued at the last midnight, only the day's few entries left before the end
    assert 0 <= queue[-1] - still[-1] <= LINE_TRAINS_PER_DAY
    assert still[365] == 0 < queue[365]  # a year in, the queue then left long before the end


def test_a_border_counts_what_went_onto_the_line_beyond_and_holds_the_rest(overloaded):
    run, report = overloaded
    y = report.yearly
    carried = LINE_TRAINS_PER_DAY * TONNES_PER_TRAIN
    for year in range(run.start_date.year, run.start_date.year + YEARS):
        (border,) = y.where(year=year, kind="border", name="x", direction="both")
        (node_row,) = y.where(year=year, kind="node", name="x", direction="both")
        days = 366 if year % 4 == 0 else 365
        assert border["tonnes"] == pytest.approx(days * carried, abs=carried)
        assert node_row["tonnes"] > 4 * border["tonnes"]  # handled: all that was offered
    last = run.start_date.year + YEARS - 1
    (held,) = y.where(year=last, kind="border_held", name="x")
    handled = sum(y.where(kind="node", name="x", direction="both").column("tonnes"))
    crossed = sum(y.where(kind="border", name="x", direction="both").column("tonnes"))
    assert held["tonnes"] == pytest.approx(handled - crossed)
    assert held["tonnes"] > 0.75 * handled
