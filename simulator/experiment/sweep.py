"""A scenario over a grid of values: every point on the same seeds, one row per point."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.experiment.batch import BatchCounts, Store
from simulator.experiment.replicate import Precision, ProgressFactory, replicate
from simulator.report.build import Report, assemble_report
from simulator.report.frames import frames_of
from simulator.report.sweep_table import sweep_table
from simulator.report.tables import Table
from simulator.scenario.loading import scenario_from
from simulator.scenario.model import Scenario


@dataclass(frozen=True)
class Sweep:
    """The grid's points (varied values as text), their reports and the sweep table."""

    keys: tuple[str, ...]
    points: tuple[tuple[str, ...], ...]
    reports: tuple[Report, ...]
    table: Table
    replications: int
    precision_met: bool = True
    counts: BatchCounts = field(default_factory=BatchCounts)

    def frames(self) -> dict[str, Any]:
        """The sweep table as a pandas DataFrame under 'sweep' (needs the [pandas] extra)."""
        return frames_of({"sweep": self.table})


def grid(vary: Mapping[str, Sequence[Any]]) -> list[tuple[str, ...]]:
    """Every combination of the values, the first key varying slowest."""
    return [tuple(_text(v) for v in point) for point in itertools.product(*vary.values())]


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def sweep(
    source: str | Path | Scenario,
    vary: Mapping[str, Sequence[Any]],
    *,
    replications: int | Precision = 3,
    years: int | None = None,
    overrides: Sequence[str] = (),
    jobs: int = 1,
    executor: Executor | None = None,
    store: Store | None = None,
    progress: ProgressFactory | None = None,
) -> Sweep:
    """Run the scenario at every point of the grid `vary` (key.path -> values) and tabulate."""
    if not vary:
        raise ValueError("a sweep needs at least one key to vary")
    fixed = [*overrides, *([f"horizon_years={years}"] if years is not None else [])]
    points = grid(vary)
    scenarios: dict[str, Scenario] = {}
    for point in points:
        label = ",".join(f"{k}={v}" for k, v in zip(vary, point, strict=True))
        changes = [f"{k}={v}" for k, v in zip(vary, point, strict=True)]
        scenarios[label] = scenario_from(source, [*fixed, *changes])
    done = replicate(
        scenarios, replications, executor=executor, workers=jobs, store=store, progress=progress
    )
    reports = tuple(
        assemble_report(scenarios[label], [o.tables for o in done.outcomes[label]])
        for label in scenarios
    )
    return Sweep(
        keys=tuple(vary),
        points=tuple(points),
        reports=reports,
        table=sweep_table(tuple(vary), points, reports),
        replications=done.replications,
        precision_met=done.precision_met,
        counts=done.counts,
    )
