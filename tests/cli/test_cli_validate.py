"""`brisim validate` and `brisim schema` as a user runs them: output, exit codes, nothing written."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.cli import main

PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<path>[\w.!-]+): .+; .+$")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the command line run in this process."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def files_below(folder: Path) -> set[Path]:
    """Every file below a folder."""
    return {p for p in folder.rglob("*") if p.is_file()}


def test_valid_files_print_ok_each(repo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (repo_root / "scenarios").glob("*.yaml"))
    code, out, err = run(["validate", *files], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"ok: {f}" for f in files]


def test_every_problem_of_every_file_is_printed(
    tutorial_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    text = tutorial_path.read_text().replace("seed: 42", "sede: 42")
    bad.write_text(text.replace("destination: europe", "destination: europa"))
    code, out, err = run(["validate", str(tutorial_path), str(bad)], capsys)
    assert code == 2
    assert out == f"ok: {tutorial_path}\n"
    lines = err.splitlines()
    assert len(lines) == 2
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert match["file"] == str(bad)
    assert "sede: unknown key 'sede'; did you mean 'seed'?" in lines[0]
    assert (
        "flows.xian-europe.destination: unknown node 'europa'; did you mean 'europe'?" in lines[1]
    )


def test_set_applies_to_each_file(tutorial_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", str(tutorial_path), "--set", "seed=4_000_000"], capsys)
    assert (code, out) == (0, f"ok: {tutorial_path}\n")
    code, out, err = run(["validate", str(tutorial_path), "--set", "seed=many"], capsys)
    assert (code, out) == (2, "")
    assert err == "--set seed=many: seed: got the text 'many'; expected a whole number\n"


def test_validate_writes_nothing(
    tutorial_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    shutil.copy(tutorial_path, tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("name: [\n")
    before = files_below(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "good.yaml", "bad.yaml", "missing.yaml"], capsys)[0] == 2
    assert files_below(tmp_path) == before


def test_missing_file_has_no_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    code, _, err = run(["validate", str(missing)], capsys)
    assert code == 2
    assert err == f"{missing}: file not found; expected the path of an existing scenario file\n"


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["validate"])
    assert exited.value.code == 2
    assert "FILE" in capsys.readouterr().err


def test_console_script_validates(tutorial_path: Path) -> None:
    """The `brisim` command installed beside this Python (else `python -m simulator`) works."""
    script = Path(sys.executable).with_name("brisim")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "simulator"]
    result = subprocess.run(
        [*command, "validate", str(tutorial_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, f"ok: {tutorial_path}\n", "")


def test_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["schema"], capsys)
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["title"] == "brisim scenario"
    assert "extends" in schema["else"]["properties"]


def _as_json(data: Any) -> Any:
    """YAML data as an editor's YAML server sees it: dates are text."""
    if isinstance(data, dict):
        return {k: _as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_json(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


def test_scenarios_validate_against_the_schema(
    repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    main(["schema"])
    schema = json.loads(capsys.readouterr().out)
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    files = sorted((repo_root / "scenarios").glob("*.yaml"))
    assert repo_root / "scenarios" / "tutorial.yaml" in files
    for path in files:
        data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path
    tutorial = _as_json(yaml.safe_load((repo_root / "scenarios" / "tutorial.yaml").read_text()))
    tutorial["nodes"][0]["handling"]["handling_hours"] = 2.5  # a bare number is a fixed time
    assert list(validator.iter_errors(tutorial)) == []
    tutorial["nodes"][0]["handling"]["slotz"] = 2
    del tutorial["start_date"]
    assert len(list(validator.iter_errors(tutorial))) == 2


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "this is a folder; expected a scenario file"),
        (lambda p: p.write_bytes(b"name: caf\xe9\n"), "the file is not UTF-8 text"),
        (lambda p: p.write_text("name: x\x07\n"), "the character #x0007 is not allowed"),
    ],
    ids=["folder", "not-utf8", "control-character"],
)
def test_unreadable_files_are_named_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    target = tmp_path / "scenario.yaml"
    make(target)
    code, out, err = run(["validate", str(target)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"{target}") and message in err
    assert len(err.splitlines()) == 1
