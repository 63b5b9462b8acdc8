"""The engine's event queue (Clock) processes everything in SimPy's own order, ties included."""

from __future__ import annotations

import numpy as np
import simpy

from simulator.engine.clock import Clock
from simulator.engine.stepping import Alarm, FirstOf, Signal, run_until, start


def busy_model(env: simpy.Environment, seed: int) -> list[tuple[float, str]]:
    """Processes that wait on timeouts of 0-2 hours (many ties), trigger events, start other
    processes (urgent entries) and interrupt each other; returns what ran when, in order."""
    rng = np.random.default_rng(seed)
    log: list[tuple[float, str]] = []
    gates = [env.event() for _ in range(5)]

    def worker(name: str, steps: int):
        for k in range(steps):
            pick = rng.integers(4)
            try:
                if pick == 0:
                    yield env.timeout(float(rng.integers(3)))
                elif pick == 1:
                    gate = gates[int(rng.integers(len(gates)))]
                    yield env.any_of([gate, env.timeout(1.0)])
                elif pick == 2:
                    env.process(worker(f"{name}.{k}", 2))
                    yield env.timeout(0)
                else:
                    i = int(rng.integers(len(gates)))
                    if not gates[i].triggered:
                        gates[i].succeed()
                    gates[i] = env.event()
                    yield env.timeout(0.5 * float(rng.integers(3)))
            except simpy.Interrupt:
                log.append((env.now, f"{name} interrupted"))
            log.append((env.now, f"{name} step {k}"))

    def interrupter(victim: simpy.Process):
        yield env.timeout(2.0)
        if victim.is_alive:
            victim.interrupt()

    first = env.process(worker("w0", 30))
    for n in range(1, 6):
        env.process(worker(f"w{n}", 30))
    env.process(interrupter(first))
    env.run(until=40.0)  # an urgent entry at a later hour: run's own stop
    log.append((env.now, "stopped"))
    env.run()  # and on to the end
    return log


def test_the_clock_runs_a_simpy_model_in_simpys_own_order():
    for seed in range(5):
        expected = busy_model(simpy.Environment(), seed)
        assert len(expected) > 100
        assert busy_model(Clock(), seed) == expected


def test_peek_and_empty_schedule():
    env = Clock()
    assert env.peek() == float("inf")
    env.timeout(3.0)
    env.timeout(3.0)
    assert env.peek() == 3.0
    env.run()
    assert env.now == 3.0 and env.peek() == float("inf")


def test_light_waits_keep_the_order_of_the_simpy_events_they_stand_for():
    """A Signal and an Alarm inside a FirstOf resume a light process where an event and a
    timeout inside `any_of` resume a SimPy process, among other entries at the same hours."""

    def model(light: bool) -> list[tuple[float, str]]:
        env = Clock()
        log: list[tuple[float, str]] = []
        box: dict[str, object] = {}

        def waiter_light():
            for k in range(6):
                box["added"] = Signal(env)
                yield FirstOf(box["added"], Alarm(env, 1.0))
                log.append((env.now, f"waiter {k}"))

        def waiter_simpy():
            for k in range(6):
                box["added"] = env.event()
                yield env.any_of([box["added"], env.timeout(1.0)])
                log.append((env.now, f"waiter {k}"))

        def setter(name: str, hours: list[float]):
            for hour in hours:
                yield env.timeout(hour - env.now)
                log.append((env.now, name))
                if not box["added"].triggered:
                    box["added"].succeed()

        if light:
            start(env, waiter_light())
        else:
            env.process(waiter_simpy())
        env.process(setter("a", [0.5, 1.0, 2.0, 2.0, 4.0]))
        env.process(setter("b", [1.0, 1.5, 2.0, 5.0]))
        run_until(env, 20.0, None)
        return log

    expected = model(light=False)
    assert model(light=True) == expected
    set_at = {hour for hour, name in expected if name in "ab"}
    woken = [hour for hour, name in expected if name.startswith("waiter")]
    assert any(h in set_at for h in woken) and any(h not in set_at for h in woken)  # both ways


def test_a_light_process_waiting_on_a_signal_already_processed_goes_on_at_once():
    env = Clock()
    signal = Signal(env)
    signal.succeed()
    log: list[tuple[float, str]] = []

    def late():
        yield 2.0
        yield signal  # processed at hour 0: no wait, as with a processed SimPy event
        log.append((env.now, "went on"))

    start(env, late())
    run_until(env, 10.0, None)
    assert log == [(2.0, "went on")]
