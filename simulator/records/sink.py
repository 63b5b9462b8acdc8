"""Where a run hands its records while it runs, instead of keeping them until the end.

The engine calls a `RecordSink` (when `simulate` is given one) with blocks of visit and lot
rows as they are recorded, and tells it how far the records are complete; the report side
reduces them into tables a year at a time (report/online.py), so a run's memory does not grow
with its horizon. It sits here, below both, so that neither imports the other.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from simulator.records.results import RunResult


class RecordSink(Protocol):
    """Receives one run's records in the order they are made."""

    def begin(self, shell: RunResult) -> None:
        """The run's fixed facts (names, resources, capacity, calendar), with no records yet."""

    def visits(self, block: dict[str, np.ndarray]) -> None:
        """Visit rows (RunResult.visits columns), in record order."""

    def lots(self, block: dict[str, np.ndarray]) -> None:
        """Delivered lot rows (RunResult.lots columns), in record order."""

    def settled(self, hour: float) -> None:
        """Every visit that began before `hour`, and every lot delivered before it, was handed."""
