"""Records: what a replication leaves behind, frozen, between the engine and the report.

Plain numpy columns and dataclasses, no SimPy. Exports `RunResult` and `compact` (the
records as a run directory stores them: grouped by train, times to the whole second);
`sink.py` states how a run hands its rows over while it runs.
"""

from simulator.records.results import RunResult
from simulator.records.stored import compact

__all__ = ["RunResult", "compact"]
