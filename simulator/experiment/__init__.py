"""Execution: a scenario's replications over any `concurrent.futures` executor, with progress.

Each replication is reduced to its tables where it ran. Exports `run`, `run_outcomes`,
`ReplicationOutcome`, `RECORDS_CHOICES`, `records_kept` and the terminal `ProgressBar`.
"""

from simulator.experiment.outcomes import RECORDS_CHOICES, ReplicationOutcome, records_kept
from simulator.experiment.progress import ProgressBar
from simulator.experiment.replications import run, run_outcomes

__all__ = [
    "RECORDS_CHOICES",
    "ProgressBar",
    "ReplicationOutcome",
    "records_kept",
    "run",
    "run_outcomes",
]
