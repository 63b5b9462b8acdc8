"""The scenario format's building blocks: strict number types, the frozen base, distributions.

`model.py` builds the scenario's parts from these; every hour-valued input is a `Distribution`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator

from simulator.scenario.bounds import Cv, Hours, MeanHours, Weight

# Numbers are strict: a quoted "12" or PyYAML's string "4.0e6" is an error, not silently coerced.
PositiveFloat = Annotated[float, Strict(), Field(gt=0)]
NonNegFloat = Annotated[float, Strict(), Field(ge=0)]
PositiveInt = Annotated[int, Strict(), Field(gt=0)]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1)]
Id = Annotated[str, Strict(), Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")]
Gauge = Annotated[int, Strict(), Field(ge=600, le=2000)]
Date = Annotated[dt.date, Strict()]

NodeKind = Literal["seaport", "border", "hub", "junction", "exit"]
Cargo = Literal["container", "bulk"]


class Frozen(BaseModel):
    """Base of every scenario part: immutable, and unknown keys are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Fixed(Frozen):
    """Always the same value."""

    dist: Literal["fixed"]
    value: Hours


class Uniform(Frozen):
    """Uniform between low and high."""

    dist: Literal["uniform"]
    low: Hours
    high: Hours

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must be at least low")
        return self


class Triangular(Frozen):
    """Triangular with low <= mode <= high."""

    dist: Literal["triangular"]
    low: Hours
    mode: Hours
    high: Hours

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("expected low <= mode <= high")
        return self


class Exponential(Frozen):
    """Exponential with the given mean."""

    dist: Literal["exponential"]
    mean: MeanHours


class Lognormal(Frozen):
    """Lognormal given by its mean and coefficient of variation (not by mu and sigma)."""

    dist: Literal["lognormal"]
    mean: MeanHours
    cv: Cv


class Empirical(Frozen):
    """Drawn from observed values, with optional weights."""

    dist: Literal["empirical"]
    values: tuple[Hours, ...] = Field(min_length=1)
    weights: tuple[Weight, ...] | None = None

    @model_validator(mode="after")
    def _same_length(self) -> Empirical:
        if self.weights is not None and len(self.weights) != len(self.values):
            raise ValueError("weights must have as many entries as values")
        return self


def _bare_number_is_fixed(value: object) -> object:
    """Let `handling_hours: 1.5` stand for `{dist: fixed, value: 1.5}`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


Distribution = Annotated[
    Fixed | Uniform | Triangular | Exponential | Lognormal | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_bare_number_is_fixed),
]
"""A distribution of hours; a bare number means `fixed`."""
