"""The event loop, and light processes (train formation and journeys): generators stepped
straight from its queue.

A `simpy.Process` costs an event to start, one to end, a Timeout object per wait and a general
resume on each; a train's journey needs none of that. A journey yields the hour at which it
wakes next (one queue entry, placed as `env.timeout` would place it: that hour, normal
priority, after everything queued before) or a SimPy event to wait for (a slot request). It
starts with an urgent entry at the current instant, as a process does. Nothing waits for a
light process to end, so it ends without an event. Every entry takes the place a SimPy event
would have had in the queue (see clock.py), so the order of everything is as with SimPy
processes. The loop steps a light process's wake-up itself, without the callback an event
needs.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from heapq import heappop, heappush

import simpy

from simulator.engine.clock import Clock, Tie, join, push, raise_failure, untie

CHUNK_HOURS = 24.0 * 30

Light = Generator["float | simpy.Event | tuple[float, Light]", None, None]
"""A light process: yields the hour to wake at, a SimPy event to wait for, or (hour, process):
wake at that hour, and start that new light process right after (see `wait`)."""


class Runner:
    """Steps one light process; it is its own entry in the event queue (as an event would be)."""

    __slots__ = ("callbacks", "_ok", "_value", "send", "clock")

    def __init__(self, clock: Clock, gen: Light) -> None:
        self.send = gen.send
        self.clock = clock
        self.callbacks: tuple | None = None
        self._ok = True  # read by the event loop: a wake-up never fails
        self._value = None

    def on_event(self, _event: simpy.Event) -> None:
        """Resume when a SimPy event it waits for is processed."""
        step(self)


def step(runner: Runner) -> None:
    """Run the process to its next wait and queue its wake-up (or nothing, if it ended)."""
    try:
        target = runner.send(None)
    except StopIteration:
        return
    if target.__class__ is float:
        runner.callbacks = _STEP
        push(runner.clock, target, runner)
    else:
        wait(runner, target)


def wait(runner: Runner, target: float | simpy.Event | tuple[float, Light]) -> None:
    """Queue the wake-up of a process that yielded something other than a Python float: a
    numpy or integer hour, an event (one already processed resumes it at once, as SimPy's
    Process does), or (hour, new process).

    (hour, new process) is what `start(new)` and then yielding the hour would do, without the
    new process's urgent entry: that entry would be the very next one processed (nothing else
    can be due before an urgent entry at this instant), so the new process runs its first step
    at once, after this process's wake-up is queued, with the same event ids for everything.
    """
    if target.__class__ is tuple:
        hour, then = target
        runner.callbacks = _STEP
        push(runner.clock, float(hour), runner)
        step(Runner(runner.clock, then))
        return
    if target.__class__ is FirstOf or target.__class__ is Parked:
        target.wake(runner)
        return
    while isinstance(target, (simpy.Event, Signal)):
        if target.callbacks is not None:
            target.callbacks.append(runner.on_event)
            return
        try:  # processed already: go on at once
            target = runner.send(None)
        except StopIteration:
            return
        if target.__class__ is tuple:
            wait(runner, target)
            return
    runner.callbacks = _STEP
    push(runner.clock, float(target), runner)


_STEP = (step,)


class FirstOf:
    """Wait for the first of some pending events: what yielding `env.any_of(events)` does, for
    a light process, without the condition's objects.

    The condition would be queued (this instant, normal priority, the next event id) when the
    first of its events is processed, and resume the process when it is itself processed; the
    process's wake-up is queued at that same moment with the same time, priority and id. The
    events left over fire later into nothing, as the condition's do.
    """

    __slots__ = ("events", "runner")

    def __init__(self, *events: simpy.Event) -> None:
        self.events = events  # each pending: neither processed nor due yet
        self.runner: Runner | None = None

    def wake(self, runner: Runner) -> None:
        """Wake `runner` when the first of the events is processed."""
        self.runner = runner
        for event in self.events:
            event.callbacks.append(self._fire)

    def _fire(self, event: simpy.Event) -> None:
        runner, self.runner = self.runner, None
        if runner is not None:  # the first to fire: queue the wake-up, as the condition's own
            runner.callbacks = _STEP
            push(runner.clock, runner.clock._now, runner)


class Signal:
    """What a SimPy event does for a light process that waits for another to set it (lots
    added to a pool), without the event: `succeed` queues it at this instant, as
    `Event.succeed` queues an event, and when the loop reaches it, it calls back whatever
    waits on it (a process resumes at once, as it would on the event; a `FirstOf` queues it).
    """

    __slots__ = ("callbacks", "_ok", "_value", "clock", "triggered")

    def __init__(self, clock: Clock) -> None:
        self.callbacks: list | None = []
        self._ok = True  # read by the event loop
        self._value = None
        self.clock = clock
        self.triggered = False

    def succeed(self) -> None:
        """Set it: queued now, after what is queued at this instant already."""
        self.triggered = True
        push(self.clock, self.clock._now, self)


class Alarm(Signal):
    """What `env.timeout(delay)` does inside a `FirstOf`, without the event: queued at once, at
    now + delay, and calling back what waits on it when the loop reaches it."""

    __slots__ = ()

    def __init__(self, clock: Clock, delay: float) -> None:
        super().__init__(clock)
        self.triggered = True
        push(clock, clock._now + delay, self)


class Parked:
    """A light process parked until its owner resumes it: a queue that decides who goes next
    only when its turn comes (a single track). No event; `value` is left for the process."""

    __slots__ = ("runner", "value")

    def __init__(self) -> None:
        self.runner: Runner | None = None
        self.value: float = 0.0

    def wake(self, runner: Runner) -> None:
        """Hold `runner` until `resume`."""
        self.runner = runner

    def resume(self) -> None:
        """Go on with the parked process at once, at the current instant."""
        step(self.runner)


def start(env: Clock, gen: Light) -> None:
    """Start a light process at this instant, where `env.process` would start it (urgent)."""
    runner = Runner(env, gen)
    runner.callbacks = _STEP
    env.urgent.append(runner)


def run_now(env: Clock, gen: Light) -> None:
    """Continue a light process at once, as `yield from` inside a running process would."""
    step(Runner(env, gen))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the event loop, then restore it.

    A run leaves no cyclic garbage (reference counting frees trains, events and rows), so
    the collector would only walk the heap again and again: 5-8% of a 10-year run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_until(
    env: Clock,
    horizon: float,
    progress: Callable[[float], None] | None,
    each_chunk: Callable[[float], None] | None = None,
) -> int:
    """Step the event loop to the horizon, reporting progress and calling `each_chunk` every
    simulated month (with the hour before which every event was processed); returns events
    processed."""
    events = 0
    t = 0.0
    hours, due, urgent = env.hours, env.due, env.urgent  # the Clock's own pop, inline
    setdefault = due.setdefault
    with collector_paused():
        while t < horizon:
            t = min(horizon, t + CHUNK_HOURS)
            while True:
                if urgent:
                    event = urgent.popleft()
                elif hours and hours[0] < t:
                    env._now = now = heappop(hours)
                    event = due.pop(now)
                    if event.__class__ is Tie:
                        event = untie(env, now, event)
                else:
                    break
                events += 1
                if event.__class__ is Runner:  # a light process's wake-up: `step`, inline
                    try:
                        target = event.send(None)
                    except StopIteration:
                        continue
                    if target.__class__ is float:  # `push`, inline
                        other = setdefault(target, event)
                        if other is event:
                            heappush(hours, target)
                        else:
                            join(env, target, other, event)
                    elif target.__class__ is tuple:  # (hour, new process): see `wait`
                        push(env, float(target[0]), event)
                        step(Runner(env, target[1]))
                    else:
                        wait(event, target)
                    continue
                callbacks, event.callbacks = event.callbacks, None
                for callback in callbacks:
                    callback(event)
                if not event._ok and not hasattr(event, "_defused"):
                    raise_failure(event)
            if each_chunk is not None:
                each_chunk(t)
            if progress is not None:
                progress(t)
    return events
