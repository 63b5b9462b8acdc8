"""Pydantic validation errors rewritten as plain 'what is wrong; what was expected' messages."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel

from simulator.model import Scenario

TYPE_WORDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "date_type": "a date like 2022-01-01",
    "date_from_datetime_inexact": "a date like 2022-01-01",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_attributes_type": "a mapping of keys",
}


def describe_error(err: dict[str, Any], loc: tuple[Any, ...], data: Any) -> tuple[str, tuple]:
    """A readable message for one pydantic error, and the key path to report it at."""
    kind = err["type"]
    value = err.get("input")
    loc = tuple(k for k in loc if not _is_union_tag(k))
    if kind == "extra_forbidden":
        known = _field_names(loc[:-1])
        hint = _suggest(str(loc[-1]), known)
        return f"unknown key {loc[-1]!r}{hint} (expected one of: {', '.join(known)})", loc
    if kind == "missing":
        return f"missing required key {loc[-1]!r}", loc
    if kind in TYPE_WORDS:
        expected = TYPE_WORDS[kind]
        if isinstance(value, str) and expected in ("a number", "a whole number"):
            return (
                f"got the string {value!r}, expected {expected}; write numbers without "
                "quotes, and 4.0e6 as 4_000_000 or 4.0e+6 (YAML reads 4.0e6 as text)"
            ), loc
        return f"expected {expected}, got {_show(value)}", loc
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values())) if ctx else "?"
        words = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        return f"got {_show(value)}, expected a value {words} {bound}", loc
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        hint = _suggest(str(value), [o for o in options if o])
        return f"got {_show(value)}{hint}; expected one of {expected}", loc
    if kind == "union_tag_invalid":
        expected = err.get("ctx", {}).get("expected_tags", "")
        tag = err.get("ctx", {}).get("tag", "")
        options = [o.strip().strip("'") for o in expected.split(",")]
        return (
            f"unknown distribution {tag!r}{_suggest(tag, options)}; expected one of {expected}",
            (*loc, "dist"),
        )
    if kind == "union_tag_not_found":
        return (
            "expected a number of hours or a distribution such as "
            "{dist: triangular, low: 1, mode: 2, high: 4}"
        ), loc
    if kind == "string_pattern_mismatch":
        return f"got {_show(value)}, expected an id of letters, digits, '-' or '_'", loc
    if kind in ("too_short", "too_long"):
        return err["msg"].replace("Tuple", "list").replace("List", "list"), loc
    if kind == "value_error":
        return err["msg"].removeprefix("Value error, "), loc
    if kind == "date_from_datetime_parsing" or kind.startswith("date"):
        return f"got {_show(value)}, expected a date like 2022-01-01", loc
    return err["msg"], loc


def _show(value: Any) -> str:
    """Short text of an offending value for a message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _suggest(word: str, options: list[str]) -> str:
    """'; did you mean x?' when one option is close to the word."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _is_union_tag(key: Any) -> bool:
    """Pydantic puts the union member name into locations (e.g. 'triangular'); drop it."""
    return (
        isinstance(key, str)
        and key
        in (
            "fixed",
            "uniform",
            "triangular",
            "exponential",
            "lognormal",
            "empirical",
            "tuple[int, ...]",
            "int",
            "float",
            "str",
        )
        or (isinstance(key, str) and "[" in key)
    )


def _field_names(loc: tuple[Any, ...]) -> list[str]:
    """Keys allowed at a location, by walking the model's type hints."""
    model = _model_at(Scenario, loc)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(tp: Any, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that a key path points into, or None if it points at a plain value."""
    tp = _unwrap(tp)
    for key in loc:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(key) or next(
                (f for f in tp.model_fields.values() if f.alias == key), None
            )
            if field is None:
                return None
            tp = _unwrap(field.annotation)
        elif isinstance(key, int):
            args = typing.get_args(tp)
            tp = _unwrap(args[0]) if args else None
        else:
            return None
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional so that the underlying model or container type remains."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if len(models) == 1 else args[0]
            if len(args) > 1 and not models:
                return tp
        else:
            return tp
