"""Scenario files to a validated, frozen `Scenario`; the only module that reads YAML.

Every value keeps the file and line it came from (through `extends` and `--set` too), so that each
problem is reported as FILE:LINE: key.path: what is wrong; and every problem is reported at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.checks import cross_check
from simulator.errors import Problem, ScenarioError
from simulator.model import Scenario
from simulator.validation_messages import describe_error

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


def _locate(node: yaml.Node, file: str) -> Loc:
    """Build the location tree from a composed YAML node."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        kids: dict[Any, Loc] = {}
        for key_node, value_node in node.value:
            child = _locate(value_node, file)
            if not isinstance(value_node, yaml.MappingNode | yaml.SequenceNode):
                child.line = key_node.start_mark.line + 1
            kids[key_node.value] = child
        return Loc(file, line, kids)
    if isinstance(node, yaml.SequenceNode):
        return Loc(file, line, [_locate(item, file) for item in node.value])
    return Loc(file, line)


def read_document(path: Path) -> Document:
    """Read one YAML file (safe loader only) into data plus locations; problems raise."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(name, 0, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(name, 0, "", f"cannot read file: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader is safe
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or "invalid YAML"
        if "constructor for the tag" in what:
            what = f"{what}; only plain YAML is read (tags that build Python objects are refused)"
        raise ScenarioError([Problem(name, line, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, 0, "", f"YAML error: {exc}")]) from None
    if node is None or data is None:
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    "",
                    "the file is empty; expected a scenario "
                    "mapping (name, start_date, nodes, sections, ...)",
                )
            ]
        )
    if not isinstance(data, dict):
        got = type(data).__name__
        raise ScenarioError(
            [
                Problem(
                    name,
                    node.start_mark.line + 1,
                    "",
                    f"expected a mapping of keys at the top, got a {got}",
                )
            ]
        )
    return Document(data, _locate(node, name))


def item_key(item: Any) -> str | None:
    """Identity of a list item for merging and for paths: its id, or 'from-to' for a section."""
    if isinstance(item, dict):
        if isinstance(item.get("id"), str):
            return item["id"]
        if isinstance(item.get("from"), str) and isinstance(item.get("to"), str):
            return f"{item['from']}-{item['to']}"
    return None


def merge(base: Document, over: Document, key: str = "") -> Document:
    """Overlay `over` on `base`: mappings merge, id'd lists merge by id, changes append."""
    if isinstance(base.data, dict) and isinstance(over.data, dict):
        data = dict(base.data)
        kids = dict(base.loc.children or {})
        for k, v in over.data.items():
            o = Document(v, over.loc.child(k) or over.loc)
            merged = merge(Document(data[k], kids.get(k) or base.loc), o, k) if k in data else o
            data[k], kids[k] = merged.data, merged.loc
        return Document(data, Loc(over.loc.file, over.loc.line, kids))
    if isinstance(base.data, list) and isinstance(over.data, list):
        if key in LIST_KEYS_APPENDED:
            return Document(
                base.data + over.data,
                Loc(
                    over.loc.file,
                    over.loc.line,
                    list(base.loc.children or []) + list(over.loc.children or []),
                ),
            )
        if all(item_key(i) for i in base.data + over.data):
            data = list(base.data)
            kids = list(base.loc.children or [])
            index = {item_key(i): n for n, i in enumerate(data)}
            for n, item in enumerate(over.data):
                o = Document(item, over.loc.child(n) or over.loc)
                if item_key(item) in index:
                    j = index[item_key(item)]
                    m = merge(Document(data[j], kids[j]), o)
                    data[j], kids[j] = m.data, m.loc
                else:
                    data.append(item)
                    kids.append(o.loc)
            return Document(data, Loc(over.loc.file, over.loc.line, kids))
    return over


def resolve(path: Path, chain: tuple[Path, ...] = ()) -> Document:
    """Read a file and everything it `extends`, merged base-first; cycles are reported."""
    path = Path(path)
    real = path.resolve()
    doc = read_document(path)
    parent = doc.data.pop("extends", None)
    if parent is None:
        return doc
    line = doc.loc.child("extends").line if doc.loc.child("extends") else 0
    if not isinstance(parent, str):
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    line,
                    "extends",
                    "expected the name of a scenario file, e.g. baseline.yaml",
                )
            ]
        )
    parent_path = path.parent / parent
    if not parent_path.exists():
        raise ScenarioError([Problem(str(path), line, "extends", f"file not found: {parent_path}")])
    if parent_path.resolve() in (*chain, real):
        cycle = " -> ".join(p.name for p in (*chain, real, parent_path.resolve()))
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    line,
                    "extends",
                    f"extends forms a cycle: {cycle}; a file cannot extend "
                    "itself, directly or through others",
                )
            ]
        )
    base = resolve(parent_path, (*chain, real))
    if isinstance(doc.loc.children, dict):
        doc.loc.children.pop("extends", None)
    return merge(base, doc)


