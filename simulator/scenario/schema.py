"""JSON Schema of the scenario format, for editors that complete and check scenario YAML.

Two things the pydantic schema alone would get wrong are added: a bare number stands for a fixed
distribution of hours, and a file with `extends` may leave out anything its base gives.
"""

from __future__ import annotations

import copy
from typing import Any

from simulator.scenario.model import Scenario

HOURS_AS_NUMBER = {"type": "number", "minimum": 0, "description": "hours, always the same"}
EXTENDS = {
    "type": "string",
    "description": "a base scenario file (relative to this one) that this file overrides",
}


def json_schema() -> dict[str, Any]:
    """The schema: complete scenarios, or (with `extends`) partial ones where nothing is required."""
    complete = _numbers_for_hours(Scenario.model_json_schema(by_alias=True))
    complete["properties"]["extends"] = EXTENDS
    defs = complete.pop("$defs", {})
    partial = _partial(complete)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "brisim scenario",
        "description": complete.get("description", ""),
        "if": {"required": ["extends"]},
        "then": partial,
        "else": complete,
        "$defs": {**defs, **{f"Partial{k}": _partial(v) for k, v in defs.items()}},
    }
    return schema


def _numbers_for_hours(node: Any) -> Any:
    """Let a bare number stand wherever a distribution (a union tagged by `dist`) is allowed."""
    if isinstance(node, list):
        return [_numbers_for_hours(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _numbers_for_hours(v) for k, v in node.items()}
    if out.get("discriminator", {}).get("propertyName") == "dist":
        union = {k: out.pop(k) for k in ("discriminator", "oneOf") if k in out}
        out["anyOf"] = [HOURS_AS_NUMBER, union]
    return out


def _partial(node: Any) -> Any:
    """The same schema with no required keys, its references pointing at the partial copies."""
    node = copy.deepcopy(node)
    if isinstance(node, list):
        return [_partial(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _partial(v) for k, v in node.items() if k != "required"}
    if isinstance(out.get("$ref"), str):
        out["$ref"] = out["$ref"].replace("#/$defs/", "#/$defs/Partial")
    if "mapping" in out and isinstance(out["mapping"], dict):
        out["mapping"] = {
            k: v.replace("#/$defs/", "#/$defs/Partial") for k, v in out["mapping"].items()
        }
    return out
