"""brisim: discrete-event simulation of Belt and Road rail freight corridors.

The public API for notebooks and scripts: load a scenario, simulate or run its replications,
build the report tables, write or read a run directory, compare scenarios on common random
numbers, sweep a grid of values, and bound throughput from capacities alone.
"""

from simulator.engine import simulate
from simulator.errors import BrisimError, ConservationError, OutputError, Problem, ScenarioError
from simulator.experiment import ReplicationOutcome, run, run_outcomes
from simulator.experiment.comparison import Comparison, compare
from simulator.experiment.replicate import Precision
from simulator.experiment.sweep import Sweep, sweep
from simulator.output import SavedRun, read_run, rebuild_report, write_outcomes, write_run
from simulator.records import RunResult
from simulator.report import Report, Table, build_report
from simulator.scenario import Scenario, load_scenario
from simulator.scenario.capacity_bound import capacity_bounds
from simulator.version import __version__

__all__ = [
    "BrisimError",
    "Comparison",
    "ConservationError",
    "OutputError",
    "Precision",
    "Problem",
    "ReplicationOutcome",
    "Report",
    "RunResult",
    "SavedRun",
    "Scenario",
    "ScenarioError",
    "Sweep",
    "Table",
    "__version__",
    "build_report",
    "capacity_bounds",
    "compare",
    "load_scenario",
    "read_run",
    "rebuild_report",
    "run",
    "run_outcomes",
    "simulate",
    "sweep",
    "write_outcomes",
    "write_run",
]
