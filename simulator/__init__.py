"""brisim: discrete-event simulation of Belt and Road rail freight corridors.

The public API for notebooks and scripts: load a scenario, simulate or run its replications,
build the report tables, and write or read a run directory.
"""

from simulator.engine import simulate
from simulator.errors import BrisimError, ConservationError, OutputError, Problem, ScenarioError
from simulator.experiment import ReplicationOutcome, run, run_outcomes
from simulator.output import SavedRun, read_run, rebuild_report, write_outcomes, write_run
from simulator.records import RunResult
from simulator.report import Report, Table, build_report
from simulator.scenario import Scenario, load_scenario
from simulator.version import __version__

__all__ = [
    "BrisimError",
    "ConservationError",
    "OutputError",
    "Problem",
    "ReplicationOutcome",
    "Report",
    "RunResult",
    "SavedRun",
    "Scenario",
    "ScenarioError",
    "Table",
    "__version__",
    "build_report",
    "load_scenario",
    "read_run",
    "rebuild_report",
    "run",
    "run_outcomes",
    "simulate",
    "write_outcomes",
    "write_run",
]
