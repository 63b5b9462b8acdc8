"""Run the upgrade scenarios and write the bottleneck tables of docs/explanation/bottlenecks.md.

    python benchmarks/bottlenecks.py      # 3 replications of 2022-2029; rewrites the page
    python benchmarks/bottlenecks.py --squeeze --replications 1 --only all-upgrades   # a quick look

Each scenario's yearly tables (report.bottlenecks, report.resources, report.flows) are reduced to
one row a year: the bottleneck (most train-hours of waiting), the four published limits that take turns binding, and
what was delivered and left waiting. `--squeeze` runs 2022 and a 2023 that carries 2027's demand
with every dated change already in place: the same story in a tenth of the time (the tests use it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from doc_region import check_counts, open_page, page_options, save_page

from simulator import Report, Scenario, build_report, load_scenario, run

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DOC = ROOT / "docs" / "explanation" / "bottlenecks.md"
START = "<!-- bottleneck-tables:start (written by benchmarks/bottlenecks.py) -->"
END = "<!-- bottleneck-tables:end -->"
HORIZON_YEARS = 8
SQUEEZED_LEVEL_YEAR = 2027

RUNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("no-upgrades", "baseline-2022.yaml", (f"horizon_years={HORIZON_YEARS}",)),
    ("dostyk-moiynty-2025", "dostyk-moiynty-2025.yaml", ()),
    ("border-exchange-2025", "border-exchange-2025.yaml", ()),
    ("bakhty-ayagoz-2027", "bakhty-ayagoz-2027.yaml", ()),
    ("xian-traffic-2024", "xian-traffic-2024.yaml", ()),
    ("all-upgrades", "all-upgrades.yaml", ()),
)
WATCHED = (
    ("dostyk-beskol", "Dostyk–Moiynty single track"),
    ("dostyk/exchange", "Dostyk exchange"),
    ("altynkol-zhetygen", "Altynkol–Zhetygen line"),
    ("altynkol/exchange", "Altynkol exchange"),
)
DOSTYK_OUT, DOSTYK_IN = "alashankou>beskol", "beskol>alashankou"  # out of and into China


def squeeze(scenario: Scenario, level_year: int = SQUEEZED_LEVEL_YEAR) -> list[str]:
    """Overrides that fit a scenario into two years: every dated change and opening on the
    first day of the second year, and that year's demand at the level of `level_year`."""
    start = scenario.start_date
    day = dt.date(start.year + 1, 1, 1).isoformat()
    years = level_year - start.year
    out = ["horizon_years=2"]
    out += [f"changes.{i}.date={day}" for i in range(len(scenario.changes))]
    out += [f"nodes.{n.id}.opens={day}" for n in scenario.nodes if n.opens]
    out += [f"sections.{s.key}.opens={day}" for s in scenario.sections if s.opens]
    out += [
        f"flows.{f.id}.growth_per_year={(1 + f.growth_per_year) ** years - 1:.6f}"
        for f in scenario.flows
    ]
    return out


def load(file: str, overrides: Sequence[str], squeezed: bool) -> Scenario:
    """A bundled scenario with its overrides, squeezed into two years when asked."""
    scenario = load_scenario(SCENARIOS / file, list(overrides))
    if squeezed:
        scenario = load_scenario(SCENARIOS / file, [*overrides, *squeeze(scenario)])
    return scenario


@dataclass(frozen=True)
class YearRow:
    """One year of one scenario, averaged over replications."""

    year: int
    busiest: str  # the first-ranked bottleneck: most train-hours of waiting
    busiest_waiting_h: float  # train-hours of waiting there in the year
    busiest_utilisation: float
    watched: tuple[tuple[float, float], ...]  # (utilisation, mean wait hours) per WATCHED
    dostyk_out_mt: float
    dostyk_in_mt: float
    delivered_mt: float
    waiting_mt: float


