"""The real-corridor scenarios: they validate, each upgrade runs and conserves tonnage, and their
yearly tables show where the bottleneck moves; the how-to that compares them runs as written.

Runs are squeezed into two years (benchmarks/bottlenecks.py `squeeze`): 2022 as it was, then a
2023 carrying 2027's demand (+10% a year for five years) with every dated change and opening of
the scenario moved to 1 January 2023. One replication each, seed fixed by the scenario; the
thresholds sit far from the values seen (stated next to each), so they do not hang on this seed.
The how-to's commands run with the squeeze added as `--set` options and `--replications 1`.
"""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import yaml

from simulator import Comparison, Report, Table, build_report, compare, load_scenario, simulate
from simulator.output.result_files import result_cache
from simulator.report.stats import ci_half_width
from simulator.scenario.loading import scenario_to_yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BENCHMARKS = ROOT / "benchmarks"
HOWTO = ROOT / "docs" / "how-to" / "compare-upgrades.md"
PAGE = ROOT / "docs" / "explanation" / "bottlenecks.md"
BASELINE = "baseline-2022.yaml"
UPGRADES = (
    "dostyk-moiynty-2025.yaml",
    "border-exchange-2025.yaml",
    "bakhty-ayagoz-2027.yaml",
    "xian-terminal-2024.yaml",
    "all-upgrades.yaml",
    "xian-traffic-2024.yaml",  # not an upgrade: the terminal's traffic, a change of demand
)
SINGLE_TRACK, DOSTYK_EXCHANGE = "dostyk-beskol", "dostyk/exchange"
ALTYNKOL_LINE, ALTYNKOL_EXCHANGE = "altynkol-zhetygen", "altynkol/exchange"


def benchmark_module(name: str) -> ModuleType:
    """A module of benchmarks/ (they import their neighbours by name, so the folder goes first
    on the import path while it loads)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module(name)


@pytest.fixture(scope="module")
def bottlenecks() -> ModuleType:
    """benchmarks/bottlenecks.py as a module."""
    return benchmark_module("bottlenecks")


@pytest.fixture(scope="module")
def squeezed(bottlenecks: ModuleType):
    """Squeezed run of an upgrade scenario, simulated once per module: name -> Report."""
    done: dict[str, Report] = {}

    def get(file: str) -> Report:
        if file not in done:
            scenario = bottlenecks.load(file, (), squeezed=True)
            run = simulate(scenario, 0)  # raises ConservationError if tonnage is not conserved
            assert run.conserved
            done[file] = build_report(scenario, [run])
        return done[file]

    return get


def code_blocks(page: Path, language: str) -> list[str]:
    """The fenced code blocks of one language in a markdown page, in order."""
    return re.findall(rf"```{language}\n(.*?)```", page.read_text("utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def howto(bottlenecks: ModuleType, tmp_path_factory) -> tuple[Path, Comparison]:
    """The how-to's `brisim compare`, on squeezed copies of its scenarios, one replication.

    The comparison runs once from Python into the command's replication store; the command as
    written then finds every replication there and only writes its files.
    """
    work = tmp_path_factory.mktemp("compare-upgrades")
    (work / "scenarios").mkdir()
    (command,) = [c for c in code_blocks(HOWTO, "bash")[0].splitlines() if c.strip()]
    words = shlex.split(command)
    assert words[:2] == ["brisim", "compare"]
    files = [w for w in words[2:] if w.startswith("scenarios/")]
    for file in files:
        scenario = bottlenecks.load(Path(file).name, (), squeezed=True)
        (work / file).write_text(scenario_to_yaml(scenario), encoding="utf-8")
    out = work / words[words.index("--out") + 1]
    compared = compare(*(work / f for f in files), replications=1, store=result_cache(out))
    done = subprocess.run(
        [sys.executable, "-m", "simulator", *words[1:], "--replications", "1", "--quiet"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (command, done.stderr)
    assert f"resumed: {len(files)} replications" in done.stdout
    assert "0 simulated now" in done.stdout
    return out, compared


def csv_rows(run_dir: Path, table: str, **equals) -> list[dict]:
    """Rows of one table of a run directory, filtered by column values."""
    return list(Table.from_csv(run_dir / f"{table}.csv").where(**equals))


def resource(report: Report, name: str, year: int) -> dict:
    """The row of one resource in one year of a one-replication report."""
    (row,) = report.resources.where(resource=name, year=year)
    return row


@pytest.mark.parametrize("file", (BASELINE, *UPGRADES))
def test_every_corridor_scenario_validates(file: str):
    scenario = load_scenario(SCENARIOS / file)
    assert {"dostyk", "altynkol"} <= {n.id for n in scenario.nodes if n.kind == "border"}
    for border in ("dostyk", "altynkol"):
        assert scenario.node(border).gauges == (1435, 1520)
        assert scenario.node(border).handling is not None


@pytest.mark.parametrize("file", UPGRADES)
def test_upgrades_are_a_few_lines_on_the_baseline_to_the_end_of_2029(file: str):
    raw = yaml.safe_load((SCENARIOS / file).read_text(encoding="utf-8"))
    assert raw["extends"] in (BASELINE, "bakhty-ayagoz-2027.yaml", "xian-terminal-2024.yaml")
    assert "flows" not in raw  # demand and its growth come from the baseline
    base, scenario = load_scenario(SCENARIOS / BASELINE), load_scenario(SCENARIOS / file)
    assert scenario.start_date == base.start_date
    assert scenario.horizon_years == 8  # 2022 to the end of 2029
    assert {f.id for f in scenario.flows} == {f.id for f in base.flows}
    assert all(f.growth_per_year > 0 for f in scenario.flows)
    assert scenario.changes or any(n.opens for n in scenario.nodes)


def test_demand_growth_can_be_set_from_the_command_line():
    path = SCENARIOS / "dostyk-moiynty-2025.yaml"
    scenario = load_scenario(path, ["flows.china-europe.growth_per_year=0.05"])
    flows = {f.id: f for f in scenario.flows}
    assert flows["china-europe"].growth_per_year == 0.05
    assert flows["europe-china"].growth_per_year == 0.10


@pytest.mark.parametrize("name", ["baseline-2022", "dostyk-moiynty-2025", "border-exchange-2025"])
def test_howto_runs_conserve_tonnage(howto, name: str):
    report = howto[1].reports[name]
    assert {r["passed"] for r in report.conservation} == {"true"}
    totals = report.yearly.where(kind="total", name="all")
    assert [r["year"] for r in totals] == [2022, 2023]
    assert all(r["tonnes"] > 20e6 for r in totals)  # 22.4 Mt in 2022, 30 Mt or more in 2023


@pytest.mark.parametrize("file", ["bakhty-ayagoz-2027.yaml", "xian-traffic-2024.yaml"])
def test_other_upgrades_run_squeezed_and_conserve_tonnage(squeezed, file: str):
    report = squeezed(file)
    assert all(row["passed"] == "true" for row in report.conservation)
    totals = report.yearly.where(kind="total", name="all")
    assert [r["year"] for r in totals] == [2022, 2023]
    assert all(r["tonnes"] > 20e6 for r in totals)


def limit(howto, name: str, resource_name: str, year: int) -> dict:
    """One resource's row in one year of a one-replication report of the how-to."""
    return resource(howto[1].reports[name], resource_name, year)


