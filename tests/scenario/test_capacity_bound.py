"""The max-flow capacity bound: a toy network worked by hand, and the bundled baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario.capacity_bound import capacity_bounds
from simulator.scenario.loading import load_scenario
from simulator.scenario.model import Scenario

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
    after = capacity_bounds(scenario, 2022)
    west = {b.crossing: b for b in after if b.direction == "1435 mm side → 1520 mm side"}
    assert west["all"].tonnes_per_year == pytest.approx(11_000 * 365)
    assert {b.direction for b in after} == {"1435 mm side → 1520 mm side", "both"}
    # one direction only: both directions together are that direction
    both = {b.crossing: b for b in after if b.direction == "both"}
    assert {c: (b.tonnes_per_year, b.cut) for c, b in both.items()} == {
        c: (b.tonnes_per_year, b.cut) for c, b in west.items()
    }


# Two directions through one crossing b: 1435 mm a-b, the gauge change at b, 1520 mm b-c.
# Every train carries 1,000 t on either gauge, so tonnes a day are trains a day x 1,000.
TWO_WAYS = """
name: two-ways
start_date: 2022-01-01
nodes:
  - {id: a, kind: hub, gauge_mm: 1435}
  - id: b
    kind: border
    gauge_mm: [1435, 1520]
    exchange_trains_per_day: 15
    handling: {slots: 10, handling_hours: 1}  # 240 trains a day: never the limit here
  - {id: c, kind: hub, gauge_mm: 1520}
sections:
  - {from: a, to: b, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 40, gauge_mm: 1435}
  - {from: b, to: c, length_km: 100, km_per_day: 900, tracks: 1, trains_per_day: 10, gauge_mm: 1520}
train_types:
  - {id: bulk-1435, cargo: bulk, gauge_mm: 1435, tonnes_per_train: 1000}
  - {id: bulk-1520, cargo: bulk, gauge_mm: 1520, tonnes_per_train: 1000}
flows:
  - {id: west, origin: a, destination: c, cargo: bulk, tonnes_per_year: 1000000}
  - {id: east, origin: c, destination: a, cargo: bulk, tonnes_per_year: 1000000}
"""
WEST, EAST = "1435 mm side → 1520 mm side", "1520 mm side → 1435 mm side"
SIDES = {1435: WEST, 1520: EAST}  # the direction of a train that came from a side of that gauge


def two_ways(tmp_path: Path, overrides: list[str]) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Direction -> (tonnes a day, to a gram, and the cut) through b, the only crossing."""
    path = tmp_path / "two-ways.yaml"
    path.write_text(TWO_WAYS, encoding="utf-8")
    bounds = capacity_bounds(load_scenario(path, overrides))
    out = {b.direction: (round(b.tonnes_per_year / 365, 6), b.cut) for b in bounds}
    assert [b.crossing for b in bounds] == ["b"] * 3 + ["all"] * 3  # the same: one crossing
    assert out == {
        b.direction: (round(b.tonnes_per_year / 365, 6), b.cut) for b in bounds if b.crossing == "b"
    }
    return out


def test_a_single_track_is_shared_by_both_directions(tmp_path: Path):
    # b-c is one track at 10 trains a day per direction: 20 a day in all, either way.
    # Alone, a direction could take all 20; the exchange lets 15 a day through each way first:
    # 15,000 t a day each, limited by b's exchange. Together both directions pass the one
    # track: 20 trains, 20,000 t a day (not 15,000 + 15,000), limited by b-c.
    bound = two_ways(tmp_path, [])
    assert bound[WEST] == (15_000, ("b/exchange",))
    assert bound[EAST] == (15_000, ("b/exchange",))
    assert bound["both"] == (20_000, ("b-c",))


def test_a_paired_single_track_carries_its_trains_in_each_direction_only(tmp_path: Path):
    # b-c paired: 10 paths a day each way, 20 in all; one direction alone keeps its 10
    bound = two_ways(tmp_path, ["sections.b-c.paired=true"])
    assert bound[WEST] == (10_000, ("b-c",))
    assert bound[EAST] == (10_000, ("b-c",))
    assert bound["both"] == (20_000, ("b-c",))