def apply_set(doc: Document, assignment: str) -> Document:
    """Apply one `key.path=value` override (list items addressed by id or index)."""
    origin = f"--set {assignment}"
    if "=" not in assignment:
        raise ScenarioError(
            [Problem("--set", 0, assignment, "expected key.path=value, e.g. seed=7")]
        )
    dotted, raw = assignment.split("=", 1)
    keys = [k for k in dotted.strip().split(".") if k]
    if not keys:
        raise ScenarioError([Problem("--set", 0, dotted, "empty key path")])
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    target: Any = doc.data
    loc = doc.loc
    for depth, k in enumerate(keys):
        last = depth == len(keys) - 1
        where = ".".join(keys[: depth + 1])
        if isinstance(target, dict):
            if last:
                target[k] = value
                if isinstance(loc.children, dict):
                    loc.children[k] = Loc(origin, 0)
                return doc
            if k not in target:
                hint = suggest(k, [str(x) for x in target])
                raise ScenarioError([Problem("--set", 0, where, f"no such key{hint}")])
            target, loc = target[k], loc.child(k) or Loc(origin, 0)
        elif isinstance(target, list):
            ids = [item_key(i) for i in target]
            if k in ids:
                idx = ids.index(k)
            elif k.isdigit() and int(k) < len(target):
                idx = int(k)
            else:
                hint = suggest(k, [i for i in ids if i])
                raise ScenarioError([Problem("--set", 0, where, f"no such item{hint}")])
            if last:
                target[idx] = value
                return doc
            target, loc = target[idx], loc.child(idx) or Loc(origin, 0)
        else:
            raise ScenarioError([Problem("--set", 0, where, "cannot go inside a plain value")])
    return doc


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
            key = item_key(node[k]) if k < len(node) else None
            parts.append(key or str(k))
            node = node[k] if k < len(node) else None
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


def validate_document(doc: Document) -> Scenario:
    """Validate merged data into a Scenario; every problem is collected and raised together."""
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc_path = tuple(err["loc"])
            message, loc_path = describe_error(err, loc_path, doc.data)
            file, line = line_of(doc, loc_path)
            problems.append(Problem(file, line, path_text(doc.data, loc_path), message))
        raise ScenarioError(_unique(problems)) from None
    problems = []
    for loc_path, message in cross_check(scenario):
        file, line = line_of(doc, loc_path)
        problems.append(Problem(file, line, path_text(doc.data, loc_path), message))
    if problems:
        raise ScenarioError(_unique(problems))
    return scenario


def _unique(problems: list[Problem]) -> list[Problem]:
    """Problems without exact repeats, in their first order."""
    return list(dict.fromkeys(problems))


def load_document(path: str | Path, overrides: tuple[str, ...] = ()) -> Document:
    """The merged document of a scenario file: extends resolved and overrides applied."""
    doc = resolve(Path(path))
    for assignment in overrides:
        doc = apply_set(doc, assignment)
    return doc


def load_scenario(path: str | Path, overrides: tuple[str, ...] | list[str] = ()) -> Scenario:
    """Read, merge, override and validate a scenario file; raises ScenarioError with every problem."""
    return validate_document(load_document(path, tuple(overrides)))


def scenario_to_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML (extends and overrides applied, defaults filled in)."""
    return yaml.safe_dump(
        _plain(scenario.model_dump(by_alias=True, exclude_none=True)),
        sort_keys=False,
        allow_unicode=True,
    )


def _plain(data: Any) -> Any:
    """Tuples to lists, so that safe_dump writes plain YAML that load_scenario reads back."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    return data


def json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario format, for editors that complete and check YAML."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "brisim scenario"
    schema.setdefault("properties", {})["extends"] = {
        "type": "string",
        "description": "a base scenario file this one overrides",
    }
    return schema
