"""Modelled features: gauge change, bulk, ships, openings, closures, breakdowns, overload."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from simulator.engine.simulation import simulate
from simulator.scenario.calendar import Calendar
from tests.engine_fixtures import container_flow, node, scenario, section, train_types

BORDER = {"slots": 2, "handling_hours": 1.0, "bulk_handling_hours": 5.0}


def _resource(r, name: str) -> np.ndarray:
    """Completed visits to a resource (not those still open when the run ended)."""
    index = [res.name for res in r.resources].index(name)
    return (r.visits["resource"] == index) & r.visits["completed"]


def _border_line(flows, types=None, years=1, **extra):
    nodes = [
        node("a", "hub"),
        node("x", "border", [1435, 1520], handling=BORDER),
        node("b", "exit", 1520),
    ]
    sections = [section("a", "x"), section("x", "b", gauge=1520)]
    return scenario(nodes, sections, flows, types=types, years=years, **extra)


def test_gauge_change_regroups_three_trains_into_two():
    types = train_types(teu_1435=100, teu_1520=150, wait_h=24 * 30)
    r = simulate(_border_line([container_flow("a", "b", 200_000, lot_teu=10)], types), 0)
    narrow = len(np.unique(r.visits["train"][_resource(r, "a-x")]))
    broad = len(np.unique(r.visits["train"][_resource(r, "x-b")]))
    assert broad / narrow == pytest.approx(2 / 3, rel=0.02)
    assert np.allclose(r.visits["teu"][_resource(r, "x-b")][:-5], 150)
    border = _resource(r, "x")
    assert np.allclose(r.visits["busy_h"][border], 1.0)  # container transshipment time


def test_bulk_trains_cross_the_gauge_change_whole_with_their_own_handling_time():
    flow = {
        "id": "ore",
        "origin": "b",
        "destination": "a",
        "cargo": "bulk",
        "tonnes_per_year": 1_000_000,
        "lot_tonnes": 500,
    }
    r = simulate(_border_line([flow]), 0)
    trains_in = set(r.visits["train"][_resource(r, "x-b")])
    trains_out = set(r.visits["train"][_resource(r, "a-x")])
    assert trains_out <= trains_in and len(trains_out) >= len(trains_in) - 2
    assert np.allclose(r.visits["busy_h"][_resource(r, "x")], 5.0)
    assert r.lots["tonnes"].sum() == pytest.approx(len(r.lots["tonnes"]) * 500)


def test_ships_unload_at_berths_and_feed_trains_at_the_port():
    port = node(
        "p",
        "seaport",
        handling={"slots": 1, "handling_hours": 1.0},
        port={"berths": 1, "crane_teu_per_hour": 50},
    )
    flow = container_flow("p", "b", 52 * 500, lot_teu=10, ship_teu_per_call=500)
    s = scenario([port, node("b", "exit")], [section("p", "b")], [flow])
    r = simulate(s, 0)
    berth = _resource(r, "p/berths")
    calls = berth.sum()
    assert 30 <= calls <= 80  # a Poisson count around 52
    assert np.allclose(r.visits["end_h"][berth] - r.visits["start_h"][berth], 10.0)  # 500/50
    assert r.conserved
    # a ship's 50 lots leave in 5 trains of 100... here trains hold 10 TEU: one lot each
    assert len(r.lots["released_h"]) == pytest.approx(calls * 50, abs=50 * 2)


def test_traffic_moves_to_a_new_line_on_its_opening_date():
    opening = dt.date(2022, 7, 1)
    nodes = [node("a", "hub"), node("m", "junction"), node("b", "exit")]
    sections = [
        section("a", "m", length_km=500),
        section("m", "b", length_km=500),
        section("a", "b", length_km=300, opens=opening),
    ]
    r = simulate(scenario(nodes, sections, [container_flow("a", "b", 20_000)]), 0)
    hour = Calendar(dt.date(2022, 1, 1), 1).hours(opening)
    new = _resource(r, "a-b")
    old = _resource(r, "a-m")
    assert new.sum() > 0 and (r.visits["start_h"][new] >= hour).all()
    assert (r.visits["arrive_h"][old] < hour + 1000).all()  # only lots released before
    assert old.sum() > 0


def test_a_dated_closure_stops_entries_and_is_counted_as_closed_hours():
    nodes = [node("a", "hub"), node("b", "exit")]
    disruption = {"section": "a-b", "start": dt.date(2022, 3, 1), "end": dt.date(2022, 3, 11)}
    s = scenario(
        nodes,
        [section("a", "b", tpd=20)],
        [container_flow("a", "b", 30_000)],
        disruptions=[disruption],
    )
    r = simulate(s, 0)
    cal = Calendar(dt.date(2022, 1, 1), 1)
    lo, hi = cal.hours(dt.date(2022, 3, 1)), cal.hours(dt.date(2022, 3, 11))
    starts = r.visits["start_h"][_resource(r, "a-b")]
    assert not ((starts >= lo) & (starts < hi)).any()
    cap = next(c for c in r.capacity if r.resources[c.resource].name == "a-b")
    assert cap.closed_hours == pytest.approx(240.0)


def test_random_breakdowns_close_for_the_expected_share_of_time():
    nodes = [node("a", "hub"), node("b", "exit")]
    s = scenario(
        nodes,
        [section("a", "b", tpd=20)],
        [container_flow("a", "b", 1000)],
        disruptions=[{"section": "a-b", "mtbf_hours": 100, "mttr_hours": 10}],
        years=3,
    )
    closed = [c.closed_hours for c in simulate(s, 0).capacity]
    share = sum(closed) / (3 * 8760 + 24)
    assert share == pytest.approx(10 / 110, rel=0.25)


def test_a_capacity_change_takes_effect_on_its_date():
    nodes = [node("a", "hub"), node("b", "exit")]
    change = {"date": dt.date(2022, 7, 1), "section": "a-b", "set": {"trains_per_day": 8}}
    s = scenario(
        nodes,
        [section("a", "b", tpd=4)],
        [container_flow("a", "b", 20 * 365 * 10)],
        changes=[change],
    )
    r = simulate(s, 0)
    starts = np.sort(r.visits["start_h"][_resource(r, "a-b")])
    hour = Calendar(dt.date(2022, 1, 1), 1).hours(dt.date(2022, 7, 1))
    gaps_before = np.diff(starts[starts < hour - 12])
    gaps_after = np.diff(starts[starts > hour + 12])
    assert np.allclose(gaps_before, 6.0) and np.allclose(gaps_after, 3.0)


def test_overload_completes_with_bounded_trains_and_a_growing_backlog():
    """Five times the capacity for ten years: lots pile up as arrays, trains stay bounded."""
    yard = {"slots": 1, "handling_hours": 0.5, "yard_trains": 3}
    nodes = [
        node("a", "hub", handling=yard),
        node("x", "border", [1435, 1520], handling={**BORDER, "yard_trains": 3}),
        node("b", "exit", 1520),
    ]
    sections = [section("a", "x", tpd=20), section("x", "b", tpd=2, gauge=1520)]
    types = train_types(teu_1435=100, teu_1520=100, wait_h=48)
    flow = container_flow("a", "b", 5 * 2 * 365 * 100, lot_teu=20)
    r = simulate(scenario(nodes, sections, [flow], types=types, years=10), 0)
    assert r.conserved
    on_trains = r.balances[0].on_trains_teu / 100
    assert on_trains <= 3 + 3 + 2  # yards at a and x, plus trains on the two sections
    backlog = r.backlog["teu"]
    assert len(backlog) == 10 and (np.diff(backlog) > 0).all()
    delivered_per_year = r.lots["teu"].sum() / 10
    assert delivered_per_year == pytest.approx(2 * 365 * 100, rel=0.02)  # the line's capacity


def test_an_exchange_limit_per_direction_holds_each_way_across_the_gauge_change():
    """[2, 6] at a border of gauges [1435, 1520]: trains heading to the 1435 mm side pass 2 a
    day and those heading to the 1520 mm side 6, each offered 8 a day (within 3%)."""
    nodes = [
        node("a", "hub"),
        node("x", "border", [1435, 1520], handling=BORDER, exchange_trains_per_day=[2, 6]),
        node("b", "hub", 1520),
    ]
    sections = [section("a", "x"), section("x", "b", gauge=1520)]
    bulk = {"cargo": "bulk", "tonnes_per_year": 8 * 365 * 1000.0, "lot_tonnes": 1000}
    flows = [
        {"id": "west", "origin": "a", "destination": "b", **bulk},
        {"id": "east", "origin": "b", "destination": "a", **bulk},
    ]
    types = train_types(tonnes=1000)
    r = simulate(scenario(nodes, sections, flows, types=types, years=2), 0)
    second_year = r.lots["delivered_h"] >= 8760.0
    west, east = (((r.lots["flow"] == f) & second_year).sum() for f in (0, 1))
    assert west == pytest.approx(6 * 365, rel=0.03)
    assert east == pytest.approx(2 * 365, rel=0.03)
