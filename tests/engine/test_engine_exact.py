"""Exact toy cases: times computed by hand for gates, slots and single trains."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from simulator.engine.facilities import Gate, Slots
from simulator.engine.simulation import simulate
from simulator.engine.timeline import StepFunction
from tests.engine_fixtures import container_flow, container_type, node, scenario, section


def test_gate_spaces_entries_one_headway_apart_per_direction():
    gate = Gate(StepFunction.constant(12.0))  # headway 2 h
    entries = [gate.admit(t, 1)[0] for t in (0.0, 1.0, 1.5, 10.0)]
    assert entries == [0.0, 2.0, 4.0, 10.0]
    assert gate.admit(1.0, -1) == (1.0, 2.0)  # the other direction has its own gate


def test_single_track_gate_is_shared_by_both_directions_at_twice_the_rate():
    gate = Gate(StepFunction.constant(12.0), tracks=StepFunction.constant(1.0))  # 1 h shared
    assert [gate.admit(0.0, 1)[0], gate.admit(0.0, -1)[0], gate.admit(0.5, 1)[0]] == [0, 1, 2]
    assert gate.admit(0.5, 1)[1] == 1.0


def test_gate_waits_out_a_closure_and_follows_a_new_rate():
    rate = StepFunction((0.0, 5.0, 8.0), (12.0, 0.0, 24.0))  # 2 h, closed 5-8 h, then 1 h
    gate = Gate(rate)
    assert [gate.admit(t, 1)[0] for t in (4.0, 5.5, 5.6)] == [4.0, 8.0, 9.0]
    never = Gate(StepFunction((0.0, 1.0), (12.0, 0.0)))
    assert never.admit(2.0, 1)[0] == float("inf")


def test_second_track_splits_the_shared_gate_on_its_date():
    gate = Gate(StepFunction.constant(12.0), tracks=StepFunction((0.0, 10.0), (1.0, 2.0)))
    assert gate.admit(0.0, 1)[0] == 0.0
    assert gate.admit(0.0, -1)[0] == 1.0  # shared before hour 10
    assert gate.admit(20.0, 1) == (20.0, 2.0)
    assert gate.admit(20.0, -1) == (20.0, 2.0)  # own track from hour 10


def test_slots_follow_their_timeline_without_interrupting_work():
    env = simpy.Environment()
    slots = Slots(env, StepFunction((0.0, 5.0), (1.0, 2.0)))
    log: list[tuple[str, float]] = []

    def job(name: str, hold: float):
        yield slots.request()
        log.append((name, env.now))
        yield env.timeout(hold)
        slots.release()

    for name in "abc":
        env.process(job(name, 4.0))
    env.run()
    # one server until hour 5: a at 0, b at 4; the second server opens at 5 for c
    assert log == [("a", 0.0), ("b", 4.0), ("c", 5.0)]


def test_closed_slots_hold_trains_until_they_reopen():
    env = simpy.Environment()
    slots = Slots(env, StepFunction((0.0, 3.0), (0.0, 1.0)))
    started = []

    def job():
        yield slots.request()
        started.append(env.now)
        slots.release()

    env.process(job())
    env.run()
    assert started == [3.0]


def _line(handling_hours: float, tpd: float, teu_per_year: float):
    """Origin hub with fixed handling -> 100 km at 50 km/h -> exit; one lot per train."""
    nodes = [
        node("a", "hub", handling={"slots": 1, "handling_hours": handling_hours}),
        node("b", "exit"),
    ]
    return scenario(
        nodes, [section("a", "b", tpd=tpd)], [container_flow("a", "b", teu_per_year, lot_teu=10)]
    )


def test_uncontended_train_times_add_up_by_hand():
    s = _line(handling_hours=0.5, tpd=1000, teu_per_year=50)  # about 5 trains a year
    r = simulate(s, 0)
    lots = r.lots
    assert len(lots["released_h"]) >= 1
    # one lot fills a train at once; 0.5 h handling, 2 h running (100 km at 50 km/h)
    transit = lots["delivered_h"] - lots["released_h"]
    assert np.allclose(transit, 2.5)
    assert np.allclose(lots["formation_wait_h"], 0.0)


def test_contended_section_entries_follow_the_lindley_recursion():
    s = _line(handling_hours=0.0, tpd=4, teu_per_year=3650 * 10)  # 10 a day, 4 a day admitted
    r = simulate(s, 0)
    v = r.visits
    sec = [i for i, res in enumerate(r.resources) if res.kind == "section"][0]
    m = v["resource"] == sec  # trains still waiting at the end are recorded with start = horizon
    arrive, start = v["arrive_h"][m], v["start_h"][m]
    order = np.argsort(arrive, kind="stable")
    arrive, start = arrive[order], start[order]
    waiting = ~v["completed"][m][order] & (start >= r.horizon_hours)
    expected = np.empty_like(arrive)
    nxt = 0.0
    for k, t in enumerate(arrive):
        expected[k] = max(t, nxt)
        nxt = expected[k] + 6.0  # 24 / 4 trains a day
    horizon = r.horizon_hours
    assert np.allclose(start, np.minimum(expected, horizon))
    assert waiting.sum() > 1000 and np.all(expected[waiting] >= horizon)
    assert np.allclose(v["busy_h"][m & v["completed"]], 6.0)


@pytest.mark.parametrize("lot_teu,expected_per_train", [(10, 1), (4, 2)])
def test_a_train_leaves_when_full(lot_teu, expected_per_train):
    s = scenario(
        [node("a", "hub"), node("b", "exit")],
        [section("a", "b")],
        [container_flow("a", "b", 5000, lot_teu=lot_teu)],
        types=[container_type(10, wait_h=10_000)],
    )
    r = simulate(s, 0)
    counts = np.unique(r.visits["train"][r.visits["resource"] == 2], return_counts=True)[1]
    assert (counts == 1).all()  # each train passes the section once
    teu = r.visits["teu"][r.visits["resource"] == 2]
    assert np.allclose(teu, expected_per_train * lot_teu)


def test_a_train_leaves_part_full_after_the_maximum_wait():
    s = scenario(
        [node("a", "hub"), node("b", "exit")],
        [section("a", "b")],
        [container_flow("a", "b", 365, lot_teu=1)],
        types=[container_type(100, wait_h=24)],
    )  # a lot a day
    r = simulate(s, 0)
    waits = r.lots["formation_wait_h"]
    assert waits.max() <= 24 + 1e-9
    assert r.visits["teu"][r.visits["resource"] == 2].max() < 100  # never filled
