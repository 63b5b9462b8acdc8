"""Where a run hands its records while it runs, instead of keeping them until the end.

The engine calls a `RecordSink` (when `simulate` is given one) with blocks of visit and lot
rows as they are recorded, and tells it how far the records are complete; the report side
reduces them into tables a year at a time (report/online.py), so a run's memory does not grow
with its horizon. It sits here, below both, so that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from simulator.records.results import RunResult

OPEN_END_H = 1e9
"""End hour of a visit still in progress: beyond any horizon, so it sorts after the train's
finished visits and counts in no period. Its start is OPEN_END_H too where service has not
begun (its true start is later than the clock); other columns are as they will be recorded."""


class RecordSink(Protocol):
    """Receives one run's records in the order they are made."""

    def begin(self, shell: RunResult) -> None:
        """The run's fixed facts (names, resources, capacity, calendar), with no records yet."""

    def visits(self, block: dict[str, np.ndarray]) -> None:
        """Visit rows (RunResult.visits columns), in record order."""

    def lots(self, block: dict[str, np.ndarray]) -> None:
        """Delivered lot rows (RunResult.lots columns), in record order."""

    def settled(
        self,
        hour: float,
        open_visits: Callable[[], dict[str, np.ndarray]],
        first_open_train: int | None = None,
    ) -> None:
        """Every visit that ended before `hour`, and every lot delivered before it, was handed;
        `open_visits()` gives a row for each train's visit in progress (see OPEN_END_H), and
        every train numbered below `first_open_train` (when given) has made all its visits."""


class StreamingSink(RecordSink, Protocol):
    """A sink that writes the records to files as they come (output/record_stream.py)."""

    def seal(self) -> Callable[[], list[Path]]:
        """After the run's last rows: close what only this process can; returns the picklable
        step that completes the files and returns them (here, or elsewhere on the same disk)."""

    def abandon(self) -> None:
        """The run failed: remove what was written."""


class BothSinks:
    """Hands every call to two sinks in turn (tables reduced online, and records written)."""

    def __init__(self, first: RecordSink, second: RecordSink) -> None:
        self.sinks = (first, second)

    def begin(self, shell: RunResult) -> None:
        """The run's fixed facts, to both."""
        for sink in self.sinks:
            sink.begin(shell)

    def visits(self, block: dict[str, np.ndarray]) -> None:
        """Visit rows, to both."""
        for sink in self.sinks:
            sink.visits(block)

    def lots(self, block: dict[str, np.ndarray]) -> None:
        """Delivered lot rows, to both."""
        for sink in self.sinks:
            sink.lots(block)

    def settled(
        self,
        hour: float,
        open_visits: Callable[[], dict[str, np.ndarray]],
        first_open_train: int | None = None,
    ) -> None:
        """How far the records are complete, to both."""
        for sink in self.sinks:
            sink.settled(hour, open_visits, first_open_train)
