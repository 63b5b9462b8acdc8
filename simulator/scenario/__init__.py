"""Scenario input: YAML files with line numbers, `extends` and `--set`, into a frozen, checked Scenario.

The only room that knows YAML and pydantic. Exports `load_scenario`, `scenario_to_yaml`,
`json_schema`, the `Scenario` model and the `Calendar` that maps its dates to simulated hours.
"""

from simulator.scenario.calendar import Calendar
from simulator.scenario.loading import load_scenario, scenario_to_yaml
from simulator.scenario.model import Scenario
from simulator.scenario.schema import json_schema

__all__ = ["Calendar", "Scenario", "json_schema", "load_scenario", "scenario_to_yaml"]
