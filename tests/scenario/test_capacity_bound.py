"""The max-flow capacity bound: a toy network worked by hand, and the bundled baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario.capacity_bound import capacity_bounds
from simulator.scenario.loading import load_scenario

TOY = """
name: toy
start_date: 2022-01-01
nodes:
  - {id: a, kind: hub, gauge_mm: 1435}
  - id: b
    kind: border
    gauge_mm: [1435, 1520]
    exchange_trains_per_day: 10
    handling: {slots: 10, handling_hours: 1}
  - id: e
    kind: border
    gauge_mm: [1435, 1520]
    handling: {slots: 2, handling_hours: 4}
  - {id: c, kind: junction, gauge_mm: 1520}
  - {id: d, kind: exit, gauge_mm: 1520}
sections:
  - {from: a, to: b, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 20, gauge_mm: 1435}
  - {from: b, to: c, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 8, gauge_mm: 1520}
  - {from: a, to: e, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 6, gauge_mm: 1435}
  - {from: e, to: c, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 50, gauge_mm: 1520}
  - {from: c, to: d, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 30, gauge_mm: 1520}
train_types:
  - {id: bulk-1435, cargo: bulk, gauge_mm: 1435, tonnes_per_train: 1000}
  - {id: bulk-1520, cargo: bulk, gauge_mm: 1520, tonnes_per_train: 2000}
flows:
  - {id: west, origin: a, destination: d, cargo: bulk, tonnes_per_year: 1000000}
changes:
  - {date: 2022-07-01, node: b, set: {exchange_trains_per_day: 5}}
"""


@pytest.fixture()
def toy(tmp_path: Path) -> Path:
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    return path


def test_the_bound_of_a_toy_network_is_the_one_worked_by_hand(toy: Path):
    # Tonnes a day. Through b: a-b 20 x 1000 = 20,000; b's exchange 10 trains of the arriving
    # 1435 mm size (1000 t) = 10,000; b-c 8 x 2000 = 16,000; c-d 30 x 2000 = 60,000: so 10,000,
    # limited by b's exchange (its 10 slots of 1 h pass 240). Through e: a-e 6 x 1000 = 6,000; e handles 2 slots x 24 h / 4 h =
    # 12 trains = 12,000; e-c 100,000: so 6,000, limited by a-e. Both: 16,000 <= c-d 60,000.
    scenario = load_scenario(toy)
    before = {b.crossing: b for b in capacity_bounds(scenario, 2021)}  # before the change
    assert before["b"].tonnes_per_year == pytest.approx(10_000 * 365)
    assert before["b"].cut == ("b/exchange",)
    assert before["e"].tonnes_per_year == pytest.approx(6_000 * 365)
    assert before["e"].cut == ("a-e",)
    assert before["all"].tonnes_per_year == pytest.approx(16_000 * 365)
    assert before["all"].cut == ("a-e", "b/exchange")
    # from July 2022 b exchanges 5 trains a day: 5,000 + 6,000
    after = {b.crossing: b for b in capacity_bounds(scenario, 2022)}
    assert after["all"].tonnes_per_year == pytest.approx(11_000 * 365)
    assert {b.direction for b in after.values()} == {"1435 mm side → 1520 mm side"}


def test_the_command_prints_the_bound_and_the_cut(toy: Path, capsys, tmp_path: Path):
    assert main(["capacity", str(toy), "--year", "2022", "--csv", str(tmp_path / "c.csv")]) == 0
    out = capsys.readouterr().out
    assert "all       both" in out and "4.01  a-e, b/exchange" in out
    assert (tmp_path / "c.csv").read_text().startswith("crossing,direction,tonnes_per_year")


def test_the_baseline_bound_is_above_what_it_carried_and_binds_at_its_published_limits():
    baseline = load_scenario(Path(__file__).parents[2] / "scenarios" / "baseline-2022.yaml")
    bounds = {(b.crossing, b.direction): b for b in capacity_bounds(baseline)}
    total = sum(b.tonnes_per_year for (c, _), b in bounds.items() if c == "all")
    assert 23.0e6 < total < 60e6  # V1: 23.0 Mt crossed in 2022; seen 41.1 Mt
    cuts = {name for b in bounds.values() for name in b.cut}
    assert cuts <= {
        "dostyk-beskol",
        "beskol-aktogay",
        "altynkol-zhetygen",
        "dostyk/exchange",
        "altynkol/exchange",
    }


def test_simulated_throughput_approaches_the_bound_as_demand_rises():
    # The tutorial corridor for one year (its westbound bound: Dostyk's exchange, 14 trains of
    # 1,100 t a day, 5.62 Mt); one replication per demand level.
    from simulator import build_report, simulate

    tutorial = Path(__file__).parents[2] / "scenarios" / "tutorial.yaml"
    share = []
    for teu in (200_000, 800_000):
        scenario = load_scenario(
            tutorial,
            [
                f"flows.xian-europe.teu_per_year={teu}",
                "flows.ore-east.tonnes_per_year=500_000",  # little competition for the slots
                "horizon_years=1",
                "changes=[]",
            ],
        )
        report = build_report(scenario, [simulate(scenario, 0)])
        rows = report.yearly.where(kind="border", direction="urumqi>aktogay")
        (bound,) = [
            b
            for b in capacity_bounds(scenario, 2022)
            if b.crossing == "all" and b.direction.startswith("1435")
        ]
        share.append(sum(rows.column("tonnes")) / bound.tonnes_per_year)
    assert share[0] < 0.5  # seen 0.38: demand well below the bound
    assert 0.9 < share[1] <= 1.0  # seen 0.97: saturated, and never above the bound
