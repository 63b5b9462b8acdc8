"""brisim: discrete-event simulation of Belt and Road rail freight corridors.

The public API for notebooks and scripts: load a scenario, simulate or run its replications,
build the report tables, and write or read a run directory.
"""

__version__ = "0.1.0"

from simulator.engine import simulate  # noqa: E402
from simulator.errors import (  # noqa: E402
    BrisimError,
    ConservationError,
    OutputError,
    Problem,
    ScenarioError,
)
from simulator.experiment import run, run_outcomes  # noqa: E402
from simulator.export import write_outcomes, write_run  # noqa: E402
from simulator.model import Scenario  # noqa: E402
from simulator.outcomes import ReplicationOutcome  # noqa: E402
from simulator.records import RunResult  # noqa: E402
from simulator.report import Report, build_report  # noqa: E402
from simulator.run_reader import SavedRun, read_run, rebuild_report  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402
from simulator.tables import Table  # noqa: E402

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
