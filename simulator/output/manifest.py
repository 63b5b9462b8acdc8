"""The manifest of a run directory checked as strictly as a scenario: its shape, the type of
every key the reader uses, and no replication listed twice, so a hand-edited manifest gives a
clear error instead of a traceback or a replication counted twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.errors import OutputError

REQUIRED: dict[str, tuple[type, ...]] = {
    "format": (int,),
    "scenario_sha256": (str,),
    "replication_numbers": (list,),
}
OPTIONAL: dict[str, tuple[type, ...]] = {
    "tool": (str,),
    "version": (str,),
    "scenario": (str,),
    "seed": (int,),
    "replications": (int,),
    "records_kept": (list,),
    "horizon_years": (int,),
    "warmup_days": (int, float),
    "wall_seconds": (int, float),
    "runs": (list,),
    "conservation": (list,),
    "libraries": (dict,),
}
WORDS = {int: "a whole number", str: "text", list: "a list", dict: "a mapping", float: "a number"}


def check_manifest(manifest: Any, path: Path) -> dict[str, Any]:
    """The manifest if its shape and types are right; OutputError naming the key otherwise."""
    if not isinstance(manifest, dict):
        _fail(path, "", f"got {_kind(manifest)}; expected a mapping of keys (format, ...)")
    for key, types in {**REQUIRED, **OPTIONAL}.items():
        if key not in manifest:
            if key in REQUIRED:
                _fail(path, key, "missing; expected the key a run writes")
            continue
        value = manifest[key]
        if isinstance(value, bool) or not isinstance(value, types):
            _fail(path, key, f"got {_kind(value)}; expected {WORDS[types[0]]}")
    numbers = _replications(manifest["replication_numbers"], path, "replication_numbers")
    if not numbers:
        _fail(path, "replication_numbers", "got an empty list; expected the replications run")
    if "records_kept" in manifest:
        kept = _replications(manifest["records_kept"], path, "records_kept")
        extra = sorted(set(kept) - set(numbers))
        if extra:
            _fail(
                path,
                "records_kept",
                f"replication {extra[0]} is not in replication_numbers; expected some of them",
            )
    if manifest.get("replications", len(numbers)) != len(numbers):
        _fail(
            path,
            "replications",
            f"got {manifest['replications']}, but replication_numbers lists {len(numbers)}; "
            "expected the same count",
        )
    return manifest


def _replications(value: list[Any], path: Path, key: str) -> list[int]:
    """A list of distinct replication numbers (whole numbers from 0), or OutputError."""
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < 0:
            _fail(path, key, f"got {_kind(item)} in the list; expected whole numbers from 0")
    twice = sorted({n for n in value if value.count(n) > 1})
    if twice:
        _fail(path, key, f"replication {twice[0]} is listed twice; expected each once")
    return list(value)


def _kind(value: Any) -> str:
    """A short description of a JSON value for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing (null)" if value is None else repr(value)


def _fail(path: Path, key: str, why: str) -> None:
    where = f"{path}: {key}" if key else str(path)
    raise OutputError(f"{where}: {why} (the manifest was edited or damaged; run again)")
