"""The scenario model's types found by key path: which keys are allowed where, what a key holds.

Used to write error messages (e.g. the keys to choose from, or what a missing key should hold).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from pydantic import BaseModel

from simulator.scenario.distributions import Distribution, Fixed
from simulator.scenario.model import Scenario

DISTRIBUTION_EXAMPLE = "{dist: triangular, low: 1, mode: 2, high: 4}"


def field_names(loc: tuple[Any, ...]) -> list[str]:
    """Keys allowed at a location, by walking the model's type hints."""
    model = _type_at(loc)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def expected_at(loc: tuple[Any, ...]) -> str:
    """What a missing key should hold, in words (e.g. 'a date like 2022-01-01')."""
    field = _field_at(loc)
    if field is None:
        return "a value"
    if any(getattr(m, "pattern", None) for m in field.metadata):
        return "an id of letters, digits, '-' or '_'"
    return _type_words(field.annotation)


def is_distribution(loc: tuple[Any, ...]) -> bool:
    """True where the key path points at a distribution of hours."""
    field = _field_at(loc)
    return field is not None and _is_distribution_type(field.annotation)


def _type_words(tp: Any) -> str:
    """A type in words, for messages."""
    if _is_distribution_type(tp):
        return f"a number of hours or a distribution such as {DISTRIBUTION_EXAMPLE}"
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "one of: " + ", ".join(map(str, typing.get_args(tp)))
    if origin in (tuple, list):
        return "a list"
    if origin is dict or (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return "a mapping of keys"
    words = {
        int: "a whole number",
        float: "a number",
        str: "text",
        dt.date: "a date like 2022-01-01",
    }
    return words.get(tp, "a value")


def _is_distribution_type(tp: Any) -> bool:
    """True for the distribution union, optional or not."""
    members = _union_members(tp)
    return Fixed in members or any(Fixed in _union_members(m) for m in members)


def _union_members(tp: Any) -> tuple:
    """Members of a union, seen through Annotated; () for anything else."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return typing.get_args(tp) if typing.get_origin(tp) in (typing.Union, types.UnionType) else ()


def is_optional(loc: tuple[Any, ...]) -> bool:
    """True where a key path ends at a plain value that may be left out (it has a default).

    Parts such as a node's handling or port do not count: leaving them out changes other checks.
    """
    field = _field_at(loc)
    if field is None or field.is_required():
        return False
    tp = _unwrap(field.annotation)
    return not (isinstance(tp, type) and issubclass(tp, BaseModel))


def _field_at(loc: tuple[Any, ...]) -> Any:
    """The model field that a raw pydantic loc ends at, or None."""
    if not loc:
        return None
    parent = _type_at(loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        return _field(parent, loc[-1])
    return None


def _field(model: type[BaseModel], key: Any) -> Any:
    """A model's field by name or alias."""
    return model.model_fields.get(key) or next(
        (f for f in model.model_fields.values() if f.alias == key), None
    )


def _type_at(loc: tuple[Any, ...]) -> Any:
    """The type a raw pydantic loc (labels included) points at in the scenario model, or None."""
    tp: Any = Scenario
    for key in loc:
        if key == "[key]":
            return None
        tp = _unwrap(tp)
        members = [_unwrap(m) for m in _union_members(tp)]
        if members:
            tp = next((m for m in members if key in (_label(m), "dist")), None)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = _field(tp, key)
            tp = field.annotation if field is not None else None
        elif isinstance(key, int) and typing.get_origin(tp) in (tuple, list):
            tp = typing.get_args(tp)[0]
        else:
            tp = None
        if tp is None:
            return None
    return _unwrap(tp)


def distribution_names() -> tuple[str, ...]:
    """Names of the distributions, as written after `dist:`."""
    return tuple(_label(m) or "" for m in _union_members(Distribution))


def _label(tp: Any) -> str | None:
    """The label pydantic gives a distribution branch: its `dist` name."""
    if isinstance(tp, type) and issubclass(tp, BaseModel) and "dist" in tp.model_fields:
        return typing.get_args(tp.model_fields["dist"].annotation)[0]
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional so that the underlying model or container type remains."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp
