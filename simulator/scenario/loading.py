"""Scenario files to a validated, frozen `Scenario`: extends, --set, validation, schema.

Reading YAML is in `yaml_reader.py`, merging and locating in `tree.py`, the JSON Schema in
`schema.py`. Every value keeps the file and line it came from (through `extends` and
`--set` too), so that each problem is reported as FILE:LINE: key.path: what is wrong; what was
expected; and all of them at once.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.errors import Problem, ScenarioError
from simulator.scenario.checks import cross_check
from simulator.scenario.message_words import show
from simulator.scenario.model import Scenario
from simulator.scenario.model_paths import is_optional
from simulator.scenario.schema import json_schema
from simulator.scenario.tree import Document, line_of, merge, path_text, set_value
from simulator.scenario.validation_messages import describe_errors, optional_paths
from simulator.scenario.yaml_reader import parse_value, read_document

__all__ = [
    "apply_set",
    "json_schema",
    "load_document",
    "load_scenario",
    "keyword_overrides",
    "resolve",
    "scenario_from",
    "scenario_to_yaml",
    "validate_document",
]


def resolve(path: Path, chain: tuple[Path, ...] = ()) -> Document:
    """Read a file and everything it `extends`, merged base-first; cycles are reported."""
    path = Path(path)
    doc = read_document(path)
    if "extends" not in doc.data:
        return doc
    parent = doc.data.pop("extends")
    where = doc.loc.children.pop("extends", None) if isinstance(doc.loc.children, dict) else None
    line = where.line if where else 0
    parent_path = path.parent / parent if isinstance(parent, str) and parent.strip() else None
    seen = (*chain, path.resolve())
    if parent_path is None:
        why = f"got {show(parent)}; expected the name of a scenario file, e.g. baseline.yaml"
    elif parent_path.is_dir():
        why = f"{parent!r} is a folder; expected a scenario file, named relative to {path.name}"
    elif not parent_path.is_file():
        why = f"file {parent!r} not found; expected a scenario file, named relative to {path.name}"
    elif parent_path.resolve() in seen:
        cycle = " -> ".join(p.name for p in (*seen, parent_path.resolve()))
        why = f"extends goes round in a cycle ({cycle}); expected a chain of files that ends in one without extends"
    else:
        return merge(resolve(parent_path, seen), doc)
    raise ScenarioError([Problem(str(path), line, "extends", why)])


def apply_set(doc: Document, assignment: str) -> Document:
    """Apply one `key.path=value` override (list items addressed by id or index)."""
    origin = f"--set {assignment}"
    dotted, equals, raw = assignment.partition("=")
    keys = [k.strip() for k in dotted.split(".")]
    if not equals or not all(keys):
        what = "no '='" if not equals else "an empty key in the path"
        why = f"{what}; expected key.path=value, e.g. seed=7 or flows.ID.teu_per_year=4_000_000"
        raise ScenarioError([Problem(origin, 0, dotted.strip(), why)])
    return set_value(doc, keys, parse_value(raw, origin, dotted.strip()), origin)


def _non_finite(data: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Key paths of .inf and .nan values, which no quantity in a scenario may take."""
    if isinstance(data, float) and not math.isfinite(data):
        shown = ".nan" if math.isnan(data) else (".inf" if data > 0 else "-.inf")
        return [(path, f"got {shown}; expected a finite number")]
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _non_finite(v, (*path, k))]
    if isinstance(data, list):
        return [p for n, v in enumerate(data) for p in _non_finite(v, (*path, n))]
    return []


def validate_document(doc: Document) -> Scenario:
    """Validate merged data into a Scenario; every problem is collected and raised together."""
    found = _non_finite(doc.data)
    try:
        scenario: Scenario | None = Scenario.model_validate(doc.data)
        errors: list[Any] = []
    except ValidationError as exc:
        scenario, errors = None, exc.errors()
    if scenario is not None and not found:
        found = cross_check(scenario)
    else:
        reported = {path for path, _ in found}
        found += [(p, m) for m, p in describe_errors(errors, doc.data) if p not in reported]
        left_out = optional_paths(errors, doc.data)
        if left_out is not None and all(is_optional(p) for p in reported):
            found += _cross_check_without(doc.data, [*left_out, *reported])
    if found or scenario is None:
        raise ScenarioError(_unique([_problem(doc, path, message) for path, message in found]))
    return scenario


def _cross_check_without(data: Any, left_out: list[tuple]) -> list[tuple[tuple, str]]:
    """Cross-checks of the data without some keys (unknown or bad optional ones).

    So that a misspelt key does not hide a broken route; what concerns a left-out key is skipped.
    """
    trimmed = copy.deepcopy(data)
    for path in left_out:
        parent = trimmed
        for key in path[:-1]:
            parent = parent[key]
        parent.pop(path[-1], None)
    try:
        scenario = Scenario.model_validate(trimmed)
    except ValidationError:
        return []
    return [f for f in cross_check(scenario) if not any(f[0][: len(p)] == p for p in left_out)]


def _problem(doc: Document, loc_path: tuple, message: str) -> Problem:
    """A message at a key path, placed at the file and line that value came from."""
    file, line = line_of(doc, loc_path)
    return Problem(file, line, path_text(doc.data, loc_path), message)


def _unique(problems: list[Problem]) -> list[Problem]:
    """Problems without exact repeats, in their first order."""
    return list(dict.fromkeys(problems))


def load_document(path: str | Path, overrides: tuple[str, ...] = ()) -> Document:
    """The merged document of a scenario file: extends resolved and overrides applied."""
    doc = resolve(Path(path))
    for assignment in overrides:
        doc = apply_set(doc, assignment)
    return doc


def load_scenario(
    path: str | Path, overrides: tuple[str, ...] | list[str] = (), **keywords: Any
) -> Scenario:
    """Read, merge, override and validate a scenario file; raises ScenarioError with every problem.

    `overrides` are `key.path=value` texts as for --set; keywords override top-level keys
    after them, e.g. `load_scenario("scenarios/tutorial.yaml", replications=3, seed=7)`.
    """
    every = (*overrides, *keyword_overrides(**keywords))
    return validate_document(load_document(path, every))


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


def scenario_from(
    source: str | Path | Scenario, overrides: tuple[str, ...] | list[str] = ()
) -> Scenario:
    """A scenario from a file or a Scenario, with `key.path=value` overrides validated as usual."""
    if not isinstance(source, Scenario):
        return load_scenario(source, overrides)
    if not overrides:
        return source
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{source.name}.yaml"
        path.write_text(scenario_to_yaml(source), encoding="utf-8")
        return load_scenario(path, overrides)


def keyword_overrides(**values: Any) -> list[str]:
    """Python keywords as overrides: horizon_years=2 -> 'horizon_years=2' (values as YAML)."""
    return [f"{key}={_yaml_value(value)}" for key, value in values.items()]


def _yaml_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    text = yaml.safe_dump(_plain(value), default_flow_style=True, allow_unicode=True)
    return text.strip().removesuffix("...").strip()
