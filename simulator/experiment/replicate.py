"""Several scenarios to a fixed number of replications, or to a precision (`auto`).

With a precision, replications are added in rounds until the 95% half-width of each
scenario's yearly total (or, when `paired`, of each variant's difference from the first
scenario) is below that share of the mean, or `maximum` is reached.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from simulator.experiment.batch import BatchCounts, Job, Progress, Store, run_jobs
from simulator.experiment.outcomes import ReplicationOutcome
from simulator.experiment.replications import RecordWriter, run_outcomes
from simulator.report.precision import FIRST_ROUND, mean_yearly_total, replications_wanted
from simulator.scenario.model import Scenario

ProgressFactory = Callable[[int, float], AbstractContextManager[Progress | None]]
"""progress_factory(jobs, horizon hours of each) -> a context giving the progress callback."""


@dataclass(frozen=True)
class Precision:
    """Replications until the 95% half-width is at most `share` of the mean (at most `maximum`)."""

    share: float
    maximum: int = 30


@dataclass
class Replicated:
    """Each scenario's outcomes in replication order, and how the work was served."""

    outcomes: dict[str, list[ReplicationOutcome]]
    counts: BatchCounts = field(default_factory=BatchCounts)
    precision_met: bool = True

    @property
    def replications(self) -> int:
        return len(next(iter(self.outcomes.values())))


def replicate(
    scenarios: Mapping[str, Scenario],
    replications: int | Precision,
    *,
    paired: bool = False,
    executor: Executor | None = None,
    workers: int = 1,
    store: Store | None = None,
    progress: ProgressFactory | None = None,
) -> Replicated:
    """Run every scenario's replications 0..n-1 as one batch (several rounds for a Precision)."""
    done = Replicated({label: [] for label in scenarios})
    n = replications if isinstance(replications, int) else min(FIRST_ROUND, replications.maximum)
    while True:
        have = done.replications
        jobs = [Job(s, r) for s in scenarios.values() for r in range(have, n)]
        horizon = max(s.horizon_years for s in scenarios.values()) * 8760.0
        with progress(len(jobs), horizon) if progress else contextlib.nullcontext() as bar:
            results = run_jobs(
                jobs,
                executor=executor,
                workers=workers,
                progress=bar,
                store=store,
                counts=done.counts,
            )
        per = n - have
        for k, label in enumerate(scenarios):
            done.outcomes[label] += results[k * per : (k + 1) * per]
        if isinstance(replications, int):
            return done
        wanted = _wanted(done.outcomes, replications, paired)
        if wanted == n:
            done.precision_met = _wanted(done.outcomes, replications, paired, n + 1) == n
            return done
        n = wanted


def _wanted(
    outcomes: Mapping[str, list[ReplicationOutcome]],
    precision: Precision,
    paired: bool,
    maximum: int | None = None,
) -> int:
    totals = {
        label: [mean_yearly_total(o.tables) for o in done] for label, done in outcomes.items()
    }
    values = list(totals.values())
    base = values[0]
    scale_base = sum(base) / len(base)
    if paired and len(values) > 1:
        series = [[v - b for v, b in zip(other, base, strict=True)] for other in values[1:]]
        scales = [scale_base] * len(series)
    else:
        series = values
        scales = [sum(v) / len(v) for v in values]
    limit = precision.maximum if maximum is None else maximum
    return replications_wanted(series, scales, precision.share, limit)


def outcomes_to_precision(
    scenario: Scenario,
    precision: Precision,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    records: str = "first",
    progress: ProgressFactory | None = None,
    record_writer: RecordWriter | None = None,
) -> tuple[list[ReplicationOutcome], bool]:
    """One scenario's replications, added in rounds until its yearly total is precise enough.

    Returns the outcomes and whether the precision was reached (False: stopped at the maximum).
    Records are kept as `records` says, counted over all rounds (written by `record_writer`
    as they are made, if given).
    """
    outcomes: list[ReplicationOutcome] = []
    n = min(FIRST_ROUND, precision.maximum)
    while True:
        reps = list(range(len(outcomes), n))
        choice = records if records == "all" or not outcomes else "none"
        hours = scenario.horizon_years * 8760.0
        with progress(len(reps), hours) if progress else contextlib.nullcontext() as bar:
            outcomes += run_outcomes(scenario, reps, executor, bar, jobs, choice, record_writer)
        totals = [mean_yearly_total(o.tables) for o in outcomes]
        scale = sum(totals) / len(totals)
        wanted = replications_wanted([totals], [scale], precision.share, precision.maximum)
        if wanted == n:
            met = replications_wanted([totals], [scale], precision.share, n + 1) == n
            return outcomes, met
        n = wanted
