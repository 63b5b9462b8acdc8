"""A single-track section: both directions share one gate, and take turns when both wait.

Trains enter one headway apart, as at a `Gate`. When trains wait on both sides, the next
entry goes to the side opposite the last one (a meet at a passing loop), so a busy direction
may use every path the other leaves idle but never holds it below half of them. First come,
first served would give each side a share in proportion to the trains it sends, and let one
flooded direction shut the other out. Where the section has two tracks (on some dates), each
direction has its own gate, as at a `Gate`.

A train that can enter at once does so with no event; one that must wait is parked and woken
by the section's dispatcher when its turn comes (one queue entry per waiting train).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator

import simpy

from simulator.engine.capacity import SectionCapacity
from simulator.engine.facilities import Gate
from simulator.engine.stepping import Parked, start
from simulator.engine.timeline import Cursor, StepFunction

RECENT_H = 168.0  # a side's arrival rate is read over the last week (route choice)


class SingleTrack:
    """Entry to a section with one track on some dates: headways, turns, closures."""

    fixed_gap = None  # route choice prices it through `expected_wait`
    takes_turns = True

    def __init__(
        self, env: simpy.Environment, trains_per_day: StepFunction, tracks: StepFunction
    ) -> None:
        self.env = env
        self._rate = trains_per_day
        self._rate_at = Cursor(trains_per_day).at
        self._tracks_at = Cursor(tracks).at
        self._free = {1: 0.0, -1: 0.0}  # earliest next entry per direction
        self._waiting: dict[int, deque[Parked]] = {1: deque(), -1: deque()}
        self._last = 1  # direction of the last entry
        self._recent: dict[int, deque[float]] = {1: deque(), -1: deque()}  # arrival hours
        self._wake_at = math.inf  # when the dispatcher wakes next (inf: none running)
        self._generation = 0  # a dispatcher stops once a newer one has started
        # expected arrival hours (sorted) of trains sent towards the gate, not yet arrived
        self.bound: dict[int, list[float]] = {1: [], -1: []}
        self._tracks = tracks
        self._tracks_vary = len(tracks.hours) > 1
        self._always_shared = not self._tracks_vary and tracks.values[0] < 2
        # the rule in a few sums while one track and one rate hold: the headway then (None
        # where the track is doubled or closed) and the hour the spell ends
        self._gap: float | None = None
        self._spell_end = -math.inf

    def _spell(self, hour: float) -> None:
        """Read the spell of unchanged rate and tracks that holds from `hour` (the clock)."""
        rate, tracks = self._rate, self._tracks
        i = max(bisect_right(rate.hours, hour) - 1, 0)
        j = max(bisect_right(tracks.hours, hour) - 1, 0)
        ends = [h for h in (rate.next_change(hour), tracks.next_change(hour)) if h is not None]
        self._spell_end = min(ends, default=math.inf)
        per_day = rate.values[i]
        self._gap = 24.0 / (2 * per_day) if tracks.values[j] < 2 and per_day > 0 else None

    def is_shared(self, hour: float) -> bool:
        """True where both directions use one track at this hour."""
        if self._tracks_vary:
            return self._tracks_at(hour) < 2
        return self._always_shared

    def _ready(self, direction: int, hour: float) -> float:
        """Earliest hour >= `hour` at which a train of `direction` may enter (inf: never)."""
        t, free = hour, self._free
        while True:
            if self.is_shared(t):
                need = free[1] if free[1] > free[-1] else free[-1]
            else:
                need = free[direction]
            if need > t:
                t = need
                continue
            if self._rate_at(t) > 0:
                return t
            reopen = self._rate.next_change(t)
            if reopen is None:
                return math.inf
            t = reopen

    def arrive(self, now: float, direction: int, counted: bool) -> tuple[float | None, float]:
        """Enter now (the hour and the headway it occupies) if the train may, else (None, 0):
        then `park` it. `counted`: the train was counted as bound here when it was sent."""
        bound = self.bound[direction]
        if counted and bound:
            del bound[0]
        recent = self._recent[direction]
        recent.append(now)
        while recent[0] < now - RECENT_H:
            recent.popleft()
        waiting = self._waiting
        if now >= self._spell_end:
            self._spell(now)
        gap = self._gap
        if gap is not None:  # one track, one rate: the entry hour is the later of the two
            free = self._free
            if waiting[1] or waiting[-1] or now < (free[1] if free[1] > free[-1] else free[-1]):
                return None, 0.0
            free[1] = free[-1] = now + gap
            self._last = direction
            return now, gap
        if waiting[direction] or (waiting[-direction] and self.is_shared(now)):
            return None, 0.0
        if self._ready(direction, now) != now:
            return None, 0.0
        return now, self._enter(direction, now)

    def park(self, direction: int) -> Parked:
        """Queue the train that `arrive` turned away; it is resumed at its entry hour, with
        the headway it occupies as the ticket's `value`."""
        ticket = Parked()
        self._waiting[direction].append(ticket)
        due = self._next_turn(self.env._now, (direction,))
        if due < self._wake_at:  # the dispatcher sleeps past this train's earliest turn
            self._generation += 1
            self._wake_at = due
            start(self.env, self._dispatch(self._generation))
        return ticket

    def _enter(self, direction: int, hour: float) -> float:
        rate = self._rate_at(hour)
        if self.is_shared(hour):
            gap = 24.0 / (2 * rate)
            self._free[1] = self._free[-1] = hour + gap
        else:
            gap = 24.0 / rate
            self._free[direction] = hour + gap
        self._last = direction
        return gap

    def _next_turn(self, now: float, sides: tuple[int, ...]) -> float:
        """Earliest hour >= `now` at which a train of one of `sides` may enter (inf: never)."""
        if now >= self._spell_end:
            self._spell(now)
        if self._gap is not None:  # one track, one rate: the later of the two free hours
            free = self._free
            due = free[1] if free[1] > free[-1] else free[-1]
            due = due if due > now else now
            if due < self._spell_end:
                return due
        return min((self._ready(d, now) for d in sides), default=math.inf)

    def _dispatch(self, generation: int) -> Iterator[float]:
        """Wake waiting trains at their turns, until none is left waiting (or a dispatcher
        started later, to wake earlier, takes over)."""
        waiting, free = self._waiting, self._free
        while generation == self._generation:
            now = self.env._now
            if now >= self._spell_end:
                self._spell(now)
            gap = self._gap
            if gap is not None:  # one track, one rate
                turn = -self._last if waiting[-self._last] else self._last
                if waiting[turn] and (free[1] if free[1] > free[-1] else free[-1]) <= now:
                    ticket = waiting[turn].popleft()
                    free[1] = free[-1] = now + gap
                    self._last = turn
                    ticket.value = gap
                    ticket.resume()
            elif self.is_shared(now):
                turn = -self._last if waiting[-self._last] else self._last
                if waiting[turn] and self._ready(turn, now) == now:
                    self._wake(turn, now)
            else:
                for d in (1, -1):
                    if waiting[d] and self._ready(d, now) == now:
                        self._wake(d, now)
            if waiting[1]:  # the sides with trains waiting (constant tuples: no new object)
                due = self._next_turn(now, (1, -1) if waiting[-1] else (1,))
            elif waiting[-1]:
                due = self._next_turn(now, (-1,))
            else:
                due = math.inf
            self._wake_at = due
            if due == math.inf:
                return  # none waiting, or closed for good: they wait past the horizon
            yield due

    def _wake(self, direction: int, now: float) -> None:
        ticket = self._waiting[direction].popleft()
        ticket.value = self._enter(direction, now)
        ticket.resume()

    def expected_wait(
        self, now: float, arrival: float, direction: int, ahead_by: float | None = None
    ) -> tuple[float, float]:
        """Hours a train reaching the gate at `arrival` would wait, and the hours of paths each
        of its side's trains takes there (more than a headway when the sides take turns).

        Its side's trains waiting or bound there before it (or before `ahead_by`) go first. On
        one track the other side's go in turn with them, at most one more than its own: those
        waiting, and those arriving until its entry (the bound ones, or at the other side's
        recent rate).
        """
        free, bound, waiting = self._free, self.bound, self._waiting
        ahead_by = arrival if ahead_by is None else ahead_by
        own = len(waiting[direction]) + bisect_right(bound[direction], ahead_by)
        shared = self.is_shared(now)
        nxt = (free[1] if free[1] > free[-1] else free[-1]) if shared else free[direction]
        base = nxt if nxt > now else now
        rate = self._rate_at(base)
        gap = 24.0 / (2 * rate if shared else rate) if rate > 0 else 24.0
        turns = 0  # the other side's entries before its own
        entry = max(base + own * gap, arrival)
        if shared:
            other, seen = bound[-direction], len(waiting[-direction])
            lately = len(self._recent[-direction]) / RECENT_H
            for _ in range(4):
                coming = bisect_right(other, entry)
                by_rate = lately * (entry - now)
                more = min(own + 1, seen + (coming if coming > by_rate else int(by_rate)))
                if more <= turns:
                    break
                turns = more
                entry = max(base + (own + turns) * gap, arrival)
        while self._rate_at(entry) <= 0:
            reopen = self._rate.next_change(entry)
            if reopen is None:
                return math.inf, gap
            entry = reopen
        return entry - arrival, gap * (1.0 + turns / (own + 1))


def section_gate(
    env: simpy.Environment, capacity: SectionCapacity, paired: bool
) -> Gate | SingleTrack:
    """The gate of a section: sides take turns where it has one track on any date (unless run
    to a paired timetable: then each direction has its own paths, like two tracks)."""
    if paired:
        return Gate(capacity.trains_per_day, None)
    if min(capacity.tracks.values) < 2:
        return SingleTrack(env, capacity.trains_per_day, capacity.tracks)
    return Gate(capacity.trains_per_day, capacity.tracks)