def dostyk_tonnes(howto, name: str, year: int) -> float:
    """Tonnes through Dostyk in a year, both directions."""
    rows = howto[1].reports[name].yearly.where(kind="border", name="dostyk", direction="both")
    (row,) = rows.where(year=year)
    return row["tonnes"]


def test_without_upgrades_dostyks_exchange_and_single_track_fill_together(howto):
    exchange = limit(howto, "baseline-2022", DOSTYK_EXCHANGE, 2023)
    track = limit(howto, "baseline-2022", SINGLE_TRACK, 2023)
    # the exchange's busier direction (out of China) is nearly full (seen 0.98) ...
    assert exchange["utilisation"] > 0.95
    # ... and so is the single track behind it: in turns with the trains into China it passes
    # 12 a day each way when both wait, fewer than the exchange's 14 (seen 1.00)
    assert track["utilisation"] > 0.95
    # dispatch control holds each queue to about a day of exchanges (14 trains, 24 h)
    assert 6 < exchange["wait_mean_h"] < 36  # seen 9.7 h
    assert 6 < track["wait_mean_h"] < 36  # seen 12.1 h
    # ... and the rest waits at the origins, as backlog
    backlog = howto[1].reports["baseline-2022"].flows.where(year=2023).column("backlog_tonnes")
    assert sum(backlog) > 2e6


def test_second_track_alone_leaves_dostyk_limited_by_its_exchange(howto):
    name = "dostyk-moiynty-2025"
    assert limit(howto, name, SINGLE_TRACK, 2022)["utilisation"] > 0.55  # seen 0.62
    track = limit(howto, name, SINGLE_TRACK, 2023)
    exchange = limit(howto, name, DOSTYK_EXCHANGE, 2023)
    assert track["utilisation"] < 0.35  # seen 0.22: the second track has room
    assert exchange["utilisation"] > track["utilisation"]  # the busiest Dostyk limit moved
    assert 6 < exchange["wait_mean_h"] < 36  # seen 15 h: full, held to a day's queue
    gain = dostyk_tonnes(howto, name, 2023) / dostyk_tonnes(howto, "baseline-2022", 2023)
    # seen 1.16: the trains the exchange passes no longer wait for the line, but few more cross
    assert 1.0 <= gain < 1.2


