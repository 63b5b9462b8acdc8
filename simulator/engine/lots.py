"""Container lots and bulk consignments held as arrays, never as one Python object each.

A `LotBuffer` is a FIFO of lots of one flow (release hour, hours already waited, hour it became
ready here); a `DemandQueue` is the same for lots that a flow releases at its origin, drawn a year
at a time from the demand stream and held as times only near its front, so memory grows neither
with simulated years nor with a backlog years deep.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

FRONT_LOTS = 1 << 15
"""A demand queue holds later years' release times while fewer lots than this wait before
them; beyond, it keeps later years as counts (see DemandQueue)."""


class Batch:
    """Lots of one flow travelling together: release hours and formation waits so far.

    Lots a train takes at their origin have waited from release to the hour it formed
    (`formed_h`); those waits are worked out when first asked for, or by `LotRows` for a
    block of delivered trains at once, with the same arithmetic as here.
    """

    __slots__ = ("released_h", "_wait_h", "formed_h")

    def __init__(
        self, released_h: np.ndarray, wait_h: np.ndarray | None = None, formed_h: float = 0.0
    ) -> None:
        self.released_h = released_h
        self._wait_h = wait_h  # None: formed_h - released_h, not worked out yet
        self.formed_h = formed_h

    @property
    def wait_h(self) -> np.ndarray:
        """Hours each lot has waited for trains so far."""
        if self._wait_h is None:
            self._wait_h = self.formed_h - self.released_h
        return self._wait_h

    @wait_h.setter
    def wait_h(self, value: np.ndarray) -> None:
        self._wait_h = value

    def waits(self) -> np.ndarray | float:
        """The waits if worked out, else the hour the lots were formed into a train."""
        return self.formed_h if self._wait_h is None else self._wait_h

    def __len__(self) -> int:
        return len(self.released_h)


class LotBuffer:
    """FIFO of lots: batches join at the back as they arrive, trains take the oldest lots.

    The lots of a batch arrive together, so a batch is kept as it came (its arrays and its one
    ready hour) and cut only where a train takes part of it: nothing is copied on arrival, and
    a train that takes lots of one batch takes a slice of its release hours.
    """

    def __init__(self) -> None:
        self._batches: deque[tuple[np.ndarray, np.ndarray, float]] = deque()
        self._head = 0  # lots of the front batch taken already
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, batch: Batch, ready_h: float) -> None:
        """Append lots that became ready (arrived here) at `ready_h`."""
        n = len(batch.released_h)
        if n:
            self._batches.append((batch.released_h, batch.wait_h, float(ready_h)))
            self._count += n

    def oldest_ready(self) -> float:
        """Hour the oldest lot became ready here."""
        return self._batches[0][2]

    def take(self, count: int, now: float) -> Batch:
        """Remove the `count` oldest lots; their wait grows by the time spent here."""
        released, waits = [], []
        batches, left = self._batches, count
        while left > 0:
            times, wait, ready = batches[0]
            lo = self._head
            hi = min(len(times), lo + left)
            released.append(times[lo:hi])
            waits.append(wait[lo:hi] + (now - ready))
            left -= hi - lo
            if hi == len(times):
                batches.popleft()
                self._head = 0
            else:
                self._head = hi
        self._count -= count
        if len(released) == 1:  # within one batch: the usual case, nothing to join
            return Batch(released[0], waits[0])
        if not released:
            return Batch(np.empty(0), np.empty(0))
        return Batch(np.concatenate(released), np.concatenate(waits))


@dataclass(frozen=True)
class _DrawnYear:
    """A year of a flow's lots that were drawn and counted, their times let go until needed."""

    year: int
    count: int
    first_h: float
    last_h: float