def test_a_double_track_carries_its_trains_in_each_direction(tmp_path: Path):
    # b-c on two tracks: 10 trains a day each way, and no more for one direction alone.
    bound = two_ways(tmp_path, ["sections.b-c.tracks=2"])
    assert bound[WEST] == (10_000, ("b-c",))
    assert bound[EAST] == (10_000, ("b-c",))
    assert bound["both"] == (20_000, ("b-c",))
    # at 14 trains each way (28 in all) and one transshipment slot of 1 h at b, which serves
    # 24 trains a day for both directions together: each direction alone 14,000 t, limited
    # by b-c; both 24,000, limited by b (its handling), not 28,000
    bound = two_ways(
        tmp_path,
        [
            "sections.b-c.tracks=2",
            "sections.b-c.trains_per_day=14",
            "nodes.b.handling.slots=1",
        ],
    )
    assert bound[WEST] == (14_000, ("b-c",))
    assert bound[EAST] == (14_000, ("b-c",))
    assert bound["both"] == (24_000, ("b",))


def test_an_exchange_limit_per_direction_follows_the_order_of_the_gauges(tmp_path: Path):
    # [6, 15] at b, whose gauges are [1435, 1520]: 6 trains a day heading to the 1435 mm side
    # (east), 15 heading to the 1520 mm side (west). Together the exchange would pass 21 a
    # day, but b-c's one track passes 20 in all: both directions are limited by b-c.
    bound = two_ways(tmp_path, ["nodes.b.exchange_trains_per_day=[6, 15]"])
    assert bound[WEST] == (15_000, ("b/exchange",))
    assert bound[EAST] == (6_000, ("b/exchange",))
    assert bound["both"] == (20_000, ("b-c",))


def test_the_command_prints_the_bound_and_the_cut(toy: Path, capsys, tmp_path: Path):
    assert main(["capacity", str(toy), "--year", "2022", "--csv", str(tmp_path / "c.csv")]) == 0
    out = capsys.readouterr().out
    assert "all       both" in out and "4.01  a-e, b/exchange" in out
    assert (tmp_path / "c.csv").read_text().startswith("crossing,direction,tonnes_per_year")


def test_the_baseline_bound_is_above_what_it_carried_and_binds_at_its_published_limits():
    baseline = load_scenario(Path(__file__).parents[2] / "scenarios" / "baseline-2022.yaml")
    bounds = {(b.crossing, b.direction): b for b in capacity_bounds(baseline)}
    total = bounds[("all", "both")].tonnes_per_year
    assert 23.0e6 < total < 60e6  # V1: 23.0 Mt crossed in 2022; seen 41.7 Mt
    cuts = {name for b in bounds.values() for name in b.cut}
    assert cuts <= {
        "dostyk-beskol",
        "beskol-aktogay",
        "altynkol-zhetygen",
        "dostyk/exchange",
        "altynkol/exchange",
    }


def scaled_demand(scenario: Scenario, factor: float) -> list[str]:
    """--set overrides that multiply every flow's yearly volume by `factor`."""
    out = []
    for flow in scenario.flows:
        key = "teu_per_year" if flow.teu_per_year is not None else "tonnes_per_year"
        out.append(f"flows.{flow.id}.{key}={getattr(flow, key) * factor:.0f}")
    return out


def test_simulated_throughput_approaches_the_bound_as_demand_rises_on_the_baseline():
    # The bundled baseline's one year (2022), one replication at its own demand and at four
    # times it. Every crossing and direction stays below its bound; at four times, Dostyk's
    # limits (its exchange and the shared Dostyk-Beskol single track) are full, and its tonnes
    # rise towards the bound. They stay short of it: the bound lets the heaviest trains use
    # every shared slot, while dispatch control gives the slots to trains in the order they
    # booked them, many of them container trains of 1,100-1,300 t against 4,000 t of bulk.
    from simulator import build_report, simulate

    path = Path(__file__).parents[2] / "scenarios" / "baseline-2022.yaml"
    baseline = load_scenario(path)
    bounds = {(b.crossing, b.direction): b.tonnes_per_year for b in capacity_bounds(baseline)}
    share: dict[float, dict[tuple[str, str], float]] = {}
    for factor in (1.0, 4.0):
        scenario = load_scenario(path, scaled_demand(baseline, factor))
        scaled = {(b.crossing, b.direction): b.tonnes_per_year for b in capacity_bounds(scenario)}
        assert scaled == pytest.approx(bounds)  # the same mix of loads: the same bound
        report = build_report(scenario, [simulate(scenario, 0)])
        if factor == 4.0:
            for limit in ("dostyk/exchange", "dostyk-beskol"):
                (row,) = report.resources.where(resource=limit)
                assert row["utilisation"] > 0.97  # seen 0.998 and 0.997
        carried: dict[tuple[str, str], float] = {}
        for row in report.yearly.where(kind="border"):
            if row["direction"] == "both":
                keys = [(row["name"], "both"), ("all", "both")]
            else:  # 'alashankou>beskol': from the side of the node the train came from
                gauge = scenario.node(row["direction"].split(">")[0]).gauges[0]
                keys = [(row["name"], SIDES[gauge]), ("all", SIDES[gauge])]
            for key in keys:
                carried[key] = carried.get(key, 0.0) + row["tonnes"]
        assert set(carried) == set(bounds)
        share[factor] = {key: carried[key] / bounds[key] for key in bounds}
    assert all(s <= 1.0 for level in share.values() for s in level.values())
    dostyk, everything = ("dostyk", "both"), ("all", "both")
    assert share[1.0][dostyk] < 0.65  # seen 0.57: the 2022 demand, well below the bound
    assert share[4.0][dostyk] > share[1.0][dostyk] + 0.1  # seen 0.71
    assert share[4.0][everything] > share[1.0][everything] + 0.1  # seen 0.54 -> 0.68


