"""A progress bar on stderr in simulated years, summed over replications (tqdm).

It stays silent when asked to, when stderr is not a terminal, and for runs that end within a
second, so that scripts and logs get clean output.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

HOURS_PER_YEAR = 8760.0
SHOW_AFTER_SECONDS = 1.0


class ProgressBar:
    """Simulated years done per replication, shown as one bar over all replications."""

    def __init__(
        self,
        replications: int,
        horizon_hours: float,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._replications = replications
        self._horizon_hours = horizon_hours
        self._done_hours: dict[int, float] = {}
        self._finished: set[int] = set()
        self.enabled = not quiet and _is_terminal(self._stream)
        self._bar: tqdm | None = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self._bar = tqdm(
                total=round(self._replications * self._horizon_hours / HOURS_PER_YEAR, 2),
                desc=self._label(),
                unit="yr",
                file=self._stream,
                delay=SHOW_AFTER_SECONDS,
                leave=False,
                dynamic_ncols=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total:.1f} simulated years "
                "[{elapsed}<{remaining}]",
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __call__(self, replication: int, hours_done: float) -> None:
        """Record that a replication has simulated `hours_done` hours."""
        hours = min(hours_done, self._horizon_hours)
        self._done_hours[replication] = max(hours, self._done_hours.get(replication, 0.0))
        finished = hours >= self._horizon_hours and replication not in self._finished
        if finished:
            self._finished.add(replication)
        if self._bar is not None:
            self._bar.set_description_str(self._label(), refresh=False)
            self._bar.update(round(self.years_done, 2) - self._bar.n)
            if finished:  # a replication done is news: show it even between regular refreshes
                self._bar.refresh()

    @property
    def years_done(self) -> float:
        """Simulated years done so far, over all replications."""
        return sum(self._done_hours.values()) / HOURS_PER_YEAR

    def _label(self) -> str:
        return f"replications {len(self._finished)}/{self._replications} done"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ChartProgress:
    """One stderr status line while charts are drawn ("drawing charts 2/6: monthly-throughput"),
    on a terminal only and unless quiet; the line is cleared when done."""

    def __init__(self, steps: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._steps = steps
        self._done = 0
        self.enabled = not quiet and _is_terminal(self._stream)

    def __enter__(self) -> ChartProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.enabled and self._done:
            self._stream.write("\r\033[K")
            self._stream.flush()

    def __call__(self, name: str) -> None:
        """Announce that the chart (or page) `name` is being drawn now."""
        self._done += 1
        if self.enabled:
            self._stream.write(f"\r\033[Kdrawing charts {self._done}/{self._steps}: {name}")
            self._stream.flush()
