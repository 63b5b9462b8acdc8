"""Replications of a scenario, serially or over any `concurrent.futures.Executor`.

Each replication is `simulate(scenario, replication)`, a pure function of its arguments, so a
serial run, a local process pool and a Dask cluster give identical results, always returned in
replication order. For Dask, pass `distributed.Client(address).get_executor()` as `executor`
(the workers need brisim installed); nothing here imports dask.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from simulator.engine.simulation import ProgressFn, simulate
from simulator.experiment.allocator import return_large_blocks, trim_heap
from simulator.experiment.outcomes import (
    ReplicationOutcome,
    outcome,
    records_kept,
    tables_outcome,
    with_files,
)
from simulator.experiment.workers import start_worker
from simulator.records.results import RunResult
from simulator.records.sink import BothSinks, StreamingSink
from simulator.report.build import Report, build_report
from simulator.report.online import OnlineTables
from simulator.scenario.bounds import REPLICATIONS
from simulator.scenario.loading import keyword_overrides, scenario_from
from simulator.scenario.model import Scenario

RecordWriter = Callable[[int], StreamingSink]
"""writer(replication): where that replication's records go as it runs (picklable)."""

Progress = Callable[[int, float], None]
"""Called with (replication, simulated hours done in that replication)."""


Task = Callable[..., Any]
"""task(scenario, replication[, hours_done_callback]): a picklable top-level function."""


class Runs(list):
    """The replications' records in order (a list of RunResult), with their scenario."""

    def __init__(self, scenario: Scenario, runs: Sequence[RunResult]) -> None:
        super().__init__(runs)
        self.scenario = scenario

    def report(self) -> Report:
        """Every table of these replications (see `build_report`)."""
        return build_report(self.scenario, self)


def run(
    scenario: Scenario | str | Path,
    replications: int | Sequence[int] | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    **overrides: Any,
) -> Runs:
    """Simulate replications (default: the scenario's count) and return them in order.

    `scenario` is a Scenario or a scenario file; keywords override its top-level keys, e.g.
    `run("scenarios/tutorial.yaml", replications=3, horizon_years=1, seed=7)`; `.report()` of
    the result builds every table. Without an executor, `jobs` > 1 runs them on a local process
    pool of that many workers and 1 runs them here, one after another. Progress is reported as
    the simulation advances when serial, and when each replication finishes otherwise.
    """
    scenario = scenario_from(scenario, keyword_overrides(**overrides))
    reps = _replication_numbers(scenario, replications)
    return Runs(scenario, _execute(simulate, scenario, reps, executor, progress, jobs))


def run_outcomes(
    scenario: Scenario,
    replications: int | Sequence[int] | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    records: str = "first",
    record_writer: RecordWriter | None = None,
) -> list[ReplicationOutcome]:
    """Like `run`, but each replication is reduced to its tables where it ran; records kept
    only for the replications `records` names (see RECORDS_CHOICES), to spare memory.

    With a `record_writer`, kept records are written to files while each replication runs
    (where it runs: it must reach the same disk) instead of held whole.
    """
    reps = _replication_numbers(scenario, replications)
    keep = frozenset(records_kept(reps, records))
    # on a local pool, a kept replication's last records file is written by this process,
    # otherwise idle, while the workers go on: one worker doing it leaves the other idle
    on_pool = executor is None and jobs > 1 and len(reps) > 1
    task = functools.partial(tabulate, keep=keep, writer=record_writer, defer_files=on_pool)
    return _execute(task, scenario, reps, executor, progress, jobs, with_files)


