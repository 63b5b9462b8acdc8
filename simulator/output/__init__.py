"""Run directories: written atomically, read back, with Parquet records and per-replication tables.

The only room that knows pyarrow and the run directory's layout. Exports `write_run`,
`write_outcomes`, `check_target`, `record_spool`, `read_run`, `SavedRun`, `load_report` and `rebuild_report`.
"""

from simulator.output.record_stream import record_spool
from simulator.output.run_reader import SavedRun, load_report, read_run, rebuild_report
from simulator.output.run_writer import check_target, write_outcomes, write_run

__all__ = [
    "SavedRun",
    "check_target",
    "load_report",
    "read_run",
    "rebuild_report",
    "record_spool",
    "write_outcomes",
    "write_run",
]
