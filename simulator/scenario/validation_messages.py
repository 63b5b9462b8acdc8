"""Pydantic validation errors rewritten as plain 'what is wrong; what was expected' messages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from simulator.scenario.bounds import plain, why_at
from simulator.scenario.message_words import choice, number, show
from simulator.scenario.model_paths import (
    DISTRIBUTION_EXAMPLE,
    distribution_names,
    expected_at,
    field_names,
    is_distribution,
    is_optional,
)
from simulator.scenario.rule_messages import Described, rule_message

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
            plain.append((f"got {show(value)}; expected {' or '.join(expected)}", at))
            continue
        kept = [(e, p) for e, p in branch_errors if len(p) > len(at) or e["type"] not in TYPE_WORDS]
        plain.extend(describe_error(e, p, data) for e, p in kept)
    return plain


def optional_paths(errors: Iterable[dict[str, Any]], data: Any) -> list[tuple] | None:
    """Key paths of the errors if each may simply be left out (unknown keys, optional values)."""
    paths = []
    for err in errors:
        if _items_failed(err):
            continue
        path, union_at = _split_loc(tuple(err["loc"]), data, err["type"])
        plain = err["type"] not in ("value_error", "missing") and is_optional(tuple(err["loc"]))
        droppable = err["type"] == "extra_forbidden" or plain
        if not droppable or union_at is not None and union_at < len(path) - 1:
            return None
        paths.append(path)
    return paths


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
        return f"got the key {show(loc[-1])}; expected keys that are names (text)", loc
    if kind in TYPE_WORDS and is_distribution(raw):
        return f"got {show(value)}; expected {HOURS}", loc
    if kind in TYPE_WORDS:
        return _wrong_type(value, TYPE_WORDS[kind]), loc
    if kind in BOUND_WORDS:
        bound = next(iter(ctx.values()), "?")
        shown = plain(bound) if isinstance(bound, int | float) else number(bound)
        text = f"got {show(value)}; expected {BOUND_WORDS[kind]} {shown}"
        why = why_at(loc)
        return (f"{text}: {why}" if why else text), loc
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return choice(f"got {show(value)}", str(value), options, quote=False), loc
    if kind == "union_tag_invalid":
        tag = value.get("dist") if isinstance(value, dict) else ctx.get("tag")
        options = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        return choice("unknown distribution", tag, options), (*loc, "dist")
    if kind == "union_tag_not_found":
        return f"required key 'dist' is missing; expected {HOURS}", loc
    if kind == "string_pattern_mismatch":
        return f"got {show(value)}; expected an id of letters, digits, '-' or '_'", loc
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        words = "at least" if kind == "too_short" else "at most"
        got = ctx.get("actual_length", len(value) if isinstance(value, list | tuple | dict) else 0)
        return f"got {got} item{'s' * (got != 1)}; expected {words} {limit}", loc
    if kind == "value_error":
        return rule_message(str(err["msg"]).removeprefix("Value error, "), value, loc)
    return str(err["msg"]), loc


def _wrong_type(value: Any, expected: str) -> str:
    """Message for a value of the wrong type, with the fix for numbers and dates written as text."""
    if isinstance(value, str) and expected in ("a number", "a whole number"):
        written = _as_yaml_number(value.strip())
        if written:
            return (
                f"got the text {value!r}; expected {expected}: YAML reads {value.strip()} "
                f"as text, write it as {written}"
            )
        if _looks_numeric(value):
            return f"got the text {value!r}; expected {expected}: write it without quotes"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return f"got the text {value!r}; expected {expected}: write it without quotes"
    if isinstance(value, dt.datetime):
        return f"got {value.isoformat(sep=' ')}, a date with a time; expected {expected}"
    return f"got {show(value)}; expected {expected}"


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


def _as_yaml_number(text: str) -> str:
    """For text like 4e6 that YAML 1.1 does not read as a number, the ways to write it that it does."""
    match = re.fullmatch(r"([-+]?[0-9_]*\.?[0-9_]*)[eE]([-+]?)([0-9]+)", text)
    if not match or not any(c.isdigit() for c in match[1]):
        return ""
    mantissa = match[1].replace("_", "")
    with_dot = mantissa if "." in mantissa else f"{mantissa}.0"
    scientific = f"{with_dot}e{match[2] or '+'}{match[3]}"
    value = float(scientific)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):_} or {scientific}"
    return scientific


def _looks_numeric(text: str) -> bool:
    """True for text such as '12', '4_000' or '1.5' that was meant as a number."""
    try:
        float(text.replace("_", ""))
    except ValueError:
        return False
    return True