def year_rows(report: Report) -> list[YearRow]:
    """The per-year summary of a report (means over its replications)."""
    rows = []
    reps = report.replications
    for b in report.bottlenecks.where(rank=1):
        year = b["year"]
        res = report.resources.where(year=year)
        watched = tuple(_mean_of(res.where(resource=name)) for name, _ in WATCHED)
        flows = report.flows.where(year=year)
        dostyk = report.yearly_summary.where(year=year, kind="border", name="dostyk")
        rows.append(
            YearRow(
                year,
                b["resource"],
                b["wait_train_hours_mean"],
                b["utilisation_mean"],
                watched,
                _tonnes(dostyk, DOSTYK_OUT),
                _tonnes(dostyk, DOSTYK_IN),
                sum(flows.column("delivered_tonnes")) / reps / 1e6,
                sum(flows.column("backlog_tonnes")) / reps / 1e6,
            )
        )
    return rows


def _tonnes(rows, direction: str) -> float:
    """Mean Mt of one direction's rows of a yearly summary (0 where nothing passed)."""
    return sum(rows.where(direction=direction).column("tonnes_mean")) / 1e6


def _mean_of(rows) -> tuple[float, float]:
    util = [r["utilisation"] for r in rows]
    waits = [r["wait_mean_h"] for r in rows if not math.isnan(r["wait_mean_h"])]
    return (
        sum(util) / len(util) if util else math.nan,
        sum(waits) / len(waits) if waits else math.nan,
    )


def hours_text(hours: float) -> str:
    """A wait as hours, or as days when it is two days or more."""
    if math.isnan(hours):
        return "–"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} d"


def busiest_story(rows: Sequence[YearRow]) -> str:
    """'A (2022–2025), then B (2026–2029)': the bottleneck and the years it stays so."""
    spans: list[list] = []
    for row in rows:
        if spans and spans[-1][0] == row.busiest:
            spans[-1][2] = row.year
        else:
            spans.append([row.busiest, row.year, row.year])
    parts = [f"`{name}` ({a}–{b})" if a != b else f"`{name}` ({a})" for name, a, b in spans]
    return ", then ".join(parts)


def scenario_table(label: str, rows: Sequence[YearRow], replications: int) -> str:
    """A markdown section for one scenario: the story line and the yearly table."""
    head = " | ".join(title for _, title in WATCHED)
    lines = [
        f"### {label}",
        "",
        f"Bottleneck: {busiest_story(rows)}. Means of {replications} replication"
        f"{'s' if replications > 1 else ''}; the bottleneck as train-hours of waiting · "
        "utilisation, each limit as utilisation · mean wait.",
        "",
        f"| year | bottleneck | {head} | Dostyk out of · into China Mt | delivered Mt "
        "| waiting at year end Mt |",
        "|---|---|" + "---|" * len(WATCHED) + "---|---|---|",
    ]
    for r in rows:
        cells = " | ".join(f"{u:.2f} · {hours_text(w)}" for u, w in r.watched)
        lines.append(
            f"| {r.year} | `{r.busiest}` {r.busiest_waiting_h:,.0f} train-h · "
            f"{r.busiest_utilisation:.2f} | {cells} | {r.dostyk_out_mt:.1f} · "
            f"{r.dostyk_in_mt:.1f} | {r.delivered_mt:.1f} "
            f"| {r.waiting_mt:.1f} |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = page_options(__doc__.split("\n\n")[0], 3, DOC)
    parser.add_argument("--squeeze", action="store_true", help="two years instead of eight")
    parser.add_argument(
        "--only",
        action="append",
        choices=[label for label, _, _ in RUNS],
        metavar="SCENARIO",
        help="run only this scenario (repeatable; implies --no-write)",
    )
    args = parser.parse_args(argv)
    check_counts(parser, args, 1)
    args.no_write = args.no_write or bool(args.only)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run every scenario, print the tables and write them into the page; 2 on bad input."""
    args = parse_args(argv)
    chosen = [r for r in RUNS if not args.only or r[0] in args.only]
    scenarios = open_page(
        args, START, END, lambda: [(label, load(f, o, args.squeeze)) for label, f, o in chosen]
    )
    if scenarios is None:
        return 2
    sections = []
    for label, scenario in scenarios:
        report = build_report(scenario, run(scenario, args.replications, jobs=args.jobs))
        sections.append(scenario_table(label, year_rows(report), args.replications))
        print(sections[-1], flush=True)
    save_page(args, START, END, "\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main())
