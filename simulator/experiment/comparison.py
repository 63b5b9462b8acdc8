"""A base scenario and its variants on common random numbers: reports, paired differences.

Every variant runs on the base's seed and horizon, so replication k of each draws the same
demand and the same breakdowns wherever the scenarios agree, and differences come from what
the scenarios change, not from chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.experiment.batch import BatchCounts, Store
from simulator.experiment.replicate import Precision, ProgressFactory, replicate
from simulator.report.build import Report, assemble_report
from simulator.report.compare import bottleneck_table, compare_reports
from simulator.report.frames import frames_of
from simulator.report.tables import Table
from simulator.scenario.diff import scenario_diff
from simulator.scenario.loading import scenario_from
from simulator.scenario.model import Scenario

Source = str | Path | Scenario


@dataclass(frozen=True)
class Comparison:
    """What `brisim compare` writes: differences, inputs that differ, bottlenecks per year."""

    base: str
    scenarios: dict[str, Scenario]
    reports: dict[str, Report]
    differences: Table
    inputs: Table
    bottlenecks: Table
    replications: int
    precision_met: bool = True
    counts: BatchCounts = field(default_factory=BatchCounts)

    def tables(self) -> dict[str, Table]:
        """The comparison's tables by name."""
        return {
            "differences": self.differences,
            "inputs": self.inputs,
            "bottlenecks": self.bottlenecks,
        }

    def frames(self) -> dict[str, Any]:
        """Every table as a pandas DataFrame (needs the [pandas] extra)."""
        return frames_of(self.tables())


def compared_scenarios(
    sources: Sequence[Source], overrides: Sequence[str] = (), years: int | None = None
) -> dict[str, Scenario]:
    """The scenarios by label (their names), on the first one's seed and a common horizon.

    The horizon is `years` when given, else the longest of the scenarios.
    """
    loaded = [scenario_from(s, list(overrides)) for s in sources]
    horizon = years if years is not None else max(s.horizon_years for s in loaded)
    fixed = [f"seed={loaded[0].seed}", f"horizon_years={horizon}"]
    out: dict[str, Scenario] = {}
    for source, scenario in zip(sources, loaded, strict=True):
        scenario = scenario_from(source, [*overrides, *fixed])
        label, n = scenario.name, 1
        while label in out:
            n += 1
            label = f"{scenario.name}-{n}"
        out[label] = scenario
    return out


def compare(
    base: Source,
    *variants: Source,
    replications: int | Precision = 3,
    years: int | None = None,
    overrides: Sequence[str] = (),
    jobs: int = 1,
    executor: Executor | None = None,
    store: Store | None = None,
    progress: ProgressFactory | None = None,
) -> Comparison:
    """Run the base and each variant on common random numbers and compare them, pair by pair."""
    if not variants:
        raise ValueError("compare needs a base scenario and at least one variant")
    scenarios = compared_scenarios([base, *variants], overrides, years)
    done = replicate(
        scenarios,
        replications,
        paired=True,
        executor=executor,
        workers=jobs,
        store=store,
        progress=progress,
    )
    reports = {
        label: assemble_report(scenarios[label], [o.tables for o in done.outcomes[label]])
        for label in scenarios
    }
    base_label, *others = scenarios
    inputs = [
        (label, key, _shown(a), _shown(b))
        for label in others
        for key, a, b in scenario_diff(scenarios[base_label], scenarios[label])
    ]
    return Comparison(
        base=base_label,
        scenarios=scenarios,
        reports=reports,
        differences=compare_reports(reports[base_label], {k: reports[k] for k in others}),
        inputs=Table(("variant", "key", "base", "variant_value"), tuple(inputs)),
        bottlenecks=bottleneck_table(base_label, reports),
        replications=done.replications,
        precision_met=done.precision_met,
        counts=done.counts,
    )


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)
