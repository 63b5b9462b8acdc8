"""An origin's demand queue gives the same lots whether it holds a deep backlog as times or as
counts of years drawn again when needed, and holds about a year of times whatever the backlog."""

from __future__ import annotations

import numpy as np

from simulator.engine import lots, processes
from simulator.engine.lots import DemandQueue
from simulator.engine.simulation import simulate
from simulator.scenario.loading import load_scenario
from tests.engine_fixtures import container_flow, node, scenario, section, train_types

YEARS = [(2020 + k, 8760.0 * k, 8760.0 * (k + 1)) for k in range(8)]


def generate(year: int) -> np.ndarray:
    """A year of sorted release hours, drawn from its own stream (as demand.lot_times is)."""
    rng = np.random.default_rng(year)
    k = year - 2020
    return np.sort(rng.uniform(8760.0 * k, 8760.0 * (k + 1), 2000 * (k + 1)))


def queue(front_lots: int, released: list) -> DemandQueue:
    return DemandQueue(YEARS, 100.0, 8760.0 * 7.5, generate, released.append, front_lots)


def test_a_backlog_kept_as_counts_gives_the_same_lots():
    """Trains that take fewer lots than are released build a backlog years deep; every answer
    of the queue is the same as when every drawn year is held as times."""
    released_a: list = []
    released_b: list = []
    held, counted = queue(1 << 30, released_a), queue(0, released_b)
    rng = np.random.default_rng(3)
    now = 0.0
    while now < 8760.0 * 8:
        now += float(rng.exponential(40.0))
        cap = int(rng.integers(1, 40))
        for q in (held, counted):
            q.released_so_far(now)
        assert held.time_of(0) == counted.time_of(0)
        assert held.time_of(cap - 1) == counted.time_of(cap - 1)
        assert held.released_so_far(now) == counted.released_so_far(now)
        n = held.released_by(now, cap)
        assert counted.released_by(now, cap) == n
        a, b = held.take(n, now), counted.take(n, now)
        assert np.array_equal(a.released_h, b.released_h)
        assert np.array_equal(a.wait_h, b.wait_h)
    assert held.waiting(now) == counted.waiting(now) > 20_000  # a backlog of years
    assert [len(t) for t in released_a] == [len(t) for t in released_b]
    assert len(counted._times) <= 2000 * 8  # about a year of times held, not the backlog


def test_engine_records_do_not_depend_on_how_the_backlog_is_held(monkeypatch):
    scenario = load_scenario("scenarios/tutorial.yaml")
    held = simulate(scenario, 0)
    monkeypatch.setattr(lots, "FRONT_LOTS", 0)
    counted = simulate(scenario, 0)
    for part in ("visits", "lots", "released", "backlog"):
        a, b = getattr(held, part), getattr(counted, part)
        assert all(np.array_equal(a[k], b[k]) for k in a), part
    assert held.balances == counted.balances


def test_release_times_held_do_not_grow_with_the_backlog(monkeypatch):
    """A line that carries half its flat demand builds a backlog four times deeper in 8 years
    than in 2; the origin holds as many release times at once in both (about a year's)."""
    queues: list[DemandQueue] = []

    class Recorded(DemandQueue):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            queues.append(self)

    monkeypatch.setattr(processes, "DemandQueue", Recorded)
    peaks, waiting = {}, {}
    for years in (2, 8):
        origin = node("a", "hub", handling={"slots": 1, "handling_hours": 0.1, "yard_trains": 1})
        s = scenario(
            [origin, node("b", "exit")],
            [section("a", "b", tpd=4)],
            [container_flow("a", "b", 365 * 8 * 100, lot_teu=2)],  # 8 trains a day
            years=years,
            types=train_types(teu_1435=100),
        )
        queues.clear()
        run = simulate(s, 0)
        peaks[years] = max(q.peak_times for q in queues)
        waiting[years] = run.balances[0].waiting_teu
    assert waiting[8] > 3.5 * waiting[2] > 0
    assert peaks[8] <= 1.1 * peaks[2]
