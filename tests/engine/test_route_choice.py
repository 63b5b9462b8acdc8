"""Route choice between parallel crossings, and dispatch control (max_queue_trains)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from simulator.engine.simulation import simulate
from simulator.scenario.calendar import Calendar
from tests.engine_fixtures import container_flow, node, scenario, section, train_types

TYPES = train_types(teu_1435=10, wait_h=1000.0)  # one 10-TEU lot fills a train
YEAR_H = 8760.0


def _resource(r, name: str) -> np.ndarray:
    return r.visits["resource"] == [res.name for res in r.resources].index(name)


def _two_crossings(trains_per_day: float, years: int = 1, x2: dict | None = None, **extra):
    """a → x1 → b and a → x2 → b, equal lengths; x1 exchanges 10 trains a day, x2 five."""
    nodes = [
        node("a", "hub"),
        node("x1", "border", exchange_trains_per_day=10),
        node("b", "exit"),
        node("x2", "border", exchange_trains_per_day=5),
    ]
    sections = [
        section("a", "x1", length_km=200),
        section("x1", "b", length_km=200),
        section("a", "x2", length_km=205, **(x2 or {})),
        section("x2", "b", length_km=200),
    ]
    flow = container_flow("a", "b", trains_per_day * 365 * 10)
    return scenario(nodes, sections, [flow], years=years, types=TYPES, **extra)


def _waits(r, name: str, after_h: float = 0.0) -> np.ndarray:
    at = _resource(r, name) & (r.visits["arrive_h"] >= after_h)
    return r.visits["start_h"][at] - r.visits["arrive_h"][at]


def test_least_time_choice_balances_waits_at_two_crossings():
    """A user equilibrium: at 13 trains a day on 10 + 5 both crossings are used and the mean
    wait at each is within 25% (or 2 hours) of the other's; fixed choice uses x1 alone."""
    r = simulate(_two_crossings(13.0), 0)
    w1, w2 = _waits(r, "x1/exchange", 720), _waits(r, "x2/exchange", 720)
    assert len(w1) > 0 and len(w2) > 0
    assert len(w1) / (len(w1) + len(w2)) == pytest.approx(13 / 15 * 10 / 13, abs=0.12)
    assert abs(w1.mean() - w2.mean()) <= max(0.25 * max(w1.mean(), w2.mean()), 2.0)
    fixed = simulate(_two_crossings(13.0, route_choice="fixed"), 0)
    assert _resource(fixed, "x2/exchange").sum() == 0


def test_overloaded_parallel_crossings_carry_the_sum_of_their_capacities():
    r = simulate(_two_crossings(20.0), 0)
    delivered_trains = r.lots["teu"].sum() / 10
    assert delivered_trains == pytest.approx(15 * 365, rel=0.03)
    fixed = simulate(_two_crossings(20.0, route_choice="fixed"), 0)
    assert fixed.lots["teu"].sum() / 10 == pytest.approx(10 * 365, rel=0.03)


def test_a_crossing_that_opens_mid_run_takes_traffic_from_then_on():
    opening = dt.date(2022, 7, 1)
    r = simulate(_two_crossings(13.0, x2={"opens": opening}), 0)
    hour = Calendar(dt.date(2022, 1, 1), 1).hours(opening)
    at_x2 = _resource(r, "x2/exchange")
    assert at_x2.sum() > 0.2 * 13 * 180
    assert (r.visits["arrive_h"][at_x2] >= hour).all()


def test_a_disruption_moves_traffic_to_the_other_crossing():
    cut = {"node": "x1", "start": dt.date(2022, 3, 1), "end": dt.date(2022, 4, 1)}
    r = simulate(_two_crossings(6.0, disruptions=[cut]), 0)
    cal = Calendar(dt.date(2022, 1, 1), 1)
    lo, hi = cal.hours(dt.date(2022, 3, 5)), cal.hours(dt.date(2022, 3, 25))
    arrive = r.visits["arrive_h"]
    at_x1, at_x2 = _resource(r, "x1/exchange"), _resource(r, "x2/exchange")

    def share_x2(lo_h: float, hi_h: float) -> float:
        window = (arrive >= lo_h) & (arrive < hi_h)
        return (at_x2 & window).sum() / ((at_x1 | at_x2) & window).sum()

    assert share_x2(lo, hi) > 0.95  # x1 closed: everything goes to x2
    assert share_x2(0.0, cal.hours(dt.date(2022, 2, 20))) < 0.35  # x1 open: the larger share


