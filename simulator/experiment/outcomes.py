"""What a run directory keeps of a replication: its tables always, its records where asked.

Built where the replication ran (a worker process or a cluster node), so only the small tables,
and the records of the replications that keep them, travel back and stay in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from simulator.records.results import FlowBalance, RunResult
from simulator.records.stored import compact
from simulator.report.replication_tables import ReplicationTables, replication_tables

RECORDS_CHOICES = ("first", "all", "none")
"""Which replications keep their train-by-train records; every one keeps its tables."""


@dataclass(frozen=True)
class ReplicationOutcome:
    """One replication as a run directory holds it: tables, kept records, run facts."""

    tables: ReplicationTables
    records: RunResult | None  # as stored (times to the second); None where not kept
    trains: int
    events: int
    wall_seconds: float
    horizon_hours: float
    balances: tuple[FlowBalance, ...]
    # the visits and lots files, already written while it ran; `records` has no rows then
    record_files: tuple[str, ...] = ()
    # the step that completes those files, where it was left to the process collecting the
    # outcomes (see `with_files`); record_files is empty until then
    pending_files: Callable[[], list[Path]] | None = None

    @property
    def replication(self) -> int:
        """The replication number."""
        return self.tables.replication

    @property
    def conserved(self) -> bool:
        """True when every flow's tonnes and TEU balance."""
        return all(b.passed for b in self.balances)


def outcome(run: RunResult, horizon_years: int, keep_records: bool) -> ReplicationOutcome:
    """Tables from the records as stored (so a rebuild from them is identical), records if kept."""
    stored = compact(run)
    return ReplicationOutcome(
        tables=replication_tables(stored, horizon_years),
        records=stored if keep_records else None,
        trains=run.trains,
        events=run.events,
        wall_seconds=run.wall_seconds,
        horizon_hours=run.horizon_hours,
        balances=run.balances,
    )


def tables_outcome(
    run: RunResult,
    tables: ReplicationTables,
    files: Sequence[Path] = (),
    pending_files: Callable[[], list[Path]] | None = None,
) -> ReplicationOutcome:
    """A replication reduced to its tables while it ran; its records not kept, or written to
    `files` as it ran, or to be completed by `pending_files` (then `records` holds the rest of
    the run, with no visits or lots)."""
    return ReplicationOutcome(
        tables=tables,
        records=compact(run) if files or pending_files is not None else None,
        record_files=tuple(str(f) for f in files),
        pending_files=pending_files,
        trains=run.trains,
        events=run.events,
        wall_seconds=run.wall_seconds,
        horizon_hours=run.horizon_hours,
        balances=run.balances,
    )


def with_files(done: ReplicationOutcome) -> ReplicationOutcome:
    """The outcome with its record files completed, if a step was left to complete them."""
    if done.pending_files is None:
        return done
    files = done.pending_files()
    return dataclasses.replace(done, record_files=tuple(str(f) for f in files), pending_files=None)


def records_kept(replications: Sequence[int], choice: str) -> list[int]:
    """The replications whose records a run keeps, for a RECORDS_CHOICES value."""
    if choice not in RECORDS_CHOICES:
        raise ValueError(f"records must be one of {', '.join(RECORDS_CHOICES)}, not {choice!r}")
    numbers = list(replications)
    return {"all": numbers, "first": numbers[:1], "none": []}[choice]
