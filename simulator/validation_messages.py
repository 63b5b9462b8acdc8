"""Pydantic validation errors rewritten as plain 'what is wrong; what was expected' messages."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

from simulator.model_paths import (
    DISTRIBUTION_EXAMPLE,
    distribution_names,
    expected_at,
    field_names,
    is_distribution,
)

Described = tuple[str, tuple]
"""A readable message and the key path it belongs to."""

TYPE_WORDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "string_type": "text",
    "bool_type": "true or false",
    "date_type": "a date like 2022-01-01",
    "date_parsing": "a date like 2022-01-01",
    "date_from_datetime_inexact": "a date like 2022-01-01",
    "date_from_datetime_parsing": "a date like 2022-01-01",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "tuple_type": "a list",
    "list_type": "a list",
}
HOURS = f"a number of hours or a distribution such as {DISTRIBUTION_EXAMPLE}"
BOUND_WORDS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def describe_errors(errors: Iterable[dict[str, Any]], data: Any) -> list[Described]:
    """Readable messages for pydantic errors, with the branches of a union folded into one."""
    unions: dict[tuple, list[tuple[dict[str, Any], tuple]]] = {}
    plain: list[Described] = []
    for err in errors:
        if _items_failed(err):
            continue
        path, union_at = _split_loc(tuple(err["loc"]), data, err["type"])
        if union_at is None:
            plain.append(describe_error(err, path, data))
        else:
            unions.setdefault(path[:union_at], []).append((err, path))
    for at, branch_errors in unions.items():
        typed = all(e["type"] in TYPE_WORDS for e, _ in branch_errors)
        if typed and all(len(p) == len(at) for _, p in branch_errors):
            expected = dict.fromkeys(TYPE_WORDS[e["type"]] for e, _ in branch_errors)
            value = branch_errors[0][0].get("input")
            plain.append((f"got {_show(value)}; expected {' or '.join(expected)}", at))
            continue
        kept = [(e, p) for e, p in branch_errors if len(p) > len(at) or e["type"] not in TYPE_WORDS]
        plain.extend(describe_error(e, p, data) for e, p in kept)
    return plain


def _items_failed(err: dict[str, Any]) -> bool:
    """True for pydantic's 'too short' that only counts the items that passed (they are reported)."""
    value, ctx = err.get("input"), err.get("ctx") or {}
    return (
        err["type"] == "too_short"
        and isinstance(value, list | tuple)
        and len(value) >= ctx.get("min_length", 0)
    )


def describe_error(err: dict[str, Any], loc: tuple[Any, ...], data: Any) -> Described:
    """A readable message for one pydantic error at a key path (union labels already removed)."""
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    raw = tuple(err["loc"])
    if kind == "extra_forbidden":
        return choice("unknown key", str(loc[-1]), field_names(raw[:-1])), loc
    if kind == "missing":
        return f"required key {loc[-1]!r} is missing; expected {expected_at(raw)}", loc
    if kind == "invalid_key" or raw[-1:] == ("[key]",):
        return f"got the key {_show(loc[-1])}; expected keys that are names (text)", loc
    if kind in TYPE_WORDS and is_distribution(raw):
        return f"got {_show(value)}; expected {HOURS}", loc
    if kind in TYPE_WORDS:
        return _wrong_type(value, TYPE_WORDS[kind]), loc
    if kind in BOUND_WORDS:
        bound = next(iter(ctx.values()), "?")
        return f"got {_show(value)}; expected {BOUND_WORDS[kind]} {_number(bound)}", loc
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return choice(f"got {_show(value)}", str(value), options, quote=False), loc
    if kind == "union_tag_invalid":
        tag = value.get("dist") if isinstance(value, dict) else ctx.get("tag")
        options = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        return choice("unknown distribution", tag, options), (*loc, "dist")
    if kind == "union_tag_not_found":
        return f"required key 'dist' is missing; expected {HOURS}", loc
    if kind == "string_pattern_mismatch":
        return f"got {_show(value)}; expected an id of letters, digits, '-' or '_'", loc
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        words = "at least" if kind == "too_short" else "at most"
        got = ctx.get("actual_length", len(value) if isinstance(value, list | tuple | dict) else 0)
        return f"got {got} item{'s' * (got != 1)}; expected {words} {limit}", loc
    if kind == "value_error":
        return _rule(str(err["msg"]).removeprefix("Value error, "), value, loc)
    return str(err["msg"]), loc


def choice(what: str, got: Any, options: list[str], quote: bool = True) -> str:
    """'what 'got'; did you mean 'x'? (expected one of: ...)' for a name not among the options."""
    head = f"{what} {got!r}" if quote else what
    listed = ", ".join(options)
    close = difflib.get_close_matches(str(got), options, n=1, cutoff=0.6)
    if close:
        return f"{head}; did you mean {close[0]!r}? (expected one of: {listed})"
    return f"{head}; expected one of: {listed}" if options else head


