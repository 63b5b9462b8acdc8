"""SimPy facilities whose capacity follows a timeline: headway gates and handling slots.

One mechanism serves every capacity change and closure: each facility reads a step function of
hours (see capacity.py). A `Gate` admits trains at a headway of 24 / trains-per-day (the Lindley
recursion, no SimPy events of its own); `Slots` is a FIFO resource whose number of servers can
rise and fall during the run (SimPy's Resource cannot change capacity). `FifoSlots` serves the
same FIFO queue with no event at all when each train's hold is known on arrival (handling).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from heapq import heappop, heappush

import simpy

from simulator.engine.capacity import rounded_slots
from simulator.engine.timeline import Cursor, StepFunction


class Gate:
    """Admits trains one headway apart per direction; on one track both directions share it.

    Sections with one track on some date use `SingleTrack` (sides take turns) unless paired.

    entry = max(arrival, next free entry), pushed past closures: the FIFO queue of a railway
    section or a border exchange without a process or event per waiting train.
    """

    takes_turns = False  # admitted in arrival order (see SingleTrack)

    def __init__(self, trains_per_day: StepFunction, tracks: StepFunction | None = None) -> None:
        self._rate = trains_per_day
        self._tracks = tracks  # None: one gate per direction (a border exchange)
        self._rate_at = Cursor(trains_per_day).at  # the same values as self._rate.at
        self._tracks_at = Cursor(tracks).at if tracks is not None else None
        self._next_free = {1: 0.0, -1: 0.0}
        # expected arrival hours (sorted) of trains sent towards the gate, not yet admitted
        self.bound: dict[int, list[float]] = {1: [], -1: []}
        # most track counts never change: then the answer is known without a look-up
        self._tracks_vary = tracks is not None and len(tracks.hours) > 1
        self._rate_varies = len(trains_per_day.hours) > 1
        self._always_shared = tracks is not None and tracks.values[0] < 2
        # the headway when neither rate nor tracks ever change (route choice prices it inline)
        self.fixed_gap: float | None = None
        if not self._rate_varies and not self._tracks_vary and trains_per_day.values[0] > 0:
            rate = trains_per_day.values[0]
            self.fixed_gap = 24.0 / (2 * rate if self._always_shared else rate)
        self.always_shared = self._always_shared

    def is_shared(self, hour: float) -> bool:
        """True where both directions use one track at this hour."""
        if self._tracks_vary:
            return self._tracks_at(hour) < 2
        return self._always_shared

    def headway(self, hour: float) -> float:
        """Hours between entries in one direction (or in both, on a shared track)."""
        rate = self._rate_at(hour)
        return 24.0 / (2 * rate if self.is_shared(hour) else rate)

    def admit(self, arrival: float, direction: int, counted: bool = False) -> tuple[float, float]:
        """Entry hour for a train arriving now, and the headway it occupies; books the slot.

        Returns (inf, 0) when the gate never opens again within its timeline. `counted`: the
        train was counted as bound for this gate when it was sent (route choice).
        """
        if counted and self.bound[direction]:
            del self.bound[direction][0]
        gap = self.fixed_gap
        if gap is not None:  # rate and tracks never change: the same sums, fewer look-ups
            free = self._next_free
            if self._always_shared:
                nxt = free[1] if free[1] > free[-1] else free[-1]
                entry = arrival if arrival > nxt else nxt
                free[1] = free[-1] = entry + gap
            else:
                nxt = free[direction]
                entry = arrival if arrival > nxt else nxt
                free[direction] = entry + gap
            return entry, gap
        shared = self.is_shared(arrival)
        free = self._next_free
        nxt = max(free[1], free[-1]) if shared else free[direction]
        entry = arrival if arrival > nxt else nxt  # max(arrival, nxt) without the call
        rate = self._rate_at(entry) if self._rate_varies else self._rate.values[0]
        while rate <= 0:
            reopen = self._rate.next_change(entry)
            if reopen is None:
                return float("inf"), 0.0
            entry = reopen
            rate = self._rate_at(entry)
        shared = self.is_shared(entry)
        gap = 24.0 / (2 * rate if shared else rate)  # headway(entry), without looking up twice
        if shared:
            self._next_free[1] = self._next_free[-1] = entry + gap
        else:
            self._next_free[direction] = entry + gap
        return entry, gap

    def expected_wait(
        self, now: float, arrival: float, direction: int, ahead_by: float | None = None
    ) -> tuple[float, float]:
        """Hours a train reaching the gate at `arrival` would wait, and the headway; books nothing.

        The trains bound for the gate that are expected before `arrival` (or `ahead_by`) queue
        first, one headway each.
        """
        ahead_by = arrival if ahead_by is None else ahead_by
        shared = self.is_shared(now)
        free, bound = self._next_free, self.bound
        if shared:
            nxt = max(free[1], free[-1])
            ahead = bisect_right(bound[1], ahead_by) + bisect_right(bound[-1], ahead_by)
        else:
            nxt, ahead = free[direction], bisect_right(bound[direction], ahead_by)
        entry = nxt if nxt > now else now
        rate = self._rate_at(entry) if self._rate_varies else self._rate.values[0]
        gap = 24.0 / (2 * rate if shared else rate) if rate > 0 else 24.0
        entry = max(entry + ahead * gap, arrival)
        if self._rate_varies:
            while self._rate_at(entry) <= 0:
                reopen = self._rate.next_change(entry)
                if reopen is None:
                    return float("inf"), gap
                entry = reopen
        return entry - arrival, gap


class Slots:
    """FIFO servers whose number follows a timeline; work in progress is never interrupted."""

    def __init__(self, env: simpy.Environment, capacity: StepFunction) -> None:
        self.env = env
        self._capacity = capacity
        self.servers = rounded_slots(capacity.at(env.now))
        self.users = 0
        self._waiting: deque[simpy.Event] = deque()
        if len(capacity.hours) > 1:
            env.process(self._follow_timeline())

    def _follow_timeline(self):
        while True:
            nxt = self._capacity.next_change(self.env.now)
            if nxt is None:
                return
            yield self.env.timeout(nxt - self.env.now)
            self.servers = rounded_slots(self._capacity.at(self.env.now))
            self._grant()

    @property
    def queue_length(self) -> int:
        """Requests waiting for a server."""
        return len(self._waiting)

    def request(self) -> simpy.Event:
        """An event that fires when a server is granted (at once if one is free)."""
        event = self.env.event()
        self._waiting.append(event)
        self._grant()
        return event

    def take_free(self) -> bool:
        """Take a free server at once, without an event, if one is free and none is waiting.

        Callers use it only when no other event is due now (then `request()` would have been
        granted and resumed next anyway); False means: call `request()` instead.
        """
        if self._waiting or self.users >= self.servers:
            return False
        self.users += 1
        return True

    def release(self) -> None:
        """Give back a server and grant the next waiting request."""
        self.users -= 1
        self._grant()

    def _grant(self) -> None:
        while self._waiting and self.users < self.servers:
            self.users += 1
            self._waiting.popleft().succeed()


class FifoSlots:
    """FIFO servers following a timeline, for holds known on arrival: node handling.

    A train's start is worked out when it arrives, from the end hours of the trains before it
    (a heap) and the timeline: the hour at which `Slots` would grant its request, with no
    request event. It counts as waiting until that hour and as a user until it releases, as
    with `Slots`; work in progress is never interrupted. `bound` holds the expected arrival
    hours of trains sent towards it (route choice); one is struck off as each counted train
    starts, when its start hour has come.
    """

    def __init__(self, env: simpy.Environment, capacity: StepFunction) -> None:
        self.env = env
        self._capacity = capacity
        self._varies = len(capacity.hours) > 1
        self._fixed = rounded_slots(capacity.values[0])
        self._ends: list[float] = []  # end hours of booked trains, for the starts of the next
        self._last_start = -math.inf
        self._waiting: deque[tuple[float, bool]] = deque()  # (start hour, counted), FIFO
        self._users = 0
        self._bound: list[float] = []

    @property
    def servers(self) -> int:
        """Servers now."""
        if self._varies:
            return rounded_slots(self._capacity.at(self.env.now))
        return self._fixed

    def _catch_up(self) -> None:
        """Trains whose start hour has come stop waiting and become users."""
        now = self.env._now
        waiting = self._waiting
        while waiting and waiting[0][0] <= now:
            self._users += 1
            if waiting.popleft()[1] and self._bound:  # counted: strike, inline
                del self._bound[0]

    @property
    def users(self) -> int:
        """Trains in service now."""
        self._catch_up()
        return self._users

    @property
    def queue_length(self) -> int:
        """Trains waiting for a server now."""
        self._catch_up()
        return len(self._waiting)

    @property
    def bound(self) -> list[float]:
        """Expected arrival hours (sorted) of trains sent towards it and not yet started."""
        self._catch_up()
        return self._bound

    def start_hour(self, arrival: float) -> float:
        """The hour a train arriving now starts (inf: never); `book` it next."""
        t = arrival if arrival > self._last_start else self._last_start  # FIFO
        ends = self._ends
        while t < math.inf:
            while ends and ends[0] <= t:  # every booked train has started by t: free at its end
                heappop(ends)
            if not self._varies:
                if len(ends) < self._fixed:
                    return t
                t = ends[0] if ends else math.inf
                continue
            if len(ends) < rounded_slots(self._capacity.at(t)):
                return t
            change = self._capacity.next_change(t)
            t = min(ends[0] if ends else math.inf, math.inf if change is None else change)
        return t

    def book(self, start: float, end: float, counted: bool) -> None:
        """Book the train that `start_hour` was asked about: it holds a server to `end`."""
        self._last_start = start
        if start == math.inf:
            return  # it never starts; nor does any train after it
        heappush(self._ends, end)
        if start <= self.env._now:
            self._users += 1
            if counted and self._bound:  # strike, inline
                del self._bound[0]
        else:
            self._waiting.append((start, counted))

    def strike(self, counted: bool) -> None:
        """A train starts: if it was counted as bound here, strike the first bound hour off."""
        if counted and self._bound:
            del self._bound[0]

    def release(self) -> None:
        """A train's service ended (at the end hour it was booked to)."""
        if self._waiting:
            self._catch_up()
        self._users -= 1
