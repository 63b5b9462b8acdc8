"""SimPy's environment with a cheaper event queue, in the same order as SimPy's own.

SimPy keeps one heap of (hour, priority, event id, event) tuples; each push and pop compares
tuples, which cost a run about a tenth of its time. Here the heap holds only the distinct
hours at which something is due (floats compare much faster), a dict gives what is due at
each hour, and entries due at once with urgent priority wait in a FIFO. SimPy orders entries
by hour, then priority, then event id (the order they were scheduled in): the same order
comes out of that, because entries at one hour are kept in the order they were scheduled.
Normal entries are nearly all at distinct hours; a `Tie` holds several at one hour.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush

import simpy
from simpy.core import EmptySchedule, Infinity, StopSimulation
from simpy.events import NORMAL, URGENT


class Tie:
    """Entries due at one hour: urgent ones (priority, entry) first, then normal ones, each
    in the order they were scheduled."""

    __slots__ = ("urgent", "normal")

    def __init__(self, *normal: object) -> None:
        self.urgent: list[tuple[int, object]] = []
        self.normal: deque[object] = deque(normal)


class Clock(simpy.Environment):
    """A `simpy.Environment` whose events are queued as above; runs any SimPy model.

    `hours` (a heap), `due` (hour -> entry or Tie) and `urgent` (entries due at once, before
    any other at this hour) are read by the event loop and by the light processes (see
    stepping.py), which queue their own wake-ups here as entries.
    """

    def __init__(self, initial_time: float = 0.0) -> None:
        super().__init__(initial_time)
        self._queue = None  # SimPy's heap is not used: anything reaching for it fails loudly
        self.hours: list[float] = []
        self.due: dict[float, object] = {}
        self.urgent: deque[object] = deque()

    def schedule(self, event: object, priority: int = NORMAL, delay: float = 0) -> None:
        """Queue `event` at now + delay with SimPy's priority (URGENT before NORMAL)."""
        hour = self._now + delay
        if priority == NORMAL:
            push(self, hour, event)
        elif hour == self._now:
            if priority < URGENT:  # before every urgent entry (SimPy's resumption after a stop)
                self.urgent.appendleft(event)
            else:
                self.urgent.append(event)
        else:  # urgent at a later hour (SimPy's `run(until=...)`): rare, through a Tie
            tie = self.due.get(hour)
            if tie is None:
                tie = self.due[hour] = Tie()
                heappush(self.hours, hour)
            elif tie.__class__ is not Tie:
                tie = self.due[hour] = Tie(tie)
            tie.urgent.append((priority, event))

    def peek(self) -> float:
        """The hour of the next entry (Infinity if none)."""
        if self.urgent:
            return self._now
        return self.hours[0] if self.hours else Infinity

    def pop(self) -> object:
        """Take the next entry and move the clock to its hour; EmptySchedule if none."""
        if self.urgent:
            return self.urgent.popleft()
        if not self.hours:
            raise EmptySchedule
        hour = heappop(self.hours)
        self._now = hour
        entry = self.due.pop(hour)
        return untie(self, hour, entry) if entry.__class__ is Tie else entry

    def step(self) -> None:
        """Process the next entry: a SimPy event's callbacks, or a light process's wake-up."""
        entry = self.pop()
        callbacks, entry.callbacks = entry.callbacks, None
        try:
            for callback in callbacks:
                callback(entry)
        except StopSimulation:  # as SimPy's step: the rest run when the simulation resumes
            entry.callbacks = callbacks[callbacks.index(callback) + 1 :]
            self.schedule(entry, URGENT - 1)
            raise
        if not entry._ok and not hasattr(entry, "_defused"):
            raise_failure(entry)


def raise_failure(event: simpy.Event) -> None:
    """Raise a failed event's exception nobody handled, as SimPy's own step does."""
    exc = type(event._value)(*event._value.args)
    exc.__cause__ = event._value
    raise exc


def push(clock: Clock, hour: float, entry: object) -> None:
    """Queue a normal-priority entry at `hour` (after those already queued at that hour)."""
    other = clock.due.setdefault(hour, entry)
    if other is entry:
        heappush(clock.hours, hour)
    else:
        join(clock, hour, other, entry)


def join(clock: Clock, hour: float, other: object, entry: object) -> None:
    """Queue `entry` after `other`, an entry or Tie already queued at `hour`."""
    if other.__class__ is Tie:
        other.normal.append(entry)
    else:
        clock.due[hour] = Tie(other, entry)


def untie(clock: Clock, hour: float, tie: Tie) -> object:
    """The first entry of a Tie just taken off the queue at `hour`; the rest stay queued.

    Its urgent entries join the urgent FIFO (nothing else is urgent when the clock reaches a
    new hour), ahead of urgent entries queued while they run, as their earlier ids put them.
    """
    if tie.urgent:
        tie.urgent.sort(key=lambda pair: pair[0])  # by priority; stable: scheduling order
        clock.urgent.extend(entry for _, entry in tie.urgent)
        tie.urgent.clear()
        first = clock.urgent.popleft()
    else:
        first = tie.normal.popleft()
    if tie.normal:
        clock.due[hour] = tie
        heappush(clock.hours, hour)
    return first
