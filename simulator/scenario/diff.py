"""Which inputs differ between two resolved scenarios, as key paths with both values."""

from __future__ import annotations

from typing import Any

from simulator.scenario.model import Scenario

IGNORED = ("name", "description")  # labels, not inputs


def scenario_diff(base: Scenario, variant: Scenario) -> list[tuple[str, Any, Any]]:
    """(key.path, base value, variant value) for every value that differs; list items by id.

    An item (node, section, change...) on one side only shows once, whole, with None on the
    other side; within an item on both sides, each differing value shows.
    """
    a, items_a = _flat(base.model_dump(by_alias=True, exclude_none=True, mode="json"))
    b, items_b = _flat(variant.model_dump(by_alias=True, exclude_none=True, mode="json"))
    alone = {p: (items_a.get(p), items_b.get(p)) for p in {*items_a} ^ {*items_b}}
    out: list[tuple[str, Any, Any]] = []
    done: set[str] = set()
    for path in dict.fromkeys([*a, *b]):
        if path.split(".")[0] in IGNORED:
            continue
        owner = next((p for p in alone if path.startswith(p + ".")), None)
        if owner is not None:
            if owner not in done:
                done.add(owner)
                out.append((owner, *alone[owner]))
            continue
        if a.get(path) != b.get(path):
            out.append((path, a.get(path), b.get(path)))
    return out


def _flat(data: Any, prefix: str = "") -> tuple[dict[str, Any], dict[str, str]]:
    """Leaves by dotted path, and list items by path (as short text); items keyed by id."""
    leaves: dict[str, Any] = {}
    items: dict[str, str] = {}
    if isinstance(data, dict) and data.get("dist"):  # a distribution is one value
        leaves[prefix] = _short(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            more, inner = _flat(value, f"{prefix}.{key}" if prefix else str(key))
            leaves.update(more)
            items.update(inner)
    elif isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        for i, item in enumerate(data):
            path = f"{prefix}.{_item_key(item, i)}"
            items[path] = _short(item)
            more, inner = _flat(item, path)
            leaves.update(more)
            items.update(inner)
    elif isinstance(data, list) and data:
        leaves[prefix] = tuple(data)
    elif not isinstance(data, list):
        leaves[prefix] = data
    return leaves, items


def _item_key(item: dict[str, Any], index: int) -> str:
    if "id" in item:
        return str(item["id"])
    if "from" in item and "to" in item:
        return f"{item['from']}-{item['to']}"
    if "date" in item:
        target = item.get("section") or item.get("node") or item.get("flow") or ""
        return f"{item['date']}/{target}"
    return str(index)


def _short(data: dict[str, Any]) -> str:
    """A mapping as one line of YAML flow style."""
    parts = []
    for key, value in data.items():
        shown = _short(value) if isinstance(value, dict) else value
        parts.append(f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"