class DemandQueue:
    """Lots a flow releases at its origin within [start_h, end_h), generated a year at a time.

    Only the front of the queue is held as release times: the year the oldest waiting lot
    belongs to (and the next, while it is short). Later years that were already drawn (a
    backlog years deep) are kept as counts and drawn again, identically, from their own random
    stream when the front reaches them, so memory does not grow with the backlog.
    """

    def __init__(
        self,
        years: list[tuple[int, float, float]],
        start_h: float,
        end_h: float,
        generate: Callable[[int], np.ndarray],
        on_release: Callable[[np.ndarray], None],
        front_lots: int | None = None,
    ) -> None:
        self._years = [y for y in years if y[2] > start_h and y[1] < end_h]
        self._front_lots = FRONT_LOTS if front_lots is None else front_lots
        self._start_h, self._end_h = start_h, end_h
        self._generate = generate
        self._on_release = on_release
        self._times = np.empty(0)  # the front: release hours, the oldest waiting at _head
        self._head = 0
        self._later: list[_DrawnYear] = []  # drawn after the front, times let go
        self.peak_times = 0  # most release times held at once

    def _draw(self, year: int) -> np.ndarray:
        t = self._generate(year)
        return t[(t >= self._start_h) & (t < self._end_h)]

    def _more(self) -> bool:
        """Draw the next year's lots; False when the window is exhausted."""
        if not self._years:
            return False
        year = self._years.pop(0)[0]
        t = self._draw(year)
        self._on_release(t)
        if self._later or len(self._times) - self._head >= self._front_lots:
            if len(t):
                self._later.append(_DrawnYear(year, len(t), float(t[0]), float(t[-1])))
        else:
            self._append(t)
        return True

    def _append(self, t: np.ndarray) -> None:
        self._times = np.concatenate([self._times[self._head :], t])
        self._head = 0
        self.peak_times = max(self.peak_times, len(self._times))

    def _extend(self) -> bool:
        """Bring the next drawn year into the front, or draw one; False when there is none."""
        if self._later:
            self._append(self._draw(self._later.pop(0).year))
            return True
        return self._more()

    def time_of(self, k: int) -> float | None:
        """Release hour of the k-th waiting lot (0 = oldest), or None if there is none."""
        i = self._head + k
        if i < len(self._times):  # the usual case, without the loop
            return float(self._times[i])
        while self._head + k >= len(self._times):
            if not self._extend():
                return None
        return float(self._times[self._head + k])

    def released_by(self, hour: float, limit: int) -> int:
        """How many waiting lots were released at or before `hour` (at most `limit`)."""
        i = self._head + limit - 1
        if i < len(self._times):  # the usual case: that lot is held already
            if self._times[i] <= hour:
                return limit
        elif self.time_of(limit - 1) is not None and self._times[self._head + limit - 1] <= hour:
            return limit
        n = int(np.searchsorted(self._times, hour, side="right")) - self._head
        return max(0, min(n, limit))

    def take(self, count: int, now: float) -> Batch:
        """Remove the `count` oldest lots; their wait is now minus release."""
        head = self._head
        t = self._times[head : head + count]  # a view: the front is replaced, never written
        self._head = head = head + count
        if head > 4096 and head > len(self._times) // 2:
            self._times, self._head = self._times[self._head :].copy(), 0
        return Batch(t, None, now)

    def _count_by(self, hour: float) -> int:
        """Lots drawn so far, released at or before `hour`, not yet taken."""
        n = int(np.searchsorted(self._times, hour, side="right")) - self._head
        for drawn in self._later:
            if drawn.last_h <= hour:
                n += drawn.count
            elif drawn.first_h <= hour:
                n += int(np.searchsorted(self._draw(drawn.year), hour, side="right"))
        return n

    def waiting(self, hour: float) -> int:
        """Lots released by `hour` and not yet on a train (draws the rest of the window first)."""
        while self._more():
            pass
        return self._count_by(hour)

    def released_so_far(self, hour: float) -> int:
        """Lots waiting at `hour` without drawing years beyond it (for year-end snapshots)."""
        while self._years and self._years[0][1] < hour:
            self._more()
        return max(0, self._count_by(hour))
