"""The run directory: written whole to a temporary sibling and renamed into place, and read back.

Layout (every file and column: docs/reference/outputs.md): scenario.yaml, manifest.json,
one CSV per report table, report.md, and records/ with every replication's tables and the
train-by-train records of the replications asked for (by default the first).
A run directory is never seen half-written: an interrupted write leaves the old one (or none).
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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.errors import OutputError
from simulator.model import Scenario
from simulator.outcomes import RECORDS_CHOICES, ReplicationOutcome, outcome, records_kept
from simulator.record_files import read_records, write_records
from simulator.records import RunResult
from simulator.replication_files import read_replication_tables, write_replication_tables
from simulator.replication_tables import ReplicationTables, replication_tables
from simulator.report import Report, assemble_report
from simulator.scenario import load_scenario, scenario_to_yaml
from simulator.summary import report_markdown

__all__ = [
    "RECORDS_CHOICES",
    "SavedRun",
    "check_target",
    "load_report",
    "read_run",
    "rebuild_report",
    "write_outcomes",
    "write_run",
    "write_tables",
]

SCENARIO_FILE = "scenario.yaml"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.md"
RECORDS_DIR = "records"
FORMAT_VERSION = 2
LIBRARIES = ("numpy", "simpy", "pydantic", "networkx", "PyYAML", "tqdm", "matplotlib", "pyarrow")

Extras = Callable[[Path, Report], None]
"""Writes more files (charts, HTML) into the temporary directory before it is renamed."""


@dataclass(frozen=True)
class SavedRun:
    """A run directory read back: the resolved scenario, its records, the manifest.

    `runs` holds the replications whose train-by-train records were kept (see `write_run`);
    `tables` the saved tables of the others, so `report()` covers every replication.
    """

    directory: Path
    scenario: Scenario
    runs: tuple[RunResult, ...]
    manifest: dict[str, Any]
    tables: tuple[ReplicationTables, ...] = ()

    def report(self) -> Report:
        """Every table, recomputed from the records where kept, else from the saved tables."""
        horizon = self.scenario.horizon_years
        parts = [replication_tables(run, horizon) for run in self.runs] + list(self.tables)
        parts.sort(key=lambda p: self.manifest["replication_numbers"].index(p.replication))
        return assemble_report(self.scenario, parts)


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
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
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
    old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
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
        if done.records is not None:
            write_records(records, done.records)
    write_tables(directory, report, scenario)
    manifest = _manifest(scenario, outcomes, _sha256(text), wall_seconds)
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _sha256(text: str) -> str:
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
    context = {
        "description": scenario.description,
        "start_date": scenario.start_date.isoformat(),
        "horizon_years": scenario.horizon_years,
        "warmup_days": scenario.warmup_days,
        "seed": scenario.seed,
    }
    written.append(_replace_file(directory / REPORT_FILE, report_markdown(report, context)))
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


def read_run(directory: str | Path) -> SavedRun:
    """The scenario and records of a run directory; OutputError if it is missing or damaged."""
    path, manifest, scenario = _open_run(directory)
    runs, tables = [], []
    for rep, kept in _replications(manifest):
        saved = _read_replication(path, rep, kept)
        (runs if kept else tables).append(saved)
    return SavedRun(path, scenario, tuple(runs), manifest, tuple(tables))


def load_report(directory: str | Path) -> tuple[Report, Scenario]:
    """Every table of a run directory, as `read_run(directory).report()` gives it, reading and
    reducing one replication at a time so that memory holds one replication's records at most.
    """
    path, manifest, scenario = _open_run(directory)
    parts = []
    for rep, kept in _replications(manifest):
        saved = _read_replication(path, rep, kept)
        if isinstance(saved, RunResult):
            saved = replication_tables(saved, scenario.horizon_years)
        parts.append(saved)
    return assemble_report(scenario, parts), scenario


def rebuild_report(directory: str | Path) -> Report:
    """Rebuild every table and report.md of a run directory from its records (no simulation)."""
    report, scenario = load_report(directory)
    write_tables(Path(directory), report, scenario)
    return report


def _open_run(directory: str | Path) -> tuple[Path, dict[str, Any], Scenario]:
    """The path, manifest and scenario of a run directory, checked; OutputError otherwise."""
    path = Path(directory)
    manifest_path = path / MANIFEST_FILE
    if not path.is_dir():
        raise OutputError(f"{path}: no such run directory")
    if not manifest_path.is_file():
        raise OutputError(f"{path} is not a brisim run directory: {MANIFEST_FILE} is missing")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        sha = _sha256((path / SCENARIO_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"{path}: cannot read the run directory: {exc}") from None
    if sha != manifest.get("scenario_sha256"):
        raise OutputError(
            f"{path / SCENARIO_FILE} differs from the scenario that was run (its SHA-256 does "
            f"not match {MANIFEST_FILE}); run the scenario again instead of editing it here"
        )
    if manifest.get("format") != FORMAT_VERSION:
        raise OutputError(
            f"{manifest_path}: written by brisim {manifest.get('version', '?')} in run directory "
            f"format {manifest.get('format', '?')}; this brisim reads format {FORMAT_VERSION}, "
            "so run the scenario again"
        )
    if not manifest.get("replication_numbers"):
        raise OutputError(f"{manifest_path}: lists no replications")
    return path, manifest, load_scenario(path / SCENARIO_FILE)


def _replications(manifest: dict[str, Any]) -> list[tuple[int, bool]]:
    """(replication, whether its records were kept) in the manifest's order."""
    numbers = [int(rep) for rep in manifest["replication_numbers"]]
    kept = {int(rep) for rep in manifest.get("records_kept", numbers)}
    return [(rep, rep in kept) for rep in numbers]


def _read_replication(path: Path, rep: int, kept: bool) -> RunResult | ReplicationTables:
    """A replication's records where kept, else its saved tables; OutputError if unreadable."""
    records = path / RECORDS_DIR
    try:
        return read_records(records, rep) if kept else read_replication_tables(records, rep)
    except (OSError, EOFError, KeyError, ValueError, TypeError) as exc:
        raise OutputError(
            f"{records}: the records of replication {rep} are missing or damaged ({exc})"
        ) from None
