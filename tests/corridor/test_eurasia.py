"""The Eurasian scenario: every bundled scenario validates, and corridors come out of route choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import load_scenario
from simulator.cli import main
from simulator.engine.simulation import simulate
from simulator.report.periods import year_periods
from simulator.report.yearly_tables import yearly_cells

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_every_bundled_scenario_validates(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(f) for f in SCENARIOS.glob("*.yaml"))
    assert any(f.endswith("eurasia-2024.yaml") for f in files)
    assert main(["validate", *files]) == 0
    assert capsys.readouterr().out.count("ok:") == len(files)


def test_a_light_eurasian_year_sends_each_region_by_its_own_corridor() -> None:
    """At a fifth of the demand nothing is congested: the west and centre of China go through
    Kazakhstan, the north-east through Zabaikalsk; the group rows report both, tonnes conserved."""
    s = load_scenario(SCENARIOS / "eurasia-2024.yaml")
    data = s.model_dump(by_alias=True)
    for flow in data["flows"]:
        key = "teu_per_year" if flow["cargo"] == "container" else "tonnes_per_year"
        flow[key] *= 0.2
    s = type(s).model_validate(data)
    run = simulate(s, 0)
    assert run.conserved
    cells = yearly_cells(run, year_periods(run.start_date, 1, run.warmup_hours))
    groups = {row[2]: row[4] for row in cells.rows if row[1] == "group"}
    assert set(groups) == {"kazakhstan", "mongolia", "trans-caspian", "zabaikalsk"}
    assert groups["kazakhstan"] > groups["zabaikalsk"] > 0
