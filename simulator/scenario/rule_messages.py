"""The model's own rules (its model validators) restated as 'what was found; what was expected'.

Each rewrite reads what the model's message names and what the input holds; a message that no
rewrite knows is passed on unchanged (`tests/test_scenario_loading.py` triggers every rule).
"""

from __future__ import annotations

import re
from typing import Any

from simulator.scenario.message_words import choice, number

Described = tuple[str, tuple]
"""A readable message and the key path it belongs to."""


def rule_message(message: str, value: Any, loc: tuple) -> Described:
    """A model validator's message, restated with what the input holds and at the key concerned."""
    v = value if isinstance(value, dict) else {}
    for rewrite in (_one_of, _ordered, _sizes, _dates, _change_key):
        found = rewrite(message, v, loc)
        if found is not None:
            return found
    return message, loc


def _given(v: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """Which of the keys the input has (with a value)."""
    return [k for k in keys if v.get(k) is not None]


def _one_of(message: str, v: dict[str, Any], loc: tuple) -> Described | None:
    """Rules that want exactly one of several keys."""
    pairs = {
        "exactly one of speed_kmh or km_per_day": ("speed_kmh", "km_per_day"),
        "exactly one of section, node or flow": ("section", "node", "flow"),
        "exactly one of section or node": ("section", "node"),
        "yard_trains or yard_teu, not both": ("yard_trains", "yard_teu"),
    }
    keys = next((k for text, k in pairs.items() if text in message), None)
    if keys is None:
        return None
    given = _given(v, keys)
    options = ", ".join(keys[:-1]) + " or " + keys[-1]
    if not given:
        return f"no {options} given; expected exactly one", loc
    return f"both {' and '.join(given)} given; expected only one of {options}", (*loc, given[-1])


def _ordered(message: str, v: dict[str, Any], loc: tuple) -> Described | None:
    """Rules on the order of a distribution's parameters."""
    if "low <= mode <= high" in message:
        got = ", ".join(f"{k} {number(v.get(k))}" for k in ("low", "mode", "high"))
        return f"got {got}; expected low <= mode <= high", loc
    if "high must be at least low" in message:
        got = f"low {number(v.get('low'))}, high {number(v.get('high'))}"
        return f"got {got}; expected high at least low", (*loc, "high")
    if "weights must have as many" in message:
        counts = [len(v.get(k) or ()) for k in ("values", "weights")]
        why = f"got {counts[0]} values and {counts[1]} weights; expected one weight per value"
        return why, (*loc, "weights")
    return None


def _sizes(message: str, v: dict[str, Any], loc: tuple) -> Described | None:
    """Rules on which size or volume keys go with a cargo."""
    needs = re.fullmatch(r"an? (\w+) (train type|flow) needs (\w+)", message)
    if needs:
        cargo, thing, key = needs.groups()
        return f"required key {key!r} is missing; expected it for a {cargo} {thing}", (*loc, key)
    if re.fullmatch(r"a (bulk|container) flow gives .*", message):
        wrong = "teu_per_year" if v.get("cargo") == "bulk" else "tonnes_per_year"
        right = "tonnes_per_year" if v.get("cargo") == "bulk" else "teu_per_year and tonnes_per_teu"
        return f"{wrong} on a {v.get('cargo')} flow; expected {right}", (*loc, wrong)
    return None


def _dates(message: str, v: dict[str, Any], loc: tuple) -> Described | None:
    """Rules on a disruption's dates or breakdown times."""
    if "dated disruption needs start and a later end" in message:
        if v.get("end") is None:
            return "start given without end; expected an end date after start", loc
        if v.get("start") is None:
            return "end given without start; expected a start date before end", loc
        why = f"end {v['end']} is not after start {v['start']}; expected a later end"
        return why, (*loc, "end")
    if "either start and end (dated) or mtbf_hours and mttr_hours" in message:
        given = _given(v, ("start", "end", "mtbf_hours", "mttr_hours"))
        found = f"got {' and '.join(given)}" if given else "no dates and no breakdown times given"
        return f"{found}; expected either start and end, or mtbf_hours and mttr_hours", loc
    if "capacity_factor is 0 (closed) or at least" in message:
        low = message.rsplit(" ", 1)[-1]
        why = (
            f"got {number(v.get('capacity_factor'))}; expected 0 (closed) or at least {low}: "
            "a smaller factor is a closure that lets a train through now and then"
        )
        return why, (*loc, "capacity_factor")
    if "need both mtbf_hours and mttr_hours" in message:
        given = _given(v, ("mtbf_hours", "mttr_hours"))
        return f"only {' and '.join(given)} given; expected both mtbf_hours and mttr_hours", loc
    return None


def _change_key(message: str, v: dict[str, Any], loc: tuple) -> Described | None:
    """A change of a key that the target kind cannot change, with the closest allowed key."""
    bad = re.match(r"cannot change '([^']*)' of a (\w+); expected one of (.*)", message)
    if bad is None:
        return None
    key, kind, allowed = bad.groups()
    options = [o.strip() for o in allowed.split(",")]
    return choice(f"cannot change {key!r} of a {kind}", key, options, quote=False), (
        *loc,
        "set",
        key,
    )