def test_exchange_upgrade_alone_moves_dostyks_limit_to_the_single_track(howto):
    name = "border-exchange-2025"
    track = limit(howto, name, SINGLE_TRACK, 2023)
    exchange = limit(howto, name, DOSTYK_EXCHANGE, 2023)
    assert exchange["utilisation"] < 0.8  # seen 0.50 once the exchange is doubled
    assert exchange["wait_mean_h"] < 0.85 * track["wait_mean_h"]  # seen 3.5 h against 16.8 h
    assert track["utilisation"] > 0.95  # seen 1.00
    assert track["wait_mean_h"] > 6  # seen 17 h: full, held to a day's queue at Dostyk
    # the single track, shared and already full, takes no more trains (seen 1.00) ...
    base_track = limit(howto, "baseline-2022", SINGLE_TRACK, 2023)
    assert track["trains"] == pytest.approx(base_track["trains"], rel=0.03)
    # ... and about the same tonnes: containers that change trains at Dostyk wait at their
    # origin while the line is full, so bulk trains keep their share of its turns (seen 1.00;
    # 0.92 when their lots crossed and piled up at Dostyk; see docs/explanation/bottlenecks.md)
    gain = dostyk_tonnes(howto, name, 2023) / dostyk_tonnes(howto, "baseline-2022", 2023)
    assert gain > 0.95


def test_howto_command_writes_the_files_the_page_lists(howto):
    out, compared = howto
    listed = re.findall(r"^\| `([\w./]+)` \|", HOWTO.read_text("utf-8"), re.M)
    assert set(listed) <= {p.name + ("/" if p.is_dir() else "") for p in out.iterdir()}
    rows = Table.from_csv(out / "compare.csv")
    assert rows.to_csv_text() == compared.differences.to_csv_text()
    assert set(rows.column("variant")) == {"dostyk-moiynty-2025", "border-exchange-2025"}
    page = (out / "compare.md").read_text("utf-8")
    # squeezed: every dated change on 1 January 2023
    assert "- `changes.2023-01-01/dostyk`: (none) → {date: 2023-01-01, node: dostyk," in page
    assert (out / "compare.png").read_bytes().startswith(b"\x89PNG")


def test_howto_python_example_reads_the_comparison(howto):
    out, compared = howto
    (code,) = code_blocks(HOWTO, "python")
    # the squeezed runs end in 2023 with one replication, so no interval: ask for those rows
    code = code.replace("2029", "2023").replace('significant="yes"', 'significant="n/a"')
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=out.parent.parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    rows = compared.differences.where(year=2023, kind="border", name="dostyk")
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == rows.column("variant")
    for line in done.stdout.splitlines():
        assert re.fullmatch(r"[\w-]+: [+-]\d+\.\d\d ± nan Mt through Dostyk in 2023", line)


def test_third_crossing_draws_traffic_only_from_its_opening(squeezed):
    report = squeezed("bakhty-ayagoz-2027.yaml")
    border = report.yearly.where(kind="border", name="bakhty", direction="both")
    tonnes = {r["year"]: r["tonnes"] for r in border}
    assert tonnes.get(2022, 0.0) == 0.0
    assert tonnes[2023] > 1e6  # seen 1.6 Mt: the north-east's cargo via Semey and Ayagoz
    # Kazakh cargo for China leaves the full Dostyk for the new line, through Ayagoz
    dostyk = report.yearly.where(kind="border", name="dostyk", direction="both")
    assert {r["year"]: r["trains"] for r in dostyk}[2023] > 0
    new_line = report.yearly.where(kind="section", name="bakhty-ayagoz", direction="both")
    trains = {r["year"]: r["trains"] for r in new_line}
    assert trains.get(2022, 0) == 0 and trains[2023] > 300


def test_xian_traffic_adds_trans_caspian_traffic_to_a_full_altynkol(squeezed):
    report = squeezed("xian-traffic-2024.yaml")
    flow = {r["year"]: r["released_teu"] for r in report.flows.where(flow="trans-caspian")}
    assert flow[2023] > 3 * flow[2022]  # 33.6k → (33.6k + 66.5k) × 1.61 TEU: ratio ≈ 4.8
    assert resource(report, ALTYNKOL_LINE, 2023)["utilisation"] > 0.97
    assert resource(report, ALTYNKOL_EXCHANGE, 2023)["wait_mean_h"] > 6  # seen 21 h, held
    (held,) = report.flows.where(flow="trans-caspian", year=2023).column("backlog_teu")
    assert held > 0.2 * flow[2023]  # the rest waits at Xi'an


