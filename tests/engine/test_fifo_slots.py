"""FifoSlots works out on arrival the start hour that Slots grants with request events."""

import numpy as np
import pytest
import simpy

from simulator.engine.facilities import FifoSlots, Slots
from simulator.engine.timeline import StepFunction

TIMELINES = {
    "constant 2": StepFunction.constant(2.0),
    "1, then 3 from hour 20": StepFunction((0.0, 20.0), (1.0, 3.0)),
    "3, cut to 1 at 15, closed 30-40, then 2": StepFunction(
        (0.0, 15.0, 30.0, 40.0), (3.0, 1.0, 0.0, 2.0)
    ),
    "closed for good from hour 25": StepFunction((0.0, 25.0), (2.0, 0.0)),
}


def _granted(capacity: StepFunction, arrivals: list[float], holds: list[float]) -> list[float]:
    """Start hours under Slots: request on arrival, hold, release (plain SimPy)."""
    env = simpy.Environment()
    slots = Slots(env, capacity)
    starts = [float("inf")] * len(arrivals)

    def job(k: int):
        yield env.timeout(arrivals[k])
        yield slots.request()
        starts[k] = env.now
        yield env.timeout(holds[k])
        slots.release()

    for k in range(len(arrivals)):
        env.process(job(k))
    env.run(until=500.0)
    return starts


def _booked(capacity: StepFunction, arrivals: list[float], holds: list[float]) -> list[float]:
    """Start hours under FifoSlots, each train booked when it arrives."""
    env = simpy.Environment()
    slots = FifoSlots(env, capacity)
    starts = []
    for arrival, hold in zip(arrivals, holds, strict=True):
        if arrival > env.now:
            env.run(until=arrival)
        start = slots.start_hour(arrival)
        slots.book(start, start + hold, False)
        starts.append(start)
    return starts


@pytest.mark.parametrize("name", list(TIMELINES))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fifo_slots_start_trains_when_slots_would_grant_them(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    arrivals = np.sort(rng.uniform(0.0, 60.0, 40)).tolist()
    holds = rng.exponential(3.0, 40).tolist()
    granted = _granted(TIMELINES[name], arrivals, holds)
    booked = _booked(TIMELINES[name], arrivals, holds)
    assert booked == [g if g < 500.0 else float("inf") for g in granted]


def test_fifo_slots_count_waiting_trains_and_users_as_the_clock_moves() -> None:
    env = simpy.Environment()
    slots = FifoSlots(env, StepFunction.constant(1.0))
    slots.bound.extend([0.5, 0.7])
    for hold in (2.0, 2.0):  # both counted as bound: each strikes a bound hour when it starts
        start = slots.start_hour(0.0)
        slots.book(start, start + hold, True)
    assert (slots.users, slots.queue_length, slots.bound) == (1, 1, [0.7])
    env.run(until=2.5)
    slots.release()  # the first ends at 2: the second has started
    assert (slots.users, slots.queue_length, slots.bound) == (1, 0, [])
