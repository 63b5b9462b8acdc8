"""The simulation: a scenario's world of trains, sections, crossings and ports run in SimPy.

The only room that knows SimPy. Exports `simulate`: one replication of a scenario into its
frozen `RunResult` records.
"""

from simulator.engine.simulation import ProgressFn, simulate

__all__ = ["ProgressFn", "simulate"]
