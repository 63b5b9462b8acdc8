"""Values that change on dates: right-continuous step functions over simulated hours."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StepFunction:
    """A value that holds from each breakpoint hour until the next (right-continuous steps)."""

    hours: tuple[float, ...]
    values: tuple[float, ...]

    @staticmethod
    def constant(value: float) -> StepFunction:
        """The same value for all time."""
        return StepFunction((0.0,), (value,))

    def at(self, hour: float) -> float:
        """Value in force at `hour`."""
        i = bisect.bisect_right(self.hours, hour) - 1
        return self.values[max(i, 0)]

    def next_change(self, hour: float) -> float | None:
        """First breakpoint strictly after `hour`, or None."""
        i = bisect.bisect_right(self.hours, hour)
        return self.hours[i] if i < len(self.hours) else None

    def with_step(self, hour: float, value: float) -> StepFunction:
        """A copy in which `value` holds from `hour` until the next existing breakpoint."""
        pairs = dict(zip(self.hours, self.values, strict=True))
        pairs[hour] = value
        keys = sorted(pairs)
        return StepFunction(tuple(keys), tuple(pairs[k] for k in keys))

    def times(self, other: StepFunction) -> StepFunction:
        """Pointwise product of two step functions (capacity times a disruption factor)."""
        keys = sorted(set(self.hours) | set(other.hours))
        return StepFunction(tuple(keys), tuple(self.at(k) * other.at(k) for k in keys))


class Cursor:
    """Reads one step function at hours that mostly fall in the step read last (hours that
    follow the clock): the values of `StepFunction.at`, without a search each time."""

    __slots__ = ("_hours", "_values", "_lo", "_hi", "_value")

    def __init__(self, steps: StepFunction) -> None:
        self._hours = steps.hours
        self._values = steps.values
        self._lo, self._hi, self._value = math.inf, -math.inf, steps.values[0]  # none read yet

    def at(self, hour: float) -> float:
        """Value in force at `hour`, as `StepFunction.at` gives it."""
        if self._lo <= hour < self._hi:
            return self._value
        hours = self._hours
        i = bisect.bisect_right(hours, hour) - 1
        if i < 0:
            i = 0
        self._lo = hours[i] if i > 0 else -math.inf  # at() gives values[0] below hours[0] too
        self._hi = hours[i + 1] if i + 1 < len(hours) else math.inf
        self._value = self._values[i]
        return self._value