def test_fixed_choice_and_a_single_route_give_identical_records():
    """With one route per flow, least-time choice changes nothing, not even the event order."""
    line = scenario(
        [node("a", "hub"), node("x1", "border", exchange_trains_per_day=10), node("b", "exit")],
        [section("a", "x1"), section("x1", "b")],
        [container_flow("a", "b", 9 * 365 * 10)],
        types=TYPES,
    )
    a = simulate(line, 0)
    b = simulate(line.model_copy(update={"route_choice": "fixed"}), 0)
    for key in a.visits:
        assert np.array_equal(a.visits[key], b.visits[key])
    assert a.events == b.events


def test_listed_routes_with_a_contract_share_bind_that_share():
    routes = [["a", "x1", "b"], {"nodes": ["a", "x2", "b"], "share": 0.4}]
    s = _two_crossings(6.0)
    s = s.model_validate(
        {**s.model_dump(by_alias=True), "flows": [{**s.flows[0].model_dump(), "routes": routes}]}
    )
    r = simulate(s, 0)
    n2, n1 = _resource(r, "x2/exchange").sum(), _resource(r, "x1/exchange").sum()
    assert n2 / (n1 + n2) == pytest.approx(0.4, abs=0.02)


def test_dispatch_cap_keeps_the_line_queue_bounded_and_holds_the_backlog_at_the_origin():
    """Five times the crossing's capacity for ten years: with max_queue_trains the queue at
    the crossing stays within the cap and the backlog grows at the origin instead."""

    def line(cap: int | None, years: int = 10) -> object:
        border = {"exchange_trains_per_day": 2}
        if cap is not None:
            border["max_queue_trains"] = cap
        return scenario(
            [node("a", "hub"), node("x", "border", **border), node("b", "exit")],
            [section("a", "x", length_km=2000, speed_kmh=40), section("x", "b")],
            [container_flow("a", "b", 5 * 2 * 365 * 10)],
            years=years,
            types=TYPES,
        )

    r = simulate(line(6), 0)
    waits = _waits(r, "x/exchange", after_h=720.0)  # the first trains leave together
    assert waits.max() <= (6 + 1) * 12.0 + 1e-6  # at most 6 trains ahead, 12 h apart
    assert r.balances[0].on_trains_teu / 10 <= 6 + 50 / 12 + 2  # queue + trains on the line
    backlog = r.backlog["teu"]
    assert len(backlog) == 10 and (np.diff(backlog) > 0).all()
    assert r.lots["teu"].sum() / 10 / 10 == pytest.approx(2 * 365, rel=0.02)
    uncapped = simulate(line(None, years=1), 0)
    assert _waits(uncapped, "x/exchange").max() > 2000  # without the cap the queue grows


def _near_and_far(times_capacity: float, years: int = 2) -> object:
    """A crossing of 10 trains a day (cap 10) fed by a flow 50 km away and one 4,000 km away
    (100 hours), each asking for half of `times_capacity` x the crossing's trains."""
    border = {"exchange_trains_per_day": 10, "max_queue_trains": 10}
    per_flow = times_capacity * 10 / 2 * 365 * 10  # TEU a year; one 10-TEU lot a train
    return scenario(
        [node("near", "hub"), node("far", "hub"), node("x", "border", **border), node("b", "exit")],
        [
            section("near", "x", length_km=50),
            section("far", "x", length_km=4000, speed_kmh=40),
            section("x", "b"),
        ],
        [container_flow("near", "b", per_flow), container_flow("far", "b", per_flow)],
        years=years,
        types=TYPES,
    )


@pytest.mark.parametrize("times_capacity", [2.0, 5.0])
def test_a_full_crossing_shares_its_turns_in_proportion_to_demand_near_or_far(times_capacity):
    """Equal demand from near and far: each gets half of the full crossing (within 10%), and
    the crossing passes its capacity (within 3%), at twice and at five times its capacity.
    Trains formed far away wait on their way, so counting only trains held at their origin
    would give the far flow most of the turns."""
    r = simulate(_near_and_far(times_capacity), 0)
    second_year = r.lots["delivered_h"] >= YEAR_H
    near = ((r.lots["flow"] == 0) & second_year).sum()
    far = ((r.lots["flow"] == 1) & second_year).sum()
    assert near + far == pytest.approx(10 * 365, rel=0.03)
    assert near / (near + far) == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize("paired", [False, True])