def test_handling_passes_each_cargo_at_its_own_handling_time(tmp_path: Path):
    # one slot at b, 1 h for a container train but 2 h for a bulk train: these bulk trains
    # pass 12 a day at b, for both directions together (not 24 at the container time)
    bound = two_ways(
        tmp_path, ["nodes.b.handling.slots=1", "nodes.b.handling.bulk_handling_hours=2"]
    )
    assert bound[WEST] == bound[EAST] == (12_000, ("b",))
    assert bound["both"] == (12_000, ("b",))


THREE_SIDES = """
name: three-sides
start_date: 2022-01-01
nodes:
  - {id: a, kind: hub, gauge_mm: 1435}
  - id: b1
    kind: border
    gauge_mm: [1435, 1520]
    exchange_trains_per_day: 10
    handling: {slots: 10, handling_hours: 1}
  - {id: c, kind: junction, gauge_mm: 1520}
  - id: b2
    kind: border
    gauge_mm: [1520, 1435]
    exchange_trains_per_day: 6
    handling: {slots: 10, handling_hours: 1}
  - {id: d, kind: exit, gauge_mm: 1435}
sections:
  - {from: a, to: b1, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 40, gauge_mm: 1435}
  - {from: b1, to: c, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 40, gauge_mm: 1520}
  - {from: c, to: b2, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 40, gauge_mm: 1520}
  - {from: b2, to: d, length_km: 100, km_per_day: 900, tracks: 2, trains_per_day: 40, gauge_mm: 1435}
train_types:
  - {id: bulk-1435, cargo: bulk, gauge_mm: 1435, tonnes_per_train: 1000}
  - {id: bulk-1520, cargo: bulk, gauge_mm: 1520, tonnes_per_train: 1000}
flows:
  - {id: through, origin: a, destination: d, cargo: bulk, tonnes_per_year: 1000000}
  - {id: home, origin: c, destination: a, cargo: bulk, tonnes_per_year: 1000000}
"""


def test_a_flow_across_two_borders_is_bounded_at_each_with_the_other_open(tmp_path: Path):
    # a -> d crosses b1 then b2: 6 trains a day at b2's exchange, 6,000 t, at either crossing;
    # c -> a crosses only b1 (10 a day); b2's rows leave it out
    path = tmp_path / "three.yaml"
    path.write_text(THREE_SIDES, encoding="utf-8")
    rows = {
        (b.crossing, b.direction): (round(b.tonnes_per_year / 365, 6), b.cut)
        for b in capacity_bounds(load_scenario(path))
    }
    through = "1435 mm side (a) → 1435 mm side (d)"
    home = "1520 mm side → 1435 mm side (a)"
    assert rows == {
        ("b1", through): (6_000, ("b2/exchange",)),
        ("b1", home): (10_000, ("b1/exchange",)),
        ("b1", "both"): (16_000, ("b2/exchange", "b1/exchange")),
        ("b2", through): (6_000, ("b2/exchange",)),
        ("b2", "both"): (6_000, ("b2/exchange",)),
        ("all", through): (6_000, ("b2/exchange",)),
        ("all", home): (10_000, ("b1/exchange",)),
        ("all", "both"): (16_000, ("b2/exchange", "b1/exchange")),
    }