def tabulate(
    scenario: Scenario,
    replication: int,
    progress: ProgressFn | None = None,
    *,
    keep: Collection[int] = (),
    writer: RecordWriter | None = None,
    defer_files: bool = False,
) -> ReplicationOutcome:
    """Simulate one replication and keep its tables, and its records if it is in `keep`.

    The tables are reduced a year at a time while it runs (report/online.py), and kept records
    handed to `writer` as they are made, so its memory does not grow with the horizon. Without
    a writer, kept records are held whole and the tables built from them. With `defer_files`,
    the last step of writing them is left in the outcome (`with_files` completes it).
    """
    return_large_blocks()  # a long run's memory follows what it holds (see allocator.py)
    if replication in keep and writer is None:
        run_result = simulate(scenario, replication, progress)
        return outcome(run_result, scenario.horizon_years, keep_records=True)
    online = OnlineTables(scenario.horizon_years)
    if replication not in keep or writer is None:
        run_result = simulate(scenario, replication, progress, online)
        return tables_outcome(run_result, online.tables(run_result))
    stream = writer(replication)
    try:
        run_result = simulate(scenario, replication, progress, BothSinks(online, stream))
        gc.collect()  # the finished run's world is held by reference cycles: free it first
        # the last year's tables before the records file: the two never hold rows at once
        tables = online.tables(run_result)
        trim_heap()
        complete = stream.seal()
        if defer_files:
            return tables_outcome(run_result, tables, pending_files=complete)
        files = complete()
    except BaseException:
        stream.abandon()
        raise
    trim_heap()
    return tables_outcome(run_result, tables, files)


def _execute(
    task: Task,
    scenario: Scenario,
    reps: list[int],
    executor: Executor | None,
    progress: Progress | None,
    jobs: int,
    complete: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """Results of task for each replication, in order: on the executor, a local pool, or here.
    `complete` is applied here to each result from an executor or pool as it comes."""
    if executor is not None:
        futures = _submit(executor, task, scenario, reps)
        try:
            return _collect(futures, progress, complete)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    if jobs > 1 and len(reps) > 1:
        return _on_local_pool(task, scenario, reps, progress, min(jobs, len(reps)), complete)
    return [_serial(task, scenario, rep, progress) for rep in reps]


def _replication_numbers(scenario: Scenario, replications: int | Sequence[int] | None) -> list[int]:
    if replications is None:
        return list(range(scenario.replications))
    if isinstance(replications, int):
        if not 1 <= replications <= REPLICATIONS.high:
            raise ValueError(f"replications must be {REPLICATIONS.words()}, got {replications}")
        return list(range(replications))
    return [int(r) for r in replications]


def _serial(task: Task, scenario: Scenario, replication: int, progress: Progress | None) -> Any:
    if progress is None:
        return task(scenario, replication)
    return task(scenario, replication, lambda hours: progress(replication, hours))


def _submit(executor: Executor, task: Task, scenario: Scenario, reps: list[int]) -> list[Future]:
    return [executor.submit(task, scenario, rep) for rep in reps]


def _collect(
    futures: list[Future], progress: Progress | None, complete: Callable[[Any], Any] | None
) -> list[Any]:
    """Results in submission order, each completed as it comes; progress as each finishes."""
    results: dict[Future, Any] = {}
    for future in as_completed(futures):
        done = future.result()
        results[future] = done = complete(done) if complete is not None else done
        if progress is not None:
            progress(done.replication, done.horizon_hours)
    return [results[future] for future in futures]


def _on_local_pool(
    task: Task,
    scenario: Scenario,
    reps: list[int],
    progress: Progress | None,
    workers: int,
    complete: Callable[[Any], Any] | None,
) -> list[Any]:
    pool = local_pool(workers)
    try:
        results = _collect(_submit(pool, task, scenario, reps), progress, complete)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
    return results


def local_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers leave Ctrl-C to this process and end when it is killed."""
    return ProcessPoolExecutor(
        max_workers=workers, initializer=start_worker, initargs=(os.getpid(),)
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers at once (after Ctrl-C or an error); the pool then fails what is left."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for process in workers:
        process.terminate()
    for process in workers:
        process.join()
    # A worker ended while sending its result leaves half a message that the pool would wait
    # for forever; with the last write end closed the pool reads end-of-file and gives up.
    results = getattr(pool, "_result_queue", None)
    if results is not None:
        results._writer.close()
    pool.shutdown(wait=True)
