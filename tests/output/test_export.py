"""The run directory: complete files, exact read-back, atomic writes, refusals and damage."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from simulator.errors import OutputError
from simulator.output.record_files import LOTS_FILE, META_FILE, VISITS_FILE
from simulator.output.run_reader import read_run, rebuild_report
from simulator.output.run_writer import write_run
from simulator.output.table_files import TABLES_FILE, read_replication_tables
from simulator.records.stored import compact
from simulator.report.build import REPORT_TABLES
from simulator.report.replication_tables import replication_tables
from simulator.report.tables import Table
from simulator.scenario.loading import load_scenario
from tests.toy_runs import exact, toy_run

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(TUTORIAL, ["seed=7", "flows.xian-europe.teu_per_year=300_000"])


@pytest.fixture
def written(tmp_path, scenario):
    runs = [toy_run(0), toy_run(1)]
    report = write_run(tmp_path / "run", scenario, runs, wall_seconds=1.5, records="all")
    return tmp_path / "run", runs, report


def record_files(*replications: int) -> list[str]:
    """Names of the train-by-train record files of these replications."""
    names = (VISITS_FILE, LOTS_FILE, META_FILE)
    return [name.format(rep) for rep in replications for name in names]


def table_files(*replications: int) -> list[str]:
    return [TABLES_FILE.format(rep) for rep in replications]


def outputs(directory: Path) -> dict[str, bytes]:
    """Every table CSV and report.md of a run directory."""
    files = {p.name: p.read_bytes() for p in directory.glob("*.csv")}
    files["report.md"] = (directory / "report.md").read_bytes()
    return files


def rebuilt(directory: Path) -> dict[str, bytes]:
    """The tables and report.md after deleting them and running rebuild_report."""
    for p in directory.glob("*.csv"):
        p.unlink()
    (directory / "report.md").unlink()
    rebuild_report(directory)
    return outputs(directory)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_every_file_is_written(written):
    directory, _, report = written
    for name in REPORT_TABLES:
        table = Table.from_csv(directory / f"{name}.csv")
        assert table.columns == report.tables()[name].columns
        assert len(table) == len(report.tables()[name])
    for name in ("scenario.yaml", "manifest.json", "report.md"):
        assert (directory / name).is_file()
    records = sorted(p.name for p in (directory / "records").iterdir())
    assert records == sorted(record_files(0, 1) + table_files(0, 1))
    assert leftovers(directory.parent) == []


def test_yearly_csv_is_tidy_with_the_documented_columns(written):
    yearly = Table.from_csv(written[0] / "yearly.csv")
    assert yearly.columns == (
        "replication",
        "year",
        "kind",
        "name",
        "direction",
        "tonnes",
        "teu",
        "trains",
    )
    kinds = {"border", "border_held", "node", "section", "flow", "total"}
    assert set(yearly.column("kind")) == kinds
    assert yearly.where(kind="border", year=2023, direction="both", replication=1).column(
        "tonnes"
    ) == [4000]


def test_scenario_yaml_reads_back_to_an_equal_scenario(written, scenario):
    directory = written[0]
    assert load_scenario(directory / "scenario.yaml") == scenario


def test_manifest_records_versions_seed_hash_and_conservation(written, scenario):
    directory = written[0]
    manifest = json.loads((directory / "manifest.json").read_text())
    text = (directory / "scenario.yaml").read_bytes()
    assert manifest["scenario_sha256"] == hashlib.sha256(text).hexdigest()
    assert manifest["seed"] == 7 and manifest["replications"] == 2
    assert manifest["wall_seconds"] == 1.5
    assert manifest["libraries"]["numpy"] == np.__version__
    assert [c["replication"] for c in manifest["conservation"]] == [0, 1]
    first = manifest["conservation"][0]
    assert first["passed"] is True
    assert first["released_tonnes"] == 632.0
    assert first["delivered_tonnes"] + first["in_system_tonnes"] == 632.0


def test_records_read_back_exactly(written, scenario):
    directory, runs, _ = written
    saved = read_run(directory)
    assert saved.scenario == scenario
    for original, back in zip(runs, saved.runs, strict=True):
        stored = compact(original)
        for name in ("visits", "lots", "released", "backlog"):
            a, b = getattr(stored, name), getattr(back, name)
            assert a.keys() == b.keys()
            for key in a:
                assert a[key].dtype == b[key].dtype, (name, key)
                np.testing.assert_array_equal(a[key], b[key])
        for name in ("resources", "capacity", "balances", "markers", "nodes", "flows"):
            assert getattr(stored, name) == getattr(back, name)
        assert (back.start_date, back.horizon_hours, back.replication) == (
            stored.start_date,
            stored.horizon_hours,
            stored.replication,
        )


def test_a_run_without_trains_or_deliveries_is_stored_too(tmp_path, scenario):
    write_run(tmp_path / "empty", scenario, [toy_run(visits=[], lots=[])])
    back = read_run(tmp_path / "empty").runs[0]
    assert len(back.visits["end_h"]) == 0 and len(back.lots["flow"]) == 0


def test_records_are_grouped_by_train_in_the_order_of_its_visits(written):
    visits = read_run(written[0]).runs[0].visits
    assert list(visits["train"]) == [1, 1, 1, 1, 2, 2, 3, 3]
    assert list(visits["end_h"][:4]) == [60.0, 107.0, 107.0, 115.0]


def test_compact_rounds_record_times_to_the_second():
    visits = [(0, 1, 3, 1, 0, 1.00001, 2.0, 3.123456789, 0.5, 1.0, 10.0)]
    stored = compact(toy_run(visits=visits))
    assert stored.visits["arrive_h"][0] == 1.0
    assert stored.visits["end_h"][0] == round(3.123456789 * 3600) / 3600
    assert compact(stored).visits["end_h"][0] == stored.visits["end_h"][0]


def test_rebuild_gives_identical_tables(written):
    directory = written[0]
    before = outputs(directory)
    assert rebuilt(directory) == before


def test_rebuild_recomputes_from_the_records_where_they_were_kept(written):
    directory = written[0]
    before = outputs(directory)
    for name in table_files(0, 1):
        (directory / "records" / name).unlink()  # only the records are left to rebuild from
    assert rebuilt(directory) == before


def test_by_default_only_the_first_replication_keeps_its_records(tmp_path, scenario):
    runs = [toy_run(0), toy_run(1), toy_run(2)]
    report = write_run(tmp_path / "run", scenario, runs)
    records = sorted(p.name for p in (tmp_path / "run" / "records").iterdir())
    assert records == sorted(record_files(0) + table_files(0, 1, 2))
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["records_kept"] == [0]
    saved = read_run(tmp_path / "run")
    assert [run.replication for run in saved.runs] == [0]
    assert [t.replication for t in saved.tables] == [1, 2]
    again = saved.report()
    for name, table in report.tables().items():
        assert again.tables()[name].to_csv_text() == table.to_csv_text(), name
    assert again.replications == 3


def test_without_records_the_saved_tables_rebuild_the_same_report(tmp_path, scenario):
    directory = tmp_path / "run"
    write_run(directory, scenario, [toy_run(0), toy_run(1)], records="none")
    assert sorted(p.name for p in (directory / "records").iterdir()) == table_files(0, 1)
    assert read_run(directory).runs == ()
    before = outputs(directory)
    assert rebuilt(directory) == before


def test_saved_tables_read_back_exactly(tmp_path, scenario):
    directory = tmp_path / "run"
    write_run(directory, scenario, [toy_run(3)], records="none")
    part = replication_tables(compact(toy_run(3)), scenario.horizon_years)
    back = read_replication_tables(directory / "records", 3)
    assert exact(back) == exact(part)  # NaN cells compare equal, types and digits too
    again = directory.parent / "again"
    write_run(again, scenario, [toy_run(3)], records="none")
    name = TABLES_FILE.format(3)
    assert (again / "records" / name).read_bytes() == (directory / "records" / name).read_bytes()


def test_an_unknown_records_choice_is_refused(tmp_path, scenario):
    with pytest.raises(ValueError, match="records must be one of first, all, none"):
        write_run(tmp_path / "run", scenario, [toy_run()], records="some")
    assert not (tmp_path / "run").exists()


def test_damaged_saved_tables_say_which_replication(tmp_path, scenario):
    directory = tmp_path / "run"
    write_run(directory, scenario, [toy_run(0), toy_run(1)], records="first")
    path = directory / "records" / TABLES_FILE.format(1)
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(OutputError, match="records of replication 1 are missing or damaged"):
        read_run(directory)
    path.unlink()
    with pytest.raises(OutputError, match="records of replication 1 are missing or damaged"):
        read_run(directory)


def test_a_run_directory_of_another_format_asks_for_a_new_run(written):
    directory = written[0]
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["format"] = 1
    (directory / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(OutputError, match="format 1; this brisim reads format 3"):
        read_run(directory)


def test_existing_directory_is_refused_without_overwrite(written, scenario):
    directory = written[0]
    before = (directory / "manifest.json").read_text()
    with pytest.raises(OutputError, match="already exists; add --overwrite"):
        write_run(directory, scenario, [toy_run(5)])
    assert (directory / "manifest.json").read_text() == before


def test_overwrite_replaces_the_directory_and_leaves_nothing_behind(written, scenario):
    directory = written[0]
    write_run(directory, scenario, [toy_run(5)], overwrite=True)
    assert json.loads((directory / "manifest.json").read_text())["replication_numbers"] == [5]
    assert not (directory / "records" / VISITS_FILE.format(0)).exists()
    assert leftovers(directory.parent) == []


def test_interrupted_write_leaves_no_directory(tmp_path, scenario):
    def interrupt(directory: Path, report) -> None:
        assert (directory / "yearly.csv").is_file()  # written, but not yet in place
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_run(tmp_path / "run", scenario, [toy_run()], extras=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_overwrite_keeps_the_old_directory(written, scenario):
    directory = written[0]
    before = {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}

    def interrupt(directory: Path, report) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_run(directory, scenario, [toy_run(9)], overwrite=True, extras=interrupt)
    after = {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}
    assert after == before
    assert leftovers(directory.parent) == []


def test_a_directory_that_is_not_a_run_is_never_replaced(tmp_path, scenario):
    other = tmp_path / "notes"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="not a brisim run directory"):
        write_run(other, scenario, [toy_run()], overwrite=True)
    assert (other / "thesis.tex").read_text() == "precious"


def test_reading_a_missing_or_damaged_run_says_what_is_wrong(written, tmp_path):
    with pytest.raises(OutputError, match="no such run directory"):
        read_run(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(OutputError, match="manifest.json is missing"):
        read_run(tmp_path / "empty")
    directory = written[0]
    visits = directory / "records" / VISITS_FILE.format(1)
    visits.write_bytes(visits.read_bytes()[:100])
    with pytest.raises(OutputError, match="records of replication 1 are missing or damaged"):
        read_run(directory)


def test_an_edited_scenario_is_detected(written):
    directory = written[0]
    path = directory / "scenario.yaml"
    path.write_text(path.read_text().replace("seed: 7", "seed: 8"))
    with pytest.raises(OutputError, match="differs from the scenario that was run"):
        read_run(directory)


def test_scenario_yaml_of_an_extending_scenario_reads_back_equal(tmp_path):
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        f"extends: {TUTORIAL}\n"
        "name: more ore\n"
        "flows:\n"
        "  - id: ore-east\n"
        "    tonnes_per_year: 4_000_000\n"
        "changes:\n"
        "  - date: 2022-07-01\n"
        "    node: dostyk\n"
        "    set: {slots: 4}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(variant, ["warmup_days=30"])
    write_run(tmp_path / "run", scenario, [toy_run()])
    back = load_scenario(tmp_path / "run" / "scenario.yaml")
    assert back == scenario
    assert len(back.changes) == 2 and back.flows[1].tonnes_per_year == 4_000_000
    assert "extends" not in (tmp_path / "run" / "scenario.yaml").read_text()


def test_load_report_reads_each_replication_once_to_the_same_report(written, monkeypatch):
    import simulator.output.run_reader as reader

    directory = written[0]
    expected = read_run(directory).report()
    read = []
    real = reader.read_records

    def reading(records: Path, rep: int):
        read.append(rep)
        return real(records, rep)

    monkeypatch.setattr(reader, "read_records", reading)
    report, scenario = reader.load_report(directory)
    assert read == [0, 1] and scenario == read_run(directory).scenario
    for name, table in expected.tables().items():
        assert report.tables()[name].to_csv_text() == table.to_csv_text(), name
