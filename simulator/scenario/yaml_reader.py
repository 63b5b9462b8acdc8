"""YAML text to plain data with the line of every value; plain YAML only, every problem located.

Only the safe loader is used, and before anything is built the composed nodes are checked: tags
that build objects, impossible dates, repeated keys and aliases that loop are refused with a line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from simulator.errors import Problem, ScenarioError
from simulator.scenario.tree import Document, Loc

PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
}
"""YAML types a scenario may hold; others (python objects, binary, sets) are refused."""
MAX_VALUES = 20_000
"""More values than this (anchors and aliases can multiply them) is not a scenario file."""
MAX_DEPTH = 40
"""Deeper nesting than this is not a scenario (which nests about six deep)."""
MAX_BYTES = 1_000_000
"""A scenario file is a few tens of kB; one bigger than this is refused before it is parsed."""


class LOADER(yaml.SafeLoader):
    """The pure-Python safe loader (libyaml's crashes the process on deep nesting) that stops
    composing at MAX_VALUES nodes or MAX_DEPTH levels, at the line where the limit is passed,
    so that a huge or deeply nested file costs no more than a scenario to refuse."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.composed = 0
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, counting it and the nesting it sits in."""
        self.composed += 1
        self.depth += 1
        try:
            if self.composed > MAX_VALUES or self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                what = f"values nested more than {MAX_DEPTH} deep"
                if self.composed > MAX_VALUES:
                    what = f"more than {MAX_VALUES} values"
                raise LimitError(mark.line + 1, f"{what}; expected a plain scenario")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class LimitError(Exception):
    """A size limit passed while composing, at a line."""

    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.why = why


TOP = "expected a mapping of keys (name, start_date, nodes, ...)"


def read_document(path: Path) -> Document:
    """Read one YAML file into data plus locations; any problem raises ScenarioError."""
    name = str(path)
    node, data = parse(_read_text(path), name)
    if node is None or data is None:
        raise ScenarioError([Problem(name, 1, "", f"the file is empty; {TOP}")])
    if not isinstance(data, dict):
        line = node.start_mark.line + 1
        raise ScenarioError([Problem(name, line, "", f"got {_kind(data)} at the top; {TOP}")])
    return Document(data, _locate(node, name))


def parse(text: str, name: str) -> tuple[yaml.Node | None, Any]:
    """The composed root node and the data built from it, after the node checks."""
    loader = None
    try:
        loader = LOADER(text)
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(loader, node, name)
        return node, loader.construct_document(node)
    except LimitError as exc:
        raise ScenarioError([Problem(name, exc.line, "", exc.why)]) from None
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([_yaml_problem(exc, name)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        why = f"the character #x{exc.character:04x} is not allowed; expected printable text"
        raise ScenarioError([Problem(name, line, "", why)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, 0, "", f"cannot read YAML ({exc})")]) from None
    except RecursionError:
        why = f"values nested more than {MAX_DEPTH} deep; expected a plain scenario"
        raise ScenarioError([Problem(name, 0, "", why)]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _read_text(path: Path) -> str:
    """The file's text, or a problem that says plainly why there is none (and so no line)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # never more, whatever the file's size
        if len(data) > MAX_BYTES:
            size = max(path.stat().st_size, len(data)) / 1e6
            why = (
                f"the file is {size:.1f} MB; expected a scenario of at most "
                f"{MAX_BYTES / 1e6:g} MB (scenarios are a few tens of kB)"
            )
            raise ScenarioError([Problem(str(path), 0, "", why)])
        return data.decode("utf-8")
    except FileNotFoundError:
        why = "file not found; expected the path of an existing scenario file"
    except IsADirectoryError:
        why = "this is a folder; expected a scenario file"
    except UnicodeDecodeError:
        why = "the file is not UTF-8 text; expected a YAML text file"
    except OSError as exc:
        why = f"cannot read the file ({exc.strerror or exc}); expected a readable scenario file"
    raise ScenarioError([Problem(str(path), 0, "", why)])


def _yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    """A YAML parser error as a problem at its line."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    what = exc.problem or "invalid YAML"
    context = exc.context or ""
    if "single document" in context or "another document" in what:
        why = "a second YAML document starts here (after ---); expected one scenario per file"
        return Problem(name, line, "", why)
    if "quoted scalar" in context and exc.context_mark is not None:
        why = "a quote opened here is never closed; expected a closing quote on this line"
        return Problem(name, exc.context_mark.line + 1, "", why)
    hint = "expected valid YAML (check indentation, colons and brackets here and just above)"
    return Problem(name, line, "", f"YAML syntax error: {what}; {hint}")


def _check_nodes(loader: Any, root: yaml.Node, name: str) -> None:
    """Refuse tags that build objects, bad scalars, repeated keys and aliases that loop."""
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, tuple[str, ...], frozenset[int]]] = [(root, (), frozenset())]
    count = 0
    while stack:
        node, path, above = stack.pop()
        line = node.start_mark.line + 1
        where = ".".join(path)
        count += 1
        if count > MAX_VALUES or len(above) > MAX_DEPTH:
            what = f"more than {MAX_VALUES} values (aliases multiply them)"
            if count <= MAX_VALUES:
                what = f"values nested more than {MAX_DEPTH} deep"
            why = f"{what}; expected a plain scenario"
            raise ScenarioError([Problem(name, line, where, why)])
        if id(node) in above:
            why = "an alias refers to a value that contains it; expected data without loops"
            raise ScenarioError([Problem(name, line, where, why)])
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            why = f"the tag {tag} is refused; expected plain YAML (text, numbers, dates, lists, mappings)"
            problems.append(Problem(name, line, where, why))
        elif isinstance(node, yaml.ScalarNode):
            problems.extend(_check_scalar(loader, node, name, where))
        elif isinstance(node, yaml.SequenceNode):
            inside = above | {id(node)}
            stack.extend(
                (item, (*path, _item_name(item, n)), inside) for n, item in enumerate(node.value)
            )
        else:
            inside = above | {id(node)}
            problems.extend(_check_keys(node, name, path))
            for key, value in node.value:
                key_text = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                stack.extend([(key, path, inside), (value, (*path, key_text), inside)])
    if problems:
        raise ScenarioError(problems)


def _check_scalar(loader: Any, node: yaml.ScalarNode, name: str, where: str) -> list[Problem]:
    """A scalar that YAML cannot turn into its type (such as the date 2022-13-01) as a problem."""
    construct = loader.yaml_constructors.get(node.tag)
    try:
        if construct is not None:
            construct(loader, node)
    except (ValueError, TypeError, OverflowError):
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "timestamp":
            why = f"got {node.value}, which is not a real date; expected a date like 2022-01-01"
        else:
            why = f"got {node.value!r}, which YAML cannot read as {kind}; expected a plain {kind}"
        return [Problem(name, node.start_mark.line + 1, where, why)]
    return []


def _check_keys(node: yaml.MappingNode, name: str, path: tuple[str, ...]) -> list[Problem]:
    """Keys that are not plain names, or that appear twice in one mapping, as problems."""
    problems = []
    seen: dict[str, int] = {}
    for key, _ in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode):
            why = "got a list or mapping as a key; expected a plain name"
            problems.append(Problem(name, line, ".".join(path), why))
        elif key.tag.endswith(":merge"):
            continue
        elif key.value in seen:
            why = f"key repeated (first on line {seen[key.value]}); expected each key once"
            problems.append(Problem(name, line, ".".join((*path, key.value)), why))
        else:
            seen[key.value] = line
    return problems


def _item_name(node: yaml.Node, index: int) -> str:
    """A list item's name in a key path: its id (or from-to for a section), else its index."""
    if isinstance(node, yaml.MappingNode):
        keys = {k.value: v.value for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if isinstance(keys.get("id"), str):
            return keys["id"]
        if isinstance(keys.get("from"), str) and isinstance(keys.get("to"), str):
            return f"{keys['from']}-{keys['to']}"
    return str(index)


def _kind(value: Any) -> str:
    """'a list', 'text', ... for messages about the top of a file or the value of a key."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return "nothing" if value is None else "a single value"


def _locate(node: yaml.Node, file: str) -> Loc:
    """The location tree of a composed node; a key's value sits on the key's line."""
    if isinstance(node, yaml.MappingNode):
        kids: dict[Any, Loc] = {}
        for key_node, value_node in node.value:
            child = _locate(value_node, file)
            child.line = key_node.start_mark.line + 1
            kids[_key_value(key_node)] = child
        return Loc(file, node.start_mark.line + 1, kids)
    if isinstance(node, yaml.SequenceNode):
        return Loc(file, node.start_mark.line + 1, [_locate(item, file) for item in node.value])
    return Loc(file, node.start_mark.line + 1)


def _key_value(key_node: yaml.Node) -> Any:
    """A mapping key as the built data has it (e.g. the number 1 for `1:`)."""
    if key_node.tag.endswith(":str"):
        return key_node.value
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(key_node)
    except (yaml.YAMLError, ValueError, TypeError):
        return key_node.value
    finally:
        loader.dispose()


def parse_value(raw: str, origin: str, where: str) -> Any:
    """A `--set` value read as YAML (so 4_000_000 is a number); plain text if it is not YAML."""
    if not raw.strip():
        return ""
    try:
        return parse(raw, origin)[1]
    except ScenarioError as exc:
        if any("YAML syntax error" in p.message for p in exc.problems):
            return raw
        raise ScenarioError([Problem(origin, 0, where, p.message) for p in exc.problems]) from None
