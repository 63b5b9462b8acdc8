"""The yearly `route` rows: trains each flow forms at its origin on each corridor's routes, as
route choice sends them, the same whether tables are built online or from whole records."""

from __future__ import annotations

import pytest

from simulator.engine.simulation import simulate
from simulator.output.record_files import read_records, write_records
from simulator.records.stored import compact
from simulator.report.build import build_report
from simulator.report.online import OnlineTables
from simulator.report.replication_tables import replication_tables
from tests.engine_fixtures import container_flow, node, scenario, section, train_types
from tests.output.test_record_files import assert_same_records
from tests.toy_runs import exact


def _labelled_crossings(years: int = 1):
    """a → x1 → b and a → x2 → b, x1 (corridor "north") exchanging 10 trains a day and x2
    ("south") 5, with 12 a day asked: route choice fills both."""
    nodes = [
        node("a", "hub"),
        node("x1", "border", exchange_trains_per_day=10, corridor="north"),
        node("b", "exit"),
        node("x2", "border", exchange_trains_per_day=5, corridor="south"),
    ]
    sections = [
        section("a", "x1", length_km=200),
        section("x1", "b", length_km=200),
        section("a", "x2", length_km=205),
        section("x2", "b", length_km=200),
    ]
    flows = [container_flow("a", "b", 12 * 365 * 10)]
    types = train_types(teu_1435=10, wait_h=1000.0)
    return scenario(nodes, sections, flows, years=years, types=types)


def test_route_rows_count_the_trains_formed_on_each_corridor():
    """Each corridor's route rows match the trains through its crossing in the year, to the
    few still on their way at the horizon (seen: 3), and add up to every train formed."""
    s = _labelled_crossings()
    run = simulate(s, 0)
    report = build_report(s, [run])
    routes = {r["direction"]: r for r in report.yearly.where(kind="route", name="a-b")}
    assert set(routes) == {"north", "south"}
    for group, border in (("north", "x1"), ("south", "x2")):
        (crossed,) = report.yearly.where(kind="border", name=border, direction="both")
        assert routes[group]["trains"] == pytest.approx(crossed["trains"], abs=10)
        assert routes[group]["teu"] == 10 * routes[group]["trains"]
    formed = sum(r["trains"] for r in routes.values())
    assert formed == pytest.approx(12 * 365, rel=0.05)  # Poisson demand, one year: 3 SE ≈ 3%
    assert routes["south"]["trains"] / formed == pytest.approx(5 / 15, abs=0.1)


def test_route_rows_are_the_same_online_and_from_whole_records():
    s = _labelled_crossings(years=2)
    whole = replication_tables(compact(simulate(s, 1)), 2)
    online = OnlineTables(2)
    run = simulate(s, 1, sink=online)
    tables = online.tables(run)
    assert exact(tables) == exact(whole)
    routes = [row for row in tables.yearly_cells.rows if row[1] == "route"]
    assert {(row[0], row[3]) for row in routes} == {
        (year, group) for year in (2022, 2023) for group in ("north", "south")
    }


def test_route_rows_are_kept_in_the_records_and_read_back(tmp_path):
    stored = compact(simulate(_labelled_crossings(), 0))
    assert len(stored.routes["flow"]) == 2  # one flow, one year, two corridors
    write_records(tmp_path, stored)
    assert_same_records(stored, read_records(tmp_path, 0))
