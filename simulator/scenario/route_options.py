"""How flows pick their routes: listed alternatives with contract shares, and the choice rule.

A flow may list `routes:` (each a list of node ids, or a mapping with `nodes` and optional
`group`, `share`, `bias_hours`); without them brisim derives the k fastest loop-free routes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from simulator.scenario.bounds import Hours, RouteAlternatives
from simulator.scenario.distributions import Fraction, Frozen, Id

RouteChoice = Literal["least_time", "fixed"]
Alternatives = RouteAlternatives


class RouteOption(Frozen):
    """One route a flow may take; a bare list of node ids is read as its `nodes`."""

    nodes: tuple[Id, ...] = Field(description="node ids from the flow's origin to its destination")
    group: str | None = Field(
        default=None,
        description="label for the yearly route-group table (default: the first node's corridor)",
    )
    share: Fraction | None = Field(
        default=None,
        description="share of the flow's trains bound to this route by contract, whatever the "
        "queues",
    )
    bias_hours: Hours = Field(
        default=0.0,
        description="hours added to this route's expected time: a standing preference against it",
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return {"nodes": value}
        return value
