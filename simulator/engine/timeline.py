"""Values that change on dates: right-continuous step functions over simulated hours."""

from __future__ import annotations

import bisect
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
