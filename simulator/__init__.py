"""brisim: discrete-event simulation of Belt and Road rail freight corridors.

The public API for notebooks and scripts: load a scenario, simulate or run its replications,
build the report tables, write or read a run directory, compare scenarios on common random
numbers, sweep a grid of values, and bound throughput from capacities alone.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from simulator.version import __version__

if TYPE_CHECKING:
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

# Each name is imported from its room on first use, so that `import simulator` (and with it
# every `brisim` command, such as the quick `capacity`) does not load the simulation, plots and
# Parquet libraries it does not need.
_HOME = {
    "BrisimError": "simulator.errors",
    "Comparison": "simulator.experiment.comparison",
    "ConservationError": "simulator.errors",
    "OutputError": "simulator.errors",
    "Precision": "simulator.experiment.replicate",
    "Problem": "simulator.errors",
    "ReplicationOutcome": "simulator.experiment",
    "Report": "simulator.report",
    "RunResult": "simulator.records",
    "SavedRun": "simulator.output",
    "Scenario": "simulator.scenario",
    "ScenarioError": "simulator.errors",
    "Sweep": "simulator.experiment.sweep",
    "Table": "simulator.report",
    "build_report": "simulator.report",
    "capacity_bounds": "simulator.scenario.capacity_bound",
    "compare": "simulator.experiment.comparison",
    "load_scenario": "simulator.scenario",
    "read_run": "simulator.output",
    "rebuild_report": "simulator.output",
    "run": "simulator.experiment",
    "run_outcomes": "simulator.experiment",
    "simulate": "simulator.engine",
    "sweep": "simulator.experiment.sweep",
    "write_outcomes": "simulator.output",
    "write_run": "simulator.output",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its room the first time it is asked for."""
    if name not in _HOME:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