def _wrong_type(value: Any, expected: str) -> str:
    """Message for a value of the wrong type, with the fix for numbers and dates written as text."""
    if isinstance(value, str) and expected in ("a number", "a whole number"):
        if re.fullmatch(r"[-+]?[0-9_]*\.?[0-9_]*[eE][-+]?[0-9]+", value.strip()):
            return (
                f"got the text {value!r}; expected {expected}: YAML reads {value.strip()} "
                "as text, write it as 4_000_000 or 4.0e+6 (a sign after the e)"
            )
        if _looks_numeric(value):
            return f"got the text {value!r}; expected {expected}: write it without quotes"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return f"got the text {value!r}; expected {expected}: write it without quotes"
    if isinstance(value, dt.datetime):
        return f"got {value.isoformat(sep=' ')}, a date with a time; expected {expected}"
    return f"got {_show(value)}; expected {expected}"


def _rule(message: str, value: Any, loc: tuple) -> Described:
    """The model's own rules (model validators) with what was found put in front."""
    v = value if isinstance(value, dict) else {}
    if "exactly one of speed_kmh or km_per_day" in message:
        if "speed_kmh" in v and "km_per_day" in v:
            return "both speed_kmh and km_per_day given; expected exactly one", (*loc, "km_per_day")
        return "neither speed_kmh nor km_per_day given; expected exactly one", loc
    if "give exactly one of section" in message:
        keys = [k for k in ("section", "node", "flow") if k in v]
        options = message.removeprefix("give exactly one of ")
        found = " and ".join(keys) + " given" if keys else "no target given"
        return f"{found}; expected exactly one of {options}", loc
    if "low <= mode <= high" in message:
        got = ", ".join(f"{k} {_number(v.get(k))}" for k in ("low", "mode", "high"))
        return f"got {got}; expected low <= mode <= high", loc
    if "high must be at least low" in message:
        got = f"low {_number(v.get('low'))}, high {_number(v.get('high'))}"
        return f"got {got}; expected high at least low", (*loc, "high")
    if "weights must have as many" in message:
        counts = [len(v.get(k) or ()) for k in ("values", "weights")]
        return f"got {counts[0]} values and {counts[1]} weights; expected one weight per value", (
            *loc,
            "weights",
        )
    if "dated disruption needs start and a later end" in message:
        if v.get("end") is None:
            return "start given without end; expected an end date after start", loc
        if v.get("start") is None:
            return "end given without start; expected a start date before end", loc
        return f"end {v['end']} is not after start {v['start']}; expected a later end", (
            *loc,
            "end",
        )
    bad = re.match(r"cannot change '([^']*)' of a (\w+); expected one of (.*)", message)
    if bad:
        options = [o.strip() for o in bad.group(3).split(",")]
        head = f"cannot change {bad.group(1)!r} of a {bad.group(2)}"
        return choice(head, bad.group(1), options, quote=False), (*loc, "set", bad.group(1))
    return message, loc


def _split_loc(loc: tuple[Any, ...], data: Any, kind: str) -> tuple[tuple, int | None]:
    """The key path of an error without pydantic's labels, and where a union branch was met.

    A label is a loc entry that does not index into the data (e.g. 'triangular' or
    'tuple[constrained-int, ...]'); the last entry of a 'missing' error is a real key.
    """
    path: list[Any] = []
    union_at: int | None = None
    node = data
    for n, key in enumerate(loc):
        if key == "[key]":
            continue
        if (
            isinstance(node, dict)
            and key in node
            or isinstance(node, list)
            and isinstance(key, int)
            and 0 <= key < len(node)
        ):
            node = node[key]
        elif n == len(loc) - 1 and kind in ("missing", "extra_forbidden", "invalid_key"):
            pass
        elif _looks_like_label(key):
            union_at = len(path) if union_at is None else union_at
            continue
        else:
            node = None
        path.append(key)
    return tuple(path), union_at


def _looks_like_label(key: Any) -> bool:
    """Pydantic's names for union branches: distribution names and type names."""
    return isinstance(key, str) and (
        key in distribution_names()
        or key in ("int", "float", "str", "bool", "date")
        or not key.isidentifier()
    )


def _show(value: Any) -> str:
    """Short text of an offending value for a message, in YAML's words."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else _number(value)
    if isinstance(value, str):
        text = repr(value) if len(value) <= 40 else repr(value[:37] + "...")
        return f"the text {text}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _number(value: Any) -> str:
    """A number as a person writes it: 0 not 0.0, .inf for infinity."""
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return f"{value:g}" if value == int(value) and abs(value) < 1e15 else repr(value)
    return str(value)


def _looks_numeric(text: str) -> bool:
    """True for text such as '12', '4_000' or '1.5' that was meant as a number."""
    try:
        float(text.replace("_", ""))
    except ValueError:
        return False
    return True


def unknown(kind: str, name: str, options: list[str]) -> str:
    """'unknown node 'x'; did you mean 'y'?' or, when nothing is close, the ids there are."""
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    if close:
        return f"unknown {kind} {name!r}; did you mean {close[0]!r}?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"unknown {kind} {name!r}; expected one of: {shown}"
