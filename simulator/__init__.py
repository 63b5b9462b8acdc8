"""brisim: discrete-event simulation of Belt and Road rail freight corridors."""

from simulator.errors import BrisimError, ConservationError, OutputError, Problem, ScenarioError
from simulator.model import Scenario
from simulator.scenario import load_scenario

__version__ = "0.1.0"

__all__ = [
    "BrisimError",
    "ConservationError",
    "OutputError",
    "Problem",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
]
