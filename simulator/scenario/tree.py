"""Plain scenario data with the file and line of every value beside it: merge, override, locate.

`yaml_reader.py` reads YAML into these trees; here they are combined (`extends`, `--set`) and a
validation error's key path is turned back into FILE:LINE and a readable dotted path.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from simulator.errors import Problem, ScenarioError

LIST_KEYS_APPENDED = ("changes", "disruptions")


@dataclass
class Loc:
    """Where a value came from, and the same for its children (a tree parallel to the data)."""

    file: str
    line: int
    children: dict[Any, Loc] | list[Loc] | None = field(default=None)

    def child(self, key: Any) -> Loc | None:
        """Location of a child value by key or list index, if known."""
        if isinstance(self.children, dict):
            return self.children.get(key)
        if isinstance(self.children, list) and isinstance(key, int) and key < len(self.children):
            return self.children[key]
        return None


@dataclass
class Document:
    """Plain data read from YAML with the location tree beside it."""

    data: Any
    loc: Loc


def item_key(item: Any) -> str | None:
    """Identity of a list item for merging and for paths: its id, or 'from-to' for a section."""
    if isinstance(item, dict):
        if isinstance(item.get("id"), str):
            return item["id"]
        if isinstance(item.get("from"), str) and isinstance(item.get("to"), str):
            return f"{item['from']}-{item['to']}"
    return None


def merge(base: Document, over: Document, key: Any = "") -> Document:
    """Overlay `over` on `base`: mappings merge, lists of items merge by id, changes append."""
    if isinstance(base.data, dict) and isinstance(over.data, dict):
        data = dict(base.data)
        kids = dict(base.loc.children or {}) if isinstance(base.loc.children, dict) else {}
        for k, v in over.data.items():
            o = Document(v, over.loc.child(k) or over.loc)
            if k in data:
                o = merge(Document(data[k], kids.get(k) or base.loc), o, k)
            data[k], kids[k] = o.data, o.loc
        return Document(data, Loc(over.loc.file, over.loc.line, kids))
    if isinstance(base.data, list) and isinstance(over.data, list):
        base_kids = _list_locs(base)
        over_kids = _list_locs(over)
        if key in LIST_KEYS_APPENDED:
            return Document(
                base.data + over.data, Loc(over.loc.file, over.loc.line, base_kids + over_kids)
            )
        if any(isinstance(i, dict) for i in over.data):
            return _merge_by_id(base.data, base_kids, over.data, over_kids, over.loc)
    return over


def _list_locs(doc: Document) -> list[Loc]:
    """One location per list item (the list's own location where an item's is unknown)."""
    kids = doc.loc.children if isinstance(doc.loc.children, list) else []
    return [kids[n] if n < len(kids) else doc.loc for n in range(len(doc.data))]


def _merge_by_id(
    base: list[Any], base_kids: list[Loc], over: list[Any], over_kids: list[Loc], loc: Loc
) -> Document:
    """Items of `over` merge into the base item with the same id; new ids (or none) append."""
    data, kids = list(base), list(base_kids)
    index = {item_key(i): n for n, i in enumerate(data) if item_key(i)}
    for item, item_loc in zip(over, over_kids, strict=True):
        key = item_key(item)
        if key in index:
            j = index[key]
            merged = merge(Document(data[j], kids[j]), Document(item, item_loc))
            data[j], kids[j] = merged.data, merged.loc
        else:
            data.append(item)
            kids.append(item_loc)
    return Document(data, Loc(loc.file, loc.line, kids))


def set_value(doc: Document, keys: list[str], value: Any, origin: str) -> Document:
    """Put `value` at a dotted key path (list items by id or index); the origin names its source."""
    target: Any = doc.data
    loc = doc.loc
    for depth, k in enumerate(keys):
        last = depth == len(keys) - 1
        where = ".".join(keys[: depth + 1])
        if isinstance(target, dict):
            if not last and k not in target:
                target[k] = {}  # a new mapping; validation names the key if it is not allowed
                _set_loc(loc, k, Loc(origin, 0, {}))
            index: Any = k
        elif isinstance(target, list):
            ids = [item_key(i) for i in target]
            if k in ids:
                index = ids.index(k)
            elif k.isdigit() and int(k) < len(target):
                index = int(k)
            else:
                hint = suggest(k, [i for i in ids if i])
                named = ", ".join(i for i in ids if i)
                expected = f"; expected {'an id (' + named + ') or ' if named else ''}an index"
                expected += f" from 0 to {len(target) - 1}" if target else " (the list is empty)"
                raise ScenarioError([Problem(origin, 0, where, f"no such item{hint or expected}")])
        else:
            raise ScenarioError(
                [
                    Problem(
                        origin,
                        0,
                        where,
                        "cannot go inside a plain value; expected a mapping or list",
                    )
                ]
            )
        if last:
            target[index] = value
            _set_loc(loc, index, Loc(origin, 0))
            return doc
        target, loc = target[index], loc.child(index) or Loc(origin, 0)
    return doc


def _set_loc(loc: Loc, index: Any, new: Loc) -> None:
    """Record that the child at `index` now comes from `new`."""
    if (
        isinstance(loc.children, dict)
        or isinstance(loc.children, list)
        and isinstance(index, int)
        and index < len(loc.children)
    ):
        loc.children[index] = new
    elif loc.children is None and isinstance(index, str):
        loc.children = {index: new}


def suggest(word: str, candidates: list[str]) -> str:
    """'; did you mean 'x'?' for the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def path_text(data: Any, loc_path: tuple[Any, ...]) -> str:
    """Dotted key path with list items named by their id where they have one."""
    parts: list[str] = []
    node = data
    for k in loc_path:
        if isinstance(node, list) and isinstance(k, int):
            key = item_key(node[k]) if 0 <= k < len(node) else None
            parts.append(key or str(k))
            node = node[k] if 0 <= k < len(node) else None
        else:
            parts.append(str(k))
            node = node.get(k) if isinstance(node, dict) else None
    return ".".join(parts)


def line_of(doc: Document, loc_path: tuple[Any, ...]) -> tuple[str, int]:
    """File and line of the deepest known value along a key path."""
    loc = doc.loc
    for k in loc_path:
        nxt = loc.child(k)
        if nxt is None:
            break
        loc = nxt
    return loc.file, loc.line
