"""The run directory, written whole to a temporary sibling and renamed into place.

Layout (every file and column: docs/reference/outputs.md): scenario.yaml, manifest.json,
one CSV per report table, report.md, and records/ with every replication's tables and the
train-by-train records of the replications asked for (by default the first).
A run directory is never seen half-written: an interrupted write leaves the old one (or none).
run_reader.py reads it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from simulator.errors import OutputError
from simulator.experiment.outcomes import RECORDS_CHOICES, ReplicationOutcome, outcome, records_kept
from simulator.output.locks import claim_target, partial_prefix, remove_debris
from simulator.output.record_files import write_meta, write_records
from simulator.output.table_files import write_replication_tables
from simulator.records.results import RunResult
from simulator.report.build import Report, assemble_report
from simulator.report.summary import report_context, report_markdown
from simulator.scenario.loading import scenario_to_yaml
from simulator.scenario.model import Scenario
from simulator.version import __version__

__all__ = [
    "RECORDS_CHOICES",
    "check_target",
    "claim_target",
    "write_outcomes",
    "write_run",
    "write_tables",
]

SCENARIO_FILE = "scenario.yaml"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.md"
RECORDS_DIR = "records"
FORMAT_VERSION = 3
LIBRARIES = ("numpy", "simpy", "pydantic", "networkx", "PyYAML", "tqdm", "matplotlib", "pyarrow")

Extras = Callable[[Path, Report], None]
"""Writes more files (charts, HTML) into the temporary directory before it is renamed."""


def check_target(directory: str | Path, overwrite: bool) -> None:
    """Raise OutputError unless a run may be written to `directory` (checked before running)."""
    path = Path(directory)
    if not path.exists():
        return
    if not path.is_dir():
        raise OutputError(f"{path} exists and is a file, not a run directory; choose another --out")
    if not overwrite:
        raise OutputError(
            f"{path} already exists; add --overwrite to replace it, or choose another --out"
        )
    if any(path.iterdir()) and not (path / MANIFEST_FILE).is_file():
        raise OutputError(
            f"{path} is not a brisim run directory (it has no {MANIFEST_FILE}); "
            "refusing to replace it even with --overwrite"
        )


def write_run(
    directory: str | Path,
    scenario: Scenario,
    runs: Sequence[RunResult],
    *,
    overwrite: bool = False,
    wall_seconds: float | None = None,
    extras: Extras | None = None,
    records: str = "first",
) -> Report:
    """Write a complete run directory atomically and return the report it holds.

    `records` (one of RECORDS_CHOICES) says which replications keep their train-by-train
    records; every replication keeps its tables. Record times are stored to the second and the
    report is built from the records as stored, so `rebuild_report` gives identical tables.
    """
    kept = records_kept([run.replication for run in runs], records)
    outcomes = [outcome(run, scenario.horizon_years, run.replication in kept) for run in runs]
    return write_outcomes(
        directory,
        scenario,
        outcomes,
        overwrite=overwrite,
        wall_seconds=wall_seconds,
        extras=extras,
    )


def write_outcomes(
    directory: str | Path,
    scenario: Scenario,
    outcomes: Sequence[ReplicationOutcome],
    *,
    overwrite: bool = False,
    wall_seconds: float | None = None,
    extras: Extras | None = None,
) -> Report:
    """`write_run` for replications already reduced to their tables (see `run_outcomes`)."""
    if not outcomes:
        raise ValueError("a run directory needs at least one replication")
    target = Path(directory)
    check_target(target, overwrite)
    report = assemble_report(scenario, [o.tables for o in outcomes])
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_debris(target)
    partial = Path(tempfile.mkdtemp(prefix=partial_prefix(target), dir=target.parent))
    try:
        partial.chmod(0o755)
        _write_contents(partial, scenario, outcomes, report, wall_seconds)
        if extras is not None:
            extras(partial, report)
        _publish(partial, target, overwrite)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return report


def _publish(partial: Path, target: Path, overwrite: bool) -> None:
    """Rename the finished directory into place; an old one is removed only after that."""
    check_target(target, overwrite)
    old = target.parent / f".{target.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    moved = False
    try:
        if target.exists():
            os.rename(target, old)
            moved = True
        os.rename(partial, target)
    except BaseException:
        if moved and not target.exists():
            os.rename(old, target)
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)


def _write_contents(
    directory: Path,
    scenario: Scenario,
    outcomes: Sequence[ReplicationOutcome],
    report: Report,
    wall_seconds: float | None,
) -> None:
    text = scenario_to_yaml(scenario)
    (directory / SCENARIO_FILE).write_text(text, encoding="utf-8")
    records = directory / RECORDS_DIR
    records.mkdir()
    for done in outcomes:
        write_replication_tables(records, done.tables)
        if done.record_files:  # written while it ran, beside the run directory
            for path in done.record_files:
                shutil.move(path, records / Path(path).name)
            write_meta(records, done.records)
        elif done.records is not None:
            write_records(records, done.records)
    write_tables(directory, report, scenario)
    manifest = _manifest(scenario, outcomes, scenario_sha256(text), wall_seconds)
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def scenario_sha256(text: str) -> str:
    """SHA-256 of a scenario file's text, as the manifest records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _manifest(
    scenario: Scenario,
    runs: Sequence[ReplicationOutcome],
    sha: str,
    wall_seconds: float | None,
) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "tool": "brisim",
        "version": __version__,
        "python": platform.python_version(),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scenario": scenario.name,
        "scenario_sha256": sha,
        "seed": scenario.seed,
        "replications": len(runs),
        "replication_numbers": [run.replication for run in runs],
        "records_kept": [run.replication for run in runs if run.records is not None],
        "horizon_years": scenario.horizon_years,
        "warmup_days": scenario.warmup_days,
        "wall_seconds": round(wall_seconds if wall_seconds is not None else 0.0, 3),
        "runs": [
            {
                "replication": run.replication,
                "trains": run.trains,
                "events": run.events,
                "wall_seconds": round(run.wall_seconds, 3),
            }
            for run in runs
        ],
        "conservation": [_conservation(run) for run in runs],
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _conservation(run: ReplicationOutcome) -> dict[str, Any]:
    b = run.balances
    return {
        "replication": run.replication,
        "released_tonnes": sum(x.released_tonnes for x in b),
        "delivered_tonnes": sum(x.delivered_tonnes for x in b),
        "in_system_tonnes": sum(x.on_trains_tonnes + x.waiting_tonnes for x in b),
        "released_teu": sum(x.released_teu for x in b),
        "delivered_teu": sum(x.delivered_teu for x in b),
        "in_system_teu": sum(x.on_trains_teu + x.waiting_teu for x in b),
        "passed": run.conserved,
    }


def write_tables(directory: Path, report: Report, scenario: Scenario) -> list[Path]:
    """Each report table as `<name>.csv`, and report.md; every file replaced atomically."""
    written = []
    for name, table in report.tables().items():
        written.append(_replace_file(directory / f"{name}.csv", table.to_csv_text()))
    markdown = report_markdown(report, report_context(scenario))
    written.append(_replace_file(directory / REPORT_FILE, markdown))
    return written


def _replace_file(path: Path, text: str) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