def test_a_paired_single_track_gives_each_direction_its_own_paths(paired):
    """One track at 10 trains a day; 15 a day asked one way and 3 the other. Shared, the busy
    direction takes the paths the other leaves (all its 15); paired, it keeps to its 10."""
    flows = [container_flow("a", "b", 15 * 365 * 10), container_flow("b", "a", 3 * 365 * 10)]
    r = simulate(
        scenario(
            [node("a", "hub"), node("b", "hub")],
            [section("a", "b", tpd=10, tracks=1, paired=paired)],
            flows,
            years=2,
            types=TYPES,
            route_choice="fixed",
        ),
        0,
    )
    second_year = r.lots["delivered_h"] >= YEAR_H
    busy, quiet = (((r.lots["flow"] == f) & second_year).sum() for f in (0, 1))
    assert busy == pytest.approx((10 if paired else 15) * 365, rel=0.03)
    assert quiet == pytest.approx(3 * 365, rel=0.1)  # its Poisson demand: 3 SE is 9%


def test_a_full_capped_crossing_lets_its_overflow_take_a_slower_uncapped_route():
    """13 trains a day at a capped crossing of 10 with an uncapped one of 5, two days slower:
    the capped one takes its 10 and the other the rest (within 15%), and the backlog at the
    origin stays under ten days of demand (seen: 74 trains). Holding trains for the capped
    crossing alone, the uncapped one got none and 2,077 trains were waiting at the end."""
    nodes = [
        node("a", "hub"),
        node("x1", "border", exchange_trains_per_day=10, max_queue_trains=10),
        node("b", "exit"),
        node("x2", "border", exchange_trains_per_day=5),
    ]
    sections = [
        section("a", "x1", length_km=200),
        section("x1", "b", length_km=200),
        section("a", "x2", length_km=2600),  # 48 hours longer at 50 km/h
        section("x2", "b", length_km=200),
    ]
    flow = container_flow("a", "b", 13 * 365 * 10)
    r = simulate(scenario(nodes, sections, [flow], years=2, types=TYPES), 0)
    second_year = r.visits["arrive_h"] >= YEAR_H
    x1 = (_resource(r, "x1/exchange") & second_year).sum() / 365
    x2 = (_resource(r, "x2/exchange") & second_year).sum() / 365
    assert x1 == pytest.approx(10, rel=0.03)
    assert x2 == pytest.approx(3, rel=0.15)
    assert r.backlog["teu"][-1] < 10 * 13 * 10


def test_a_full_line_beyond_a_gauge_change_holds_containers_at_their_origin():
    """Twice the line's capacity beyond a capped gauge-change crossing with room to exchange:
    the containers wait at their origin, 2,000 km away, not in the crossing's pool (where they
    would pile up without bound). Over the second year the trains crossing match those leaving
    on the line within the cap and two days of its trains (seen: equal; 1,800 more before)."""
    nodes = [
        node("a", "hub"),
        node(
            "x",
            "border",
            gauge=[1435, 1520],
            handling={"slots": 4, "handling_hours": 1.0},
            exchange_trains_per_day=40,
            max_queue_trains=5,
        ),
        node("b", "exit", gauge=1520),
    ]
    sections = [
        section("a", "x", length_km=2000, speed_kmh=40),
        section("x", "b", tpd=5, gauge=1520),
    ]
    s = scenario(nodes, sections, [container_flow("a", "b", 10 * 365 * 10)], years=2, types=TYPES)
    r = simulate(s, 0)
    second = r.visits["arrive_h"] >= YEAR_H
    crossed = (_resource(r, "x/exchange") & second).sum()
    left = (_resource(r, "x-b") & second).sum()
    assert left == pytest.approx(5 * 365, rel=0.03)
    assert crossed - left <= 5 + 2 * 5  # the cap, and two days of the line's trains
    assert r.backlog["teu"][1] > r.backlog["teu"][0] > 300 * 10  # held at the origin
