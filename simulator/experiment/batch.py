"""Many scenarios' replications as one batch: one executor, one progress count, a resumable store.

Compare and sweep run every (scenario, replication) pair as an independent job, so a local
process pool or a Dask cluster can take them in any order; results come back in job order and
are identical whatever ran them. Each finished job is handed to a `Store` at once, so that a
run killed half-way resumes from what was saved (see `simulator.output.replication_cache`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from typing import Any, Protocol

from simulator.errors import BrisimError
from simulator.experiment.outcomes import ReplicationOutcome
from simulator.experiment.replications import _stop, local_pool, tabulate
from simulator.scenario.model import Scenario

Progress = Callable[[int, float], None]
"""Called with (job number, simulated hours done in that job)."""


class Store(Protocol):
    """Where finished replications are kept between runs (by scenario and replication)."""

    def load(self, scenario: Scenario, replication: int) -> ReplicationOutcome | None: ...

    def save(self, scenario: Scenario, replication: int, done: ReplicationOutcome) -> None: ...


@dataclass(frozen=True)
class Job:
    """One replication of one scenario."""

    scenario: Scenario
    replication: int


@dataclass
class BatchCounts:
    """How a batch was served: jobs simulated now, and jobs taken from the store."""

    simulated: int = 0
    reused: int = 0


def run_jobs(
    jobs: Sequence[Job],
    *,
    executor: Executor | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    store: Store | None = None,
    counts: BatchCounts | None = None,
) -> list[ReplicationOutcome]:
    """Every job's tables, in job order: from the store where saved, else simulated and saved."""
    counts = counts if counts is not None else BatchCounts()
    results: list[ReplicationOutcome | None] = [None] * len(jobs)
    todo: list[int] = []
    for i, job in enumerate(jobs):
        saved = store.load(job.scenario, job.replication) if store is not None else None
        if saved is None:
            todo.append(i)
            continue
        results[i] = saved
        counts.reused += 1
        if progress is not None:
            progress(i, saved.horizon_hours)

    def finish(i: int, done: ReplicationOutcome) -> None:
        results[i] = done
        counts.simulated += 1
        if store is not None:
            store.save(jobs[i].scenario, jobs[i].replication, done)
        if progress is not None:
            progress(i, done.horizon_hours)

    if executor is not None:
        _on_executor(executor, jobs, todo, finish)
    elif workers > 1 and len(todo) > 1:
        pool = local_pool(min(workers, len(todo)))
        try:
            _on_executor(pool, jobs, todo, finish)
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown()
    else:
        for i in todo:
            hours = functools.partial(progress, i) if progress is not None else None
            finish(i, tabulate(jobs[i].scenario, jobs[i].replication, hours))
    return [r for r in results if r is not None]


def _on_executor(
    executor: Executor,
    jobs: Sequence[Job],
    todo: list[int],
    finish: Callable[[int, ReplicationOutcome], None],
) -> None:
    futures: dict[Future, int] = {
        executor.submit(tabulate, jobs[i].scenario, jobs[i].replication): i for i in todo
    }
    try:
        for future in as_completed(futures):
            finish(futures[future], future.result())
    except BaseException:
        for future in futures:
            future.cancel()
        raise


def dask_client(address: str) -> Any:
    """A client of the Dask cluster at `address` (needs the [dask] extra on every side);
    `client.get_executor()` runs jobs there, `client.close()` lets go of it."""
    try:
        from distributed import Client
    except ImportError:
        raise BrisimError("--scheduler needs Dask: pip install 'brisim[dask]'") from None
    try:
        return Client(address, timeout=30)
    except OSError as exc:
        raise BrisimError(f"no Dask scheduler answers at {address}: {exc}") from None