def test_bottleneck_page_quick_look_shows_the_limit_moving_to_altynkols_exchange():
    """The page's second command (the first one, eight years of six scenarios, wrote it)."""
    words = shlex.split(code_blocks(PAGE, "bash")[0].splitlines()[1], comments=True)
    assert words[:2] == ["python", "benchmarks/bottlenecks.py"] and "--squeeze" in words
    argv = [sys.executable, str(ROOT / words[1]), *words[2:]]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr  # a run that loses tonnage raises, so exits 1
    out = done.stdout
    assert "Bottleneck: `altynkol/exchange` (2022–2023)" in out  # most train-hours of waiting
    row_2023 = next(line for line in out.splitlines() if line.startswith("| 2023 |"))
    cells = [c.strip() for c in row_2023.strip("|").split("|")]
    track, exchange = cells[2], cells[3]  # the Dostyk limits, as 'utilisation · wait'
    assert float(track.split(" · ")[0]) < 0.35 and track.endswith(" h")
    assert float(exchange.split(" · ")[0]) < 0.85 and exchange.endswith(" h")  # seen 0.74


def test_bottleneck_page_holds_eight_years_of_every_scenario(bottlenecks: ModuleType):
    text = PAGE.read_text("utf-8")
    region = text.split(bottlenecks.START)[1].split(bottlenecks.END)[0]
    for label, _, _ in bottlenecks.RUNS:
        section = region.split(f"### {label}\n")[1].split("###")[0]
        years = re.findall(r"^\| (20\d\d) \|", section, flags=re.M)
        assert years == [str(y) for y in range(2022, 2030)], label


def test_bottleneck_script_rejects_bad_options_with_exit_2():
    script = str(BENCHMARKS / "bottlenecks.py")
    for bad in (["--only", "nowhere"], ["--replications", "0"]):
        done = subprocess.run([sys.executable, script, *bad], capture_output=True, text=True)
        assert done.returncode == 2
        assert bad[0] in done.stderr
        assert "Traceback" not in done.stderr


def test_bottleneck_tables_replace_only_their_region(bottlenecks: ModuleType, squeezed, tmp_path):
    report = squeezed("bakhty-ayagoz-2027.yaml")
    body = bottlenecks.scenario_table("bakhty-ayagoz-2027", bottlenecks.year_rows(report), 1)
    page = tmp_path / "page.md"
    page.write_text(f"intro\n{bottlenecks.START}\nold\n{bottlenecks.END}\noutro\n", "utf-8")
    text = page.read_text("utf-8")
    new = benchmark_module("doc_region").replace_region(
        text, bottlenecks.START, bottlenecks.END, body
    )
    assert new.startswith("intro\n") and new.endswith(f"{bottlenecks.END}\noutro\n")
    assert "old" not in new and "| 2023 |" in new


PAIRED_REPLICATIONS = 3


def squeezed_delivered(bottlenecks: ModuleType, file: str) -> dict[str, np.ndarray]:
    """Tonnes and TEU delivered in the squeezed 2023 (2027's demand, every change in place),
    per replication: the same seeds for every scenario, so differences are paired."""
    paired = benchmark_module("upgrades_paired")
    scenario = bottlenecks.load(file, (), squeezed=True)
    runs = [simulate(scenario, rep) for rep in range(PAIRED_REPLICATIONS)]
    return {
        column: np.array([paired.yearly_delivered(r, 2, column)[1] for r in runs])
        for column in ("tonnes", "teu")
    }


@pytest.fixture(scope="module")
def baseline_delivered(bottlenecks: ModuleType) -> dict[str, np.ndarray]:
    """The squeezed baseline's 2023 deliveries, per replication."""
    return squeezed_delivered(bottlenecks, BASELINE)


@pytest.mark.parametrize("file", UPGRADES)
def test_no_upgrade_delivers_less_than_the_baseline_on_the_same_seeds(
    bottlenecks: ModuleType, baseline_delivered, file: str
):
    """More capacity never delivers less: in the squeezed 2023 the paired difference in tonnes
    (three replications) is not below zero beyond its 95% interval. A change of demand
    (xian-traffic-2024) may carry fewer tonnes, its light trains taking turns from bulk
    trains, but not fewer TEU. The eight-year check is benchmarks/upgrades_paired.py."""
    paired = benchmark_module("upgrades_paired")
    delivered = squeezed_delivered(bottlenecks, file)
    column = "teu" if paired.adds_demand(load_scenario(SCENARIOS / file)) else "tonnes"
    diff = delivered[column] - baseline_delivered[column]
    assert diff.mean() + ci_half_width(diff) >= 0, (column, diff)
