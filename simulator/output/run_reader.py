"""A run directory read back: its scenario, records and saved tables, and the report again.

Every replication's tables are recomputed from its train-by-train records where they were kept,
and read from its saved tables otherwise; either way the report is the one the run wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import OutputError
from simulator.output.manifest import check_manifest
from simulator.output.record_files import read_records
from simulator.output.run_writer import (
    FORMAT_VERSION,
    MANIFEST_FILE,
    RECORDS_DIR,
    SCENARIO_FILE,
    scenario_sha256,
    write_tables,
)
from simulator.output.table_files import read_replication_tables
from simulator.records.results import RunResult
from simulator.report.build import Report, assemble_report
from simulator.report.replication_tables import ReplicationTables, replication_tables
from simulator.scenario.loading import load_scenario
from simulator.scenario.model import Scenario


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
        sha = scenario_sha256((path / SCENARIO_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise OutputError(f"{path}: cannot read the run directory: {exc}") from None
    old = manifest.get("format") if isinstance(manifest, dict) else None
    if isinstance(old, int) and not isinstance(old, bool) and old != FORMAT_VERSION:
        raise OutputError(
            f"{manifest_path}: written by brisim {manifest.get('version', '?')} in run directory "
            f"format {manifest.get('format', '?')}; this brisim reads format {FORMAT_VERSION}, "
            "so run the scenario again"
        )
    manifest = check_manifest(manifest, manifest_path)
    if sha != manifest.get("scenario_sha256"):
        raise OutputError(
            f"{path / SCENARIO_FILE} differs from the scenario that was run (its SHA-256 does "
            f"not match {MANIFEST_FILE}); run the scenario again instead of editing it here"
        )
    return path, manifest, load_scenario(path / SCENARIO_FILE)


def _replications(manifest: dict[str, Any]) -> list[tuple[int, bool]]:
    """(replication, whether its records were kept) in the manifest's order."""
    numbers = list(manifest["replication_numbers"])
    kept = set(manifest.get("records_kept", numbers))
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
