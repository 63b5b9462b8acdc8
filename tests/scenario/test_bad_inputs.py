"""Every file in tests/scenario/bad_inputs is one bad input; its first comment lines state the problem.

Header lines (after a first line saying what the case shows):
  # expect: LINE: KEY.PATH: FRAGMENT   (LINE '-' for no line, KEY.PATH '-' for none; may repeat)
  # args: --set a.b=c                  (extra command-line arguments)
  # file: other.yaml                   (file the problem is reported in, next to this one)
  # origin: --set a.b=c                (the problem comes from an override, not a file)
  # target: missing.yaml               (validate this path instead of the case file)
  # problems: N                        (exactly N problems are reported)
A case that needs two files is a folder whose main.yaml holds the header.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulator.cli import main

CASES_DIR = Path(__file__).parent / "bad_inputs"


@dataclass(frozen=True)
class Expect:
    """One problem the case must report."""

    line: int | None
    path: str | None
    fragment: str


@dataclass(frozen=True)
class Case:
    """A bad-input file with what validating it must print."""

    name: str
    source: Path
    expects: tuple[Expect, ...]
    args: tuple[str, ...] = ()
    reported_in: str = ""
    target: Path | None = None
    problems: int | None = None
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def argv(self) -> list[str]:
        """Arguments of `brisim` for this case."""
        return ["validate", str(self.target or self.source), *self.args]


def parse_case(source: Path) -> Case:
    """Read a case's header comments."""
    expects: list[Expect] = []
    notes: dict[str, str] = {}
    for text in source.read_text(encoding="utf-8").splitlines()[1:]:
        if not text.startswith("# "):
            break
        key, _, value = text[2:].partition(": ")
        if key == "expect":
            line, path, fragment = value.split(": ", 2)
            expects.append(
                Expect(None if line == "-" else int(line), None if path == "-" else path, fragment)
            )
        else:
            notes[key] = value
    name = source.parent.name if source.name == "main.yaml" else source.stem
    if "origin" in notes:
        reported_in = notes["origin"]
    else:
        where = notes.get("file") or notes.get("target") or source.name
        reported_in = str(source.parent / where)
    return Case(
        name=name,
        source=source,
        expects=tuple(expects),
        args=tuple(shlex.split(notes.get("args", ""))),
        reported_in=reported_in,
        target=source.parent / notes["target"] if "target" in notes else None,
        problems=int(notes["problems"]) if "problems" in notes else None,
        notes=notes,
    )


def all_cases() -> list[Case]:
    """Every case: top-level YAML files and the main.yaml of each sub-folder."""
    files = sorted(CASES_DIR.glob("*.yaml")) + sorted(CASES_DIR.glob("*/main.yaml"))
    return [parse_case(f) for f in files]


CASES = all_cases()
SUBPROCESS_CASES = (
    "python_tag",
    "yaml_syntax_error",
    "alias_loop",
    "missing_file",
    "extends_cycle",
)


def prefix(case: Case, expect: Expect) -> str:
    """The start every matching problem line has: FILE:LINE: KEY.PATH: (parts as stated)."""
    where = case.reported_in if expect.line is None else f"{case.reported_in}:{expect.line}"
    return f"{where}: {expect.path}: " if expect.path else f"{where}: "


def check_output(case: Case, code: int, out: str, err: str) -> None:
    """Exit code 2, nothing on stdout, no traceback, and each expected problem on its own line."""
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    for expect in case.expects:
        start = prefix(case, expect)
        hits = [x for x in lines if x.startswith(start) and expect.fragment in x[len(start) :]]
        assert len(hits) == 1, f"no single line starting {start!r} with {expect.fragment!r}:\n{err}"
    if case.problems is not None:
        assert len(lines) == case.problems, err


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 30
    assert all(case.expects for case in CASES)
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(case.argv)
    captured = capsys.readouterr()
    check_output(case, code, captured.out, captured.err)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_input_through_the_real_command(name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    result = subprocess.run(
        [sys.executable, "-m", "simulator", *case.argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    check_output(case, result.returncode, result.stdout, result.stderr)


def test_tags_are_never_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The refused tag would create a file if it were built; it must not exist afterwards."""
    marker = tmp_path / "built"
    scenario = tmp_path / "tag.yaml"
    scenario.write_text(f'name: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert main(["validate", str(scenario)]) == 2
    assert "refused" in capsys.readouterr().err
    assert not marker.exists()
