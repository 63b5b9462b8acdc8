"""The scenario format pages: every model field documented, examples valid, commands as shown.

Conventions of these pages: a ```yaml block whose first line is `# file: NAME` is a file of the
example; a ```bash block holds commands, and a ```text block right after it their exact output.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

import simulator.scenario.distributions as distributions
import simulator.scenario.model as model
import simulator.scenario.route_options as route_options
from simulator.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
REFERENCE = DOCS / "reference" / "scenario-format.md"
HOW_TO = DOCS / "how-to" / "write-a-scenario.md"

# The heading under which each model's keys are listed in the reference.
SECTIONS = {
    "Scenario": "## Top-level keys",
    "Node": "## nodes",
    "Handling": "### handling",
    "Port": "### port",
    "Section": "## sections",
    "TrainType": "## train_types",
    "Flow": "## flows",
    "RouteOption": "### routes",
    "Change": "## changes",
    "Disruption": "## disruptions",
    "Fixed": "## Distributions",
    "Uniform": "## Distributions",
    "Triangular": "## Distributions",
    "Exponential": "## Distributions",
    "Lognormal": "## Distributions",
    "Empirical": "## Distributions",
}


def models() -> list[type[BaseModel]]:
    """Every scenario model class defined in simulator/scenario/model.py and distributions.py."""
    return [
        cls
        for module in (model, distributions, route_options)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseModel)
        and cls.__module__ == module.__name__
        and cls is not distributions.Frozen
    ]


def section_text(page: str, heading: str) -> str:
    """The text under a heading, up to the next heading (code blocks left out)."""
    page = re.sub(r"```.*?```", "", page, flags=re.S)
    start = page.index(f"\n{heading}\n")
    end = page.find("\n#", start + len(heading) + 2)
    return page[start : end if end > 0 else len(page)]


def blocks(page: Path) -> list[tuple[str, str]]:
    """(language, body) of every fenced block of a page, in order."""
    return re.findall(r"```(\w+)\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def write_block(body: str, folder: Path) -> Path | None:
    """Write a YAML block that starts with `# file: NAME` into the folder; None for other blocks."""
    first = body.splitlines()[0]
    if not first.startswith("# file: "):
        return None
    path = folder / first.removeprefix("# file: ").strip()
    path.write_text(body, encoding="utf-8")
    return path


def write_files(page: Path, folder: Path) -> list[Path]:
    """Write every file block of a page into a folder (a later block replaces an earlier one)."""
    paths = [write_block(body, folder) for language, body in blocks(page) if language == "yaml"]
    return [p for p in paths if p is not None]


@pytest.mark.parametrize("cls", models(), ids=lambda c: c.__name__)
def test_every_field_is_documented(cls: type[BaseModel]) -> None:
    assert cls.__name__ in SECTIONS, f"add a section for {cls.__name__} to {REFERENCE.name}"
    text = section_text(REFERENCE.read_text(encoding="utf-8"), SECTIONS[cls.__name__])
    for name, field in cls.model_fields.items():
        key = field.alias or name
        if key == "dist":
            assert f"| `{cls.model_fields['dist'].annotation.__args__[0]}` |" in text
        else:
            assert f"`{key}`" in text, f"{cls.__name__}.{key} is not in {SECTIONS[cls.__name__]}"
    if SECTIONS[cls.__name__] != "## Distributions":
        rows = re.findall(r"^\| `(\w+)` \|", text, re.M)
        keys = {f.alias or n for n, f in cls.model_fields.items()}
        assert set(rows) - {"extends"} == keys, "the table lists keys the model does not have"


def test_reference_examples_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = write_files(REFERENCE, tmp_path)
    assert {f.name for f in files} == {"small-corridor.yaml", "second-track.yaml"}
    assert main(["validate", *map(str, files)]) == 0
    assert capsys.readouterr().out.count("ok: ") == 2


def test_reference_set_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(REFERENCE, tmp_path)
    monkeypatch.chdir(tmp_path)
    commands = [b.strip() for lang, b in blocks(REFERENCE) if lang == "bash"]
    [command] = [c for c in commands if "teu_per_year=4.0e+6" in c]  # the --set example
    assert command.startswith("brisim validate ")
    assert main(command.split()[1:]) == 0


def test_reference_error_example_is_what_validate_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(REFERENCE, tmp_path)
    example = tmp_path / "small-corridor.yaml"
    text = example.read_text()
    for old, new in [
        ("yard_trains: 40", "yard_trains: 0"),
        ("destination: europe", "destination: europa"),
        ("growth_per_year: 0.05", 'growth_per_year: "0.05"'),
    ]:
        assert text.count(old) == 1
        text = text.replace(old, new)
    example.write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", example.name]) == 2
    shown = [b for lang, b in blocks(REFERENCE) if lang == "text" and b.startswith(example.name)]
    assert capsys.readouterr().err == shown[0]
