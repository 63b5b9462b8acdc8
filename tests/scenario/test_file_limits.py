"""Files far bigger than any scenario are refused before (or early in) parsing, at a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario import yaml_reader


def test_a_20_mb_file_is_refused_without_parsing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w") as file:
        file.write("name: big\ndescription: [")
        file.write("1, " * 7_000_000)
        file.write("1]\n")
    assert big.stat().st_size > 20_000_000

    def no_parsing(*args: object) -> None:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(yaml_reader, "LOADER", no_parsing)
    assert main(["validate", str(big)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"{big}: the file is 21.0 MB; expected a scenario of at most 1 MB "
        "(scenarios are a few tens of kB)\n"
    )


def test_composing_stops_at_the_value_limit_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = tmp_path / "many.yaml"
    per_line = 1_000
    rows = (yaml_reader.MAX_VALUES // per_line) * 3
    many.write_text(
        "name: many\ndescription:\n"
        + "".join(f"  - [{', '.join('1' * per_line)}]\n" for _ in range(rows))
    )
    assert many.stat().st_size < yaml_reader.MAX_BYTES
    assert main(["validate", str(many)]) == 2
    err = capsys.readouterr().err
    line = yaml_reader.MAX_VALUES // (per_line + 1) + 3  # the row holding the value past the limit
    assert (
        err
        == f"{many}:{line}: more than {yaml_reader.MAX_VALUES} values; expected a plain scenario\n"
    )
