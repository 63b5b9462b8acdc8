"""Compare and sweep on the light tutorial corridor: CRN pairing, CIs, executors, stopping rule."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path

import pytest

from simulator.experiment.batch import BatchCounts, Job, run_jobs
from simulator.experiment.comparison import compare, compared_scenarios
from simulator.experiment.replicate import Precision, replicate
from simulator.experiment.sweep import sweep
from simulator.output.replication_cache import ReplicationCache
from simulator.report.compare import paired_difference, unpaired_half_width
from simulator.report.compare_summary import compare_markdown, difference_lines
from simulator.report.precision import mean_yearly_total
from simulator.report.tables import Table
from simulator.scenario.diff import scenario_diff
from simulator.scenario.loading import load_scenario

REPO = Path(__file__).resolve().parents[2]
LIGHT = [
    "flows.xian-europe.teu_per_year=40_000",
    "flows.ore-east.tonnes_per_year=500_000",
    "horizon_years=1",
    "changes=[]",
    "nodes.dostyk.corridor=kazakhstan",  # a corridor label: the yearly group rows
]
MORE = "flows.xian-europe.teu_per_year=44_000"


@pytest.fixture(scope="module")
def base():
    return load_scenario(REPO / "scenarios" / "tutorial.yaml", LIGHT)


@pytest.fixture(scope="module")
def variant():
    return load_scenario(
        REPO / "scenarios" / "tutorial.yaml", [*LIGHT, MORE, "name=more", "seed=7"]
    )


@pytest.fixture(scope="module")
def compared(base, variant):
    return compare(base, variant, replications=4)


def test_variants_run_on_the_base_seed_and_share_its_random_numbers(base, variant, compared):
    assert variant.seed != base.seed
    assert {s.seed for s in compared.scenarios.values()} == {base.seed}
    b, v = (compared.reports[k].flows.where(flow="ore-east") for k in (compared.base, "more"))
    # the ore flow is the same in both scenarios: replication k draws exactly the same lots
    assert b.column("released_tonnes") == v.column("released_tonnes")
    assert b.column("delivered_tonnes") == v.column("delivered_tonnes")
    ore = compared.differences.where(kind="flow", name="ore-east")
    assert ore.column("difference") == [0.0] and ore.column("ci95") == [0.0]


def test_the_paired_ci_is_narrower_than_the_unpaired_one_on_the_same_runs(compared):
    (row,) = compared.differences.where(kind="total")
    levels = [
        compared.reports[k].yearly.where(kind="total", direction="both").column("tonnes")
        for k in (compared.base, "more")
    ]
    unpaired = unpaired_half_width(*levels)
    assert row["difference"] > 0 and row["significant"] == "yes"
    assert row["ci95"] < 0.6 * unpaired  # seen 0.42


def test_corridor_rows_are_compared_pair_by_pair_with_their_ci(compared):
    (row,) = compared.differences.where(kind="group")
    assert (row["year"], row["name"], row["replications"]) == (2022, "kazakhstan", 4)
    base, more = (
        compared.reports[k].yearly.where(kind="group", name="kazakhstan")
        for k in (compared.base, "more")
    )
    assert base.column("replication") == more.column("replication") == [0, 1, 2, 3]
    expected = paired_difference(base.column("tonnes"), more.column("tonnes"))
    assert row["base_mean"] == pytest.approx(sum(base.column("tonnes")) / 4)
    assert (row["difference"], row["ci95"]) == pytest.approx((expected.mean, expected.ci95))
    assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((expected.low, expected.high))
    assert row["difference"] > 0 and row["significant"] == "yes"  # 10% more westbound demand
    # printed and in compare.md between the crossings and the total
    lines = difference_lines(compared.differences, "more", markdown=False)
    assert [line.split()[1] for line in lines[1:]] == ["dostyk", "kazakhstan", "total"]
    assert "kazakhstan corridor" in lines[2]
    markdown = compare_markdown(
        compared.base, ["more"], 4, compared.differences, compared.inputs, compared.bottlenecks
    )
    assert "| 2022 | kazakhstan corridor |" in markdown


def test_the_inputs_that_differ_are_named_with_both_values(base, variant, compared):
    assert [(k, a, b) for k, a, b in scenario_diff(base, variant) if k != "seed"] == [
        ("flows.xian-europe.teu_per_year", 40000.0, 44000.0)
    ]
    rows = list(compared.inputs)
    assert [(r["key"], r["base"], r["variant_value"]) for r in rows] == [
        ("flows.xian-europe.teu_per_year", "40000.0", "44000.0")
    ]
    assert compared.bottlenecks.columns == ("year", compared.base, "more")


def test_the_compared_bottleneck_of_a_year_is_the_report_s_first_ranked(compared):
    """compare.md and bottlenecks.csv name the resource that made trains wait longest, as the
    run's own report does (it named the last of the report's ranked rows before)."""
    for label in (compared.base, "more"):
        report = compared.reports[label]
        assert len(report.bottlenecks.where(year=2022)) > 1  # a ranking, not one row
        (first,) = report.bottlenecks.where(year=2022, rank=1)
        (row,) = compared.bottlenecks.where(year=2022)
        assert row[label] == first["resource"]


def test_the_common_horizon_is_the_longest_unless_years_are_given(base, variant):
    longer = load_scenario(REPO / "scenarios" / "tutorial.yaml", [*LIGHT, "horizon_years=2"])
    assert {s.horizon_years for s in compared_scenarios([base, longer]).values()} == {2}
    assert {s.horizon_years for s in compared_scenarios([base, longer], years=1).values()} == {1}


def as_text(outcomes) -> list[str]:
    """Every table of each replication as CSV text (NaN-safe, byte for byte)."""
    out = []
    for o in outcomes:
        t = o.tables
        parts = [getattr(t, f.name) for f in dataclasses.fields(t)]
        out.append("".join(p.to_csv_text() if isinstance(p, Table) else repr(p) for p in parts))
    return out


def test_jobs_and_store_give_identical_tables_and_resume(base, variant, tmp_path):
    jobs = [Job(s, r) for s in (base, variant) for r in range(2)]
    serial = as_text(run_jobs(jobs))
    counts = BatchCounts()
    store = ReplicationCache(tmp_path)
    assert as_text(run_jobs(jobs, workers=2, store=store, counts=counts)) == serial
    assert (counts.simulated, counts.reused) == (4, 0)
    again = BatchCounts()
    assert as_text(run_jobs(jobs, store=store, counts=again)) == serial
    assert (again.simulated, again.reused) == (0, 4)


def test_auto_replications_stop_when_the_half_width_is_small_enough(base):
    loose = replicate({"b": base}, Precision(0.05, maximum=8))
    assert loose.replications == 3 and loose.precision_met  # 3 already within 5%
    tight = replicate({"b": base}, Precision(0.0001, maximum=5))
    assert tight.replications == 5 and not tight.precision_met
    totals = [mean_yearly_total(o.tables) for o in tight.outcomes["b"]]
    assert len(set(totals)) == 5


def test_a_sweep_tabulates_every_point_of_the_grid(base):
    result = sweep(
        base,
        {"flows.xian-europe.teu_per_year": [20_000, 40_000], "seed": [1, 2]},
        replications=2,
    )
    table = result.table
    assert [(r["flows.xian-europe.teu_per_year"], r["seed"]) for r in table] == [
        (20000, 1),
        (20000, 2),
        (40000, 1),
        (40000, 2),
    ]
    low, high = table.rows[0], table.rows[2]
    column = table.columns.index("dostyk_tonnes_mean")
    assert high[column] > 1.2 * low[column]
    # the first-ranked bottleneck of each point: Dostyk's line, exchange or handling, or Xi'an
    assert {b.split("/")[0] for b in table.column("bottleneck")} <= {
        "dostyk",
        "dostyk-aktogay",
        "xian",
        "urumqi",
    }
    assert all(d > 0 for d in table.column("transit_p95_days"))


def test_one_progress_count_covers_every_scenario_and_replication(base, variant):
    seen: list[tuple[int, float]] = []
    calls: list[tuple[int, float]] = []

    @contextlib.contextmanager
    def progress(jobs: int, horizon_hours: float):
        seen.append((jobs, horizon_hours))
        yield lambda job, hours: calls.append((job, hours))

    replicate({"a": base, "b": variant}, 2, progress=progress)
    assert seen == [(4, 8760.0)]  # one bar: 2 scenarios x 2 replications of one year
    finished = {job for job, hours in calls if hours >= 8760.0}
    assert finished == {0, 1, 2, 3}


def test_auto_replications_for_a_comparison_judge_the_paired_difference(base, variant):
    # the difference is a few percent of the base's total: 50% of the base mean is met at once
    met = replicate({"a": base, "b": variant}, Precision(0.5, maximum=4), paired=True)
    assert met.replications == 3 and met.precision_met
    capped = replicate({"a": base, "b": variant}, Precision(1e-6, maximum=4), paired=True)
    assert capped.replications == 4 and not capped.precision_met


def test_vary_values_from_lists_and_ranges_and_clear_errors(capsys):
    from simulator.cli import main
    from simulator.commands.sweep import parse_vary
    from simulator.errors import BrisimError

    assert parse_vary(["a.b=1,2,x", "c=0.1:0.3:0.1", "d=100_000:300_000:100_000"]) == {
        "a.b": ["1", "2", "x"],
        "c": ["0.1", "0.2", "0.3"],
        "d": ["100000", "200000", "300000"],
    }
    for bad in ("a", "a=", "a=3:1:1", "a=1:2:0", "a=1:x:1", "a=1,1"):
        with pytest.raises(BrisimError, match="--vary"):
            parse_vary([bad])
    with pytest.raises(BrisimError, match="already varied"):
        parse_vary(["a=1", "a=2"])
    assert main(["sweep", str(REPO / "scenarios" / "tutorial.yaml"), "--vary", "seed=1:0:1"]) == 2
    assert "expected start <= stop" in capsys.readouterr().err
