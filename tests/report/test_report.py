"""Report tables against toy runs worked out by hand, and the statistics underneath them."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.records.results import VISIT_COLUMNS, ResourceInfo
from simulator.report.build import REPORT_TABLES, build_report
from simulator.report.resource_tables import bottlenecks_table, utilisation
from simulator.report.stats import ci_half_width, queue_at, queue_stats, t_critical
from simulator.report.summary import report_markdown, run_summary
from simulator.report.tables import Table
from simulator.scenario.loading import load_scenario
from tests.toy_runs import HOURS_2022, LOTS, VISITS, columns, toy_run

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(TUTORIAL)


def cell(table: Table, column: str, **where) -> object:
    rows = table.where(**where)
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.column(column)[0]


def test_border_tonnes_count_in_the_year_the_train_leaves_the_crossing(scenario):
    report = build_report(scenario, [toy_run()])
    y = report.yearly
    # train 2 arrives at Dostyk on 31 December 2022 and leaves on 1 January 2023
    assert cell(y, "tonnes", year=2022, kind="border", name="dostyk", direction="both") == 1100
    assert cell(y, "trains", year=2022, kind="border", name="dostyk", direction="both") == 1
    assert cell(y, "tonnes", year=2023, kind="border", name="dostyk", direction="both") == 4000
    assert cell(y, "trains", year=2023, kind="border", name="dostyk", direction="both") == 2


def test_directions_are_previous_and_next_node_and_add_up_to_both(scenario):
    y = build_report(scenario, [toy_run()]).yearly
    east = cell(y, "tonnes", year=2023, kind="border", name="dostyk", direction="aktogay>urumqi")
    west = cell(y, "tonnes", year=2023, kind="border", name="dostyk", direction="urumqi>aktogay")
    assert (east, west) == (3000, 1000)
    sections = y.where(year=2022, kind="section", name="urumqi-dostyk")
    assert sections.column("direction") == ["both", "urumqi>dostyk"]


def test_exchanges_are_not_counted_as_nodes_or_borders(scenario):
    y = build_report(scenario, [toy_run()]).yearly
    assert "dostyk/exchange" not in y.column("name")
    assert "dostyk-exchange" not in y.column("name")


def test_yearly_flow_sums_equal_the_total_and_the_lots(scenario):
    report = build_report(scenario, [toy_run()])
    y = report.yearly
    for year in (2022, 2023):
        flows = sum(y.where(year=year, kind="flow").column("tonnes"))
        assert cell(y, "tonnes", year=year, kind="total", name="all") == pytest.approx(flows)
    all_years = sum(y.where(kind="total").column("tonnes"))
    assert all_years == pytest.approx(sum(lot[4] for lot in LOTS))
    assert math.isnan(cell(y, "trains", year=2022, kind="flow", name="xian-europe"))


def test_resources_utilisation_waits_and_time_weighted_queue(scenario):
    r = build_report(scenario, [toy_run()]).resources
    where = {"year": 2022, "resource": "dostyk"}
    assert cell(r, "utilisation", **where) == pytest.approx(5.0 / (3 * HOURS_2022))
    assert cell(r, "wait_mean_h", **where) == pytest.approx(2.0)
    # waiting 100-102 h (train 1) and 8750-8755 h (train 2, which leaves in 2023)
    assert cell(r, "queue_mean", **where) == pytest.approx(7.0 / HOURS_2022)
    assert cell(r, "queue_max", **where) == 1
    where = {"year": 2023, "resource": "dostyk"}
    assert cell(r, "wait_mean_h", **where) == pytest.approx(7.5)
    assert cell(r, "wait_p95_h", **where) == pytest.approx(9.75)
    assert cell(r, "trains", **where) == 2
    assert cell(r, "hours_closed", year=2022, resource="urumqi-dostyk") == 12.0
    assert all(0.0 <= u <= 1.0 for u in r.column("utilisation"))


def test_utilisation_is_clipped_to_one(scenario):
    r = build_report(scenario, [toy_run(dostyk_capacity_hours=1.0)]).resources
    assert cell(r, "utilisation", year=2022, resource="dostyk") == 1.0
    assert utilisation(5.0, 0.0) == 1.0 and utilisation(0.0, 0.0) == 0.0


def test_queue_max_counts_overlapping_waits(scenario):
    visits = [
        (0, 1, 3, 1, 0, 10.0, 20.0, 21.0, 1.0, 0.0, 100.0),
        (0, 1, 3, 2, 0, 12.0, 21.0, 22.0, 1.0, 0.0, 100.0),
        (0, 1, 3, 3, 0, 15.0, 22.0, 23.0, 1.0, 0.0, 100.0),
    ]
    r = build_report(scenario, [toy_run(visits=visits)]).resources
    assert cell(r, "queue_max", year=2022, resource="dostyk") == 3
    assert cell(r, "queue_mean", year=2022, resource="dostyk") == pytest.approx(
        (10 + 9 + 7) / HOURS_2022
    )


def test_warmup_drops_early_visits_and_lots_but_not_conservation(scenario):
    report = build_report(scenario, [toy_run(warmup_hours=150.0)])
    y = report.yearly
    assert cell(y, "tonnes", year=2022, kind="border", name="dostyk", direction="both") == 0
    assert cell(y, "tonnes", year=2022, kind="section", name="urumqi-dostyk", direction="both") == 0
    assert cell(y, "tonnes", year=2022, kind="flow", name="xian-europe") == 44  # delivered at 200 h
    offered = cell(report.resources, "capacity_hours", year=2022, resource="dostyk")
    assert offered == pytest.approx(3 * (HOURS_2022 - 150.0))
    assert sum(report.conservation.column("released_tonnes")) == 632.0


def test_flows_released_delivered_backlog_and_transit(scenario):
    f = build_report(scenario, [toy_run()]).flows
    where = {"year": 2022, "flow": "xian-europe"}
    assert cell(f, "released_tonnes", **where) == 88.0  # months 0 and 11
    assert cell(f, "delivered_tonnes", **where) == 44.0
    assert cell(f, "backlog_tonnes", **where) == 44.0
    assert cell(f, "transit_mean_days", **where) == pytest.approx(190.0 / 24)
    assert cell(f, "formation_wait_mean_h", **where) == pytest.approx(5.0)
    where = {"year": 2023, "flow": "ore-east"}
    assert cell(f, "released_tonnes", **where) == 500.0
    assert cell(f, "transit_p50_days", **where) == pytest.approx(200.0 / 24)
    assert math.isnan(cell(f, "transit_p50_days", year=2022, flow="ore-east"))


def test_summary_gives_mean_and_student_t_half_width_over_replications(scenario):
    other = [v[:10] + (1300.0,) if v[3] == 1 else v for v in VISITS]  # train 1 carries more
    report = build_report(scenario, [toy_run(0), toy_run(1, visits=other)])
    s = report.yearly_summary
    where = {"year": 2022, "kind": "border", "name": "dostyk", "direction": "both"}
    assert cell(s, "replications", **where) == 2
    assert cell(s, "tonnes_mean", **where) == pytest.approx(1200.0)
    # two values 1100 and 1300: sd = 141.42, half-width = t(0.975, 1) * sd / sqrt(2)
    assert cell(s, "tonnes_ci95", **where) == pytest.approx(12.7062047 * 100.0, rel=1e-6)
    assert cell(s, "trains_ci95", **where) == 0.0
    assert report.replications == 2


def test_one_replication_has_zero_half_width(scenario):
    s = build_report(scenario, [toy_run()]).yearly_summary
    assert set(s.where(kind="border").column("tonnes_ci95")) == {0.0}


def test_bottlenecks_rank_by_waiting_train_hours_with_utilisation_beside():
    columns = (
        "replication",
        "year",
        "resource",
        "kind",
        "utilisation",
        "wait_mean_h",
        "wait_train_hours",
        "trains_open",
    )
    resources = Table(
        columns,
        (
            (0, 2022, "a", "node", 1.0, 2.0, 100.0, 0),
            (0, 2022, "b", "section", 0.6, 5.0, 300.0, 2),
            (1, 2022, "b", "section", 0.8, 7.0, 500.0, 4),
            (0, 2022, "c", "node", 0.5, 50.0, 0.0, 0),
            (0, 2023, "a", "node", 0.9, 0.0, 0.0, 0),
            (0, 2023, "b", "section", 0.4, 9.0, 0.0, 0),
        ),
    )
    b = bottlenecks_table(resources, per_year=2)
    assert b.column("resource") == ["b", "a", "a", "b"]  # 2023: no waiting, ties by utilisation
    assert b.column("rank") == [1, 2, 1, 2]
    top = b.where(year=2022, rank=1).rows[0]
    assert dict(zip(b.columns, top, strict=True)) == {
        "year": 2022,
        "rank": 1,
        "resource": "b",
        "kind": "section",
        "wait_train_hours_mean": 400.0,
        "wait_share": pytest.approx(400.0 / 500.0),
        "utilisation_mean": pytest.approx(0.7),
        "wait_mean_h": 6.0,
        "trains_open_mean": 3.0,
    }


def test_toy_report_bottleneck_is_where_trains_waited_longest(scenario):
    report = build_report(scenario, [toy_run()])
    assert cell(report.bottlenecks, "resource", year=2023, rank=1) == "dostyk"


def test_every_documented_table_is_present_with_plain_values(scenario):
    report = build_report(scenario, [toy_run()])
    assert tuple(report.tables()) == REPORT_TABLES
    for name, table in report.tables().items():
        for row in table.rows:
            assert all(type(v) in (int, float, str) for v in row), name
    assert report.markers.rows == (
        (8760.0, "2023-01-01", "2023-01-01", "change", "dostyk-aktogay", "second track"),
    )
    assert report.network_nodes.column("id")[2] == "dostyk"
    assert set(report.conservation.column("passed")) == {"true"}


def test_queue_samples_are_daily_at_midnight_after_the_warmup(scenario):
    visits = [
        (0, 1, 3, 1, 0, 40.0, 50.0, 55.0, 5.0, 0.0, 100.0),
        (0, 1, 3, 2, 0, 47.0, 80.0, 85.0, 5.0, 0.0, 100.0),
    ]
    q = build_report(scenario, [toy_run(visits=visits, warmup_hours=30.0)]).queues
    dostyk = q.where(resource="dostyk")
    assert dostyk.column("hour")[:3] == [48.0, 72.0, 96.0]
    assert dostyk.column("queue_trains")[:3] == [2, 1, 0]
    assert len(dostyk) == (2 * 365) - 2


def test_runs_of_different_networks_are_refused(scenario):
    a = toy_run()
    b = toy_run(1)
    object.__setattr__(b, "flows", ("one", "two"))
    with pytest.raises(ValueError, match="different networks"):
        build_report(scenario, [a, b])
    with pytest.raises(ValueError, match="at least one run"):
        build_report(scenario, [])


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.7062047), (2, 4.3026527), (4, 2.7764451), (9, 2.2621572), (29, 2.0452296)],
)
def test_t_critical_matches_tables(df, expected):
    assert t_critical(df) == pytest.approx(expected, abs=1e-6)


def test_ci_half_width_by_hand():
    assert ci_half_width([10.0]) == 0.0
    values = [1.0, 2.0, 3.0, 4.0, 5.0]  # sd = sqrt(2.5)
    assert ci_half_width(values) == pytest.approx(2.7764451 * math.sqrt(2.5) / math.sqrt(5))


def test_queue_stats_by_hand():
    arrive, start = np.array([0.0, 1.0, 2.0]), np.array([3.0, 2.0, 2.0])
    assert queue_stats(arrive, start, 0.0, 10.0) == (pytest.approx(0.4), 2)
    assert queue_stats(arrive, start, 2.5, 5.0) == (pytest.approx(0.5 / 2.5), 1)
    assert list(queue_at(arrive, start, np.array([0.0, 1.0, 2.0, 3.0]))) == [1, 2, 1, 0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 17000),
            st.floats(0, 50),
            st.floats(0, 50),
            st.floats(0, 100),
            st.integers(0, 1),
        ),
        max_size=30,
    )
)
def test_yearly_rows_add_up_and_utilisation_stays_in_range(rows):
    scenario = load_scenario(TUTORIAL)
    visits = [
        (r, 1, 3, i, 0, a, a + w, a + w + s, s * 3, 1.0, 10.0)
        for i, (a, w, s, _, r) in enumerate(rows)
    ]
    report = build_report(scenario, [toy_run(visits=visits, dostyk_capacity_hours=20.0)])
    counted = [v for v in visits if v[7] < 2 * HOURS_2022]
    y = report.yearly
    for kind, resource in (("node", 0), ("section", 1)):
        both = y.where(kind=kind, direction="both", name=["dostyk", "urumqi-dostyk"][resource])
        expected = sum(v[10] for v in counted if v[0] == resource)
        assert sum(both.column("tonnes")) == pytest.approx(expected)
        directions = [r for r in y if r["kind"] == kind and r["direction"] != "both"]
        assert sum(r["tonnes"] for r in directions) == pytest.approx(sum(both.column("tonnes")))
    assert all(0.0 <= u <= 1.0 for u in report.resources.column("utilisation"))
    assert all(
        m <= mx + 1e-9 or mx == 0
        for m, mx in zip(
            report.resources.column("queue_mean"), report.resources.column("queue_max"), strict=True
        )
    )


def two_crossing_run(replication: int, extra_tonnes: float):
    """The toy run with a second border crossing, Altynkol, passed by one train in 2022."""
    run = toy_run(replication)
    handled = (4, 1, 3, 9, 1, 300.0, 300.0, 310.0, 10.0, 0.0, extra_tonnes, True)
    left = (3, 5, 3, 9, 1, 310.0, 310.0, 320.0, 0.8, 0.0, extra_tonnes, True)
    return dataclasses.replace(
        run,
        nodes=(*run.nodes, "altynkol"),
        resources=(*run.resources, ResourceInfo("altynkol", "node", "border")),
        visits=columns(VISIT_COLUMNS, [*(v + (True,) for v in VISITS), handled, left]),
    )


def test_printed_summary_adds_all_crossings_when_there_are_several(scenario):
    report = build_report(scenario, [two_crossing_run(0, 500.0), two_crossing_run(1, 700.0)])
    lines = run_summary(report).splitlines()
    assert lines[0] == "tutorial: 2 replications, mean ± 95% CI"
    assert lines[1].split("  ")[0] == "year"
    assert "all crossings (t)" in lines[1] and "altynkol (t)" in lines[1]
    # 2022: dostyk 1,100 in both; altynkol 500 and 700; all crossings 1,600 and 1,800
    half_width = 12.7062047 * 100.0
    assert f"1,700 ± {half_width:,.0f}" in lines[2]
    assert "1,100 ± 0" in lines[2]
    markdown = report_markdown(report, {"horizon_years": 2})
    assert f"| 2022 | all crossings | 1,700 ± {half_width:,.0f} |" in markdown


def test_report_markdown_has_every_section_and_no_ci_for_one_replication(scenario):
    report = build_report(scenario, [toy_run()])
    text = report_markdown(report, {"description": "toy", "horizon_years": 2, "seed": 42})
    for heading in (
        "# tutorial: yearly report",
        "## Tonnes through each border crossing",
        "## Delivered per flow",
        "## Bottlenecks of each year",
        "## Busiest resources",
        "## Conservation check",
    ):
        assert heading in text
    assert "±" not in text.split("## Delivered per flow")[0].split("## Tonnes")[1]
    assert (
        "| 2023 | dostyk | 4,000 | 90 | 2 | aktogay>urumqi: 3,000; urumqi>aktogay: 1,000 |" in text
    )
    assert "| 0 | 632 | 588 | 44 | passed |" in text
    assert "all crossings" not in run_summary(report)
