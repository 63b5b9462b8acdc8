"""A hand-edited manifest gives exit 2 and a message naming the key, never a traceback or a
replication counted twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import main
from simulator.output.run_writer import write_run
from simulator.scenario.loading import load_scenario
from tests.toy_runs import toy_run

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("manifest") / "run"
    scenario = load_scenario(TUTORIAL, ["seed=7", "flows.xian-europe.teu_per_year=300_000"])
    write_run(directory, scenario, [toy_run(0), toy_run(1), toy_run(2)], records="first")
    return directory


def edited(pristine: Path, tmp_path: Path, change: Any) -> Path:
    """A copy of the run whose manifest is edited by `change` (a function or a whole value)."""
    copy = tmp_path / "run"
    copy.mkdir()
    for path in pristine.rglob("*"):
        target = copy / path.relative_to(pristine)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(path.read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest = change(manifest) if callable(change) else change
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def with_key(key: str, value: Any):
    def change(manifest: dict) -> dict:
        return {**manifest, key: value}

    return change


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ([], "manifest.json: got an empty list; expected a mapping of keys"),
        (with_key("replication_numbers", ["zero"]), "replication_numbers: got the text 'zero'"),
        (with_key("replication_numbers", 3), "replication_numbers: got 3; expected a list"),
        (with_key("replication_numbers", []), "replication_numbers: got an empty list"),
        (with_key("records_kept", 0), "records_kept: got 0; expected a list"),
        (with_key("records_kept", [7]), "records_kept: replication 7 is not in"),
        (with_key("replication_numbers", [0, 0, 1, 2]), "replication 0 is listed twice"),
        (with_key("replication_numbers", [0, True]), "got true in the list"),
        (with_key("format", "2"), "format: got the text '2'; expected a whole number"),
        (with_key("scenario_sha256", None), "scenario_sha256: got nothing (null); expected text"),
        (with_key("replications", 5), "replications: got 5, but replication_numbers lists 3"),
    ],
)
def test_an_edited_manifest_is_refused(
    pristine: Path, tmp_path: Path, change: Any, fragment: str, capsys: pytest.CaptureFixture
) -> None:
    copy = edited(pristine, tmp_path, change)
    assert main(["report", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: ")
    assert fragment in err, err


def test_the_pristine_manifest_is_read(pristine: Path, tmp_path: Path) -> None:
    copy = edited(pristine, tmp_path, lambda m: m)
    assert main(["report", str(copy)]) == 0
