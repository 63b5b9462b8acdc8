"""Which inputs differ between two resolved scenarios, as key paths with both values."""

from __future__ import annotations

from typing import Any

from simulator.scenario.model import Scenario

IGNORED = ("name", "description")  # labels, not inputs


def scenario_diff(base: Scenario, variant: Scenario) -> list[tuple[str, Any, Any]]:
    """(key.path, base value, variant value) for every value that differs; list items by id.

    A value missing on one side shows as None there; whole items added or removed show once.
    """
    a = _flat(base.model_dump(by_alias=True, exclude_none=True, mode="json"))
    b = _flat(variant.model_dump(by_alias=True, exclude_none=True, mode="json"))
    out = []
    for path in dict.fromkeys([*a, *b]):
        if path.split(".")[0] in IGNORED or a.get(path) == b.get(path):
            continue
        out.append((path, a.get(path), b.get(path)))
    return out


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves by dotted path; list items keyed by their id (or from-to, or date) where they have one."""
    if isinstance(data, dict):
        if data.get("dist"):  # a distribution is one value
            return {prefix: _short(data)}
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        out = {}
        for i, item in enumerate(data):
            out.update(_flat(item, f"{prefix}.{_item_key(item, i)}"))
        return out
    if isinstance(data, list):
        return {prefix: tuple(data)}
    return {prefix: data}


def _item_key(item: dict[str, Any], index: int) -> str:
    if "id" in item:
        return str(item["id"])
    if "from" in item and "to" in item:
        return f"{item['from']}-{item['to']}"
    if "date" in item:
        target = item.get("section") or item.get("node") or item.get("flow") or ""
        return f"{item['date']}/{target}"
    return str(index)


def _short(dist: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in dist.items()) + "}"
