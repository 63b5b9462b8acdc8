"""What forming a train needs: its size in lots, room in a yard, whether others are due now."""

from __future__ import annotations

import math
from collections.abc import Generator

import simpy

from simulator.engine.world import FlowState, World
from simulator.scenario.model import TrainType

Proc = Generator[simpy.Event, object, None]


def others_due_now(env: simpy.Environment) -> bool:
    """True if another event is due at this instant.

    A zero-hour timeout is skipped only when none is: the process would be the next to run
    anyway, so the order of everything (and every record) stays as with the timeout.
    """
    return env.peek() <= env.now


def capacity_in_lots(flow: FlowState, cargo_size: float | None) -> int:
    """Whole lots that fill one train of the given size (at least one)."""
    return max(1, int(math.floor((cargo_size or 0) / flow.flow.lot_size + 1e-9)))


def train_size(ttype: TrainType) -> float | None:
    """A train type's size in its flow unit (TEU or tonnes)."""
    return ttype.teu_per_train if ttype.cargo == "container" else ttype.tonnes_per_train


def acquire_yard(w: World, node: str, came_from: str | None) -> Proc:
    """Wait for room in the yard a train is heading to; returns the yard (or None)."""
    yard = w.yard(node, came_from)
    if yard is not None and (others_due_now(w.env) or not yard.take_free()):
        yield yard.request()
    return yard
