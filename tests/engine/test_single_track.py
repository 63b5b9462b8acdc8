"""A single track: sides take turns when both wait; a flooded side cannot shut out the other."""

from __future__ import annotations

import pytest

from simulator.engine.clock import Clock
from simulator.engine.simulation import simulate
from simulator.engine.single_track import SingleTrack
from simulator.engine.stepping import run_until, start
from simulator.engine.timeline import StepFunction
from tests.engine.test_engine_theory import two_way_section


def entries(track: SingleTrack, arrivals: list[tuple[str, float, int]]) -> dict[str, float]:
    """Entry hour of each named train arriving at `track` at its hour, in its direction."""
    env = track.env
    out: dict[str, float] = {}

    def train(name: str, hour: float, direction: int):
        yield hour
        entry, _ = track.arrive(env.now, direction, False)
        if entry is None:
            yield track.park(direction)
            entry = env.now
        out[name] = entry

    for name, hour, direction in arrivals:
        start(env, train(name, hour, direction))
    run_until(env, 1_000.0, None)
    return out


def one_track(rate: StepFunction, tracks: StepFunction | None = None) -> SingleTrack:
    return SingleTrack(Clock(), rate, tracks or StepFunction.constant(1.0))


def test_the_other_side_goes_next_when_both_wait():
    track = one_track(StepFunction.constant(12.0))  # one headway of 1 h for both sides
    got = entries(track, [("a", 0.0, 1), ("b", 0.1, 1), ("c", 0.2, 1), ("d", 0.5, -1)])
    assert got == {"a": 0.0, "d": 1.0, "b": 2.0, "c": 3.0}  # first come, first served: d at 3


def test_one_side_alone_uses_every_path():
    track = one_track(StepFunction.constant(12.0))
    got = entries(track, [("a", 0.0, 1), ("b", 0.0, 1), ("c", 0.0, 1), ("d", 3.5, 1)])
    assert got == {"a": 0.0, "b": 1.0, "c": 2.0, "d": 3.5}


def test_waiting_trains_sit_out_a_closure():
    rate = StepFunction((0.0, 1.5, 6.0), (12.0, 0.0, 24.0))  # 1 h; closed 1.5-6 h; then 0.5 h
    got = entries(one_track(rate), [("a", 0.0, 1), ("b", 0.2, 1), ("c", 0.4, -1), ("d", 2, 1)])
    assert got == {"a": 0.0, "c": 1.0, "b": 6.0, "d": 6.5}  # c's turn at 1 h; b's at reopening
    never = one_track(StepFunction((0.0, 1.0), (12.0, 0.0)))
    assert entries(never, [("a", 0.0, 1), ("b", 2.0, 1)]) == {"a": 0.0}  # b waits for good


def test_a_second_track_gives_each_side_its_own_paths_on_its_date():
    track = one_track(StepFunction.constant(12.0), StepFunction((0.0, 10.0), (1.0, 2.0)))
    got = entries(track, [("a", 0.0, 1), ("b", 0.0, -1), ("c", 20.0, 1), ("d", 20.0, -1)])
    assert got == {"a": 0.0, "b": 1.0, "c": 20.0, "d": 20.0}  # 2 h apart per side from 10 h
    got = entries(
        one_track(StepFunction.constant(12.0), StepFunction((0.0, 10.0), (1.0, 2.0))),
        [("a", 9.5, 1), ("b", 9.6, 1), ("c", 9.7, -1)],
    )
    assert got == {"a": 9.5, "b": 10.5, "c": 10.5}  # shared until 10.5 h, then side by side


@pytest.mark.parametrize(
    "rates,carried",
    [
        ((2.0, 0.4), (0.85, 0.4)),  # the light side gets all it sends, the flooded the rest
        ((1.5, 1.0), (0.625, 0.625)),  # both flooded: half the paths each
    ],
)
def test_a_flooded_side_leaves_the_other_its_half(rates, carried):
    """1.25 paths an hour in all (0.8 h headway). First come, first served would carry
    (1.0, 0.25) and (0.75, 0.5): in proportion to the trains each side sends."""
    run = simulate(two_way_section(tracks=1, rates=rates, headway_h=0.8, years=1), 0)
    v = run.visits
    m = (v["resource"] == [r.name for r in run.resources].index("x-y")) & v["completed"]
    hours = run.horizon_hours - run.warmup_hours
    after = m & (v["start_h"] >= run.warmup_hours)
    forward = after & (v["prev"] < v["next"])
    backward = after & (v["prev"] > v["next"])
    assert forward.sum() / hours == pytest.approx(carried[0], rel=0.03)
    assert backward.sum() / hours == pytest.approx(carried[1], rel=0.03)
