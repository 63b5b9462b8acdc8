"""A Report as text for people: the short table printed after a run, and report.md.

Reads only Report tables (no records, no SimPy), so a report rebuilt from disk reads the same.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from simulator.report.build import Report, summarise
from simulator.report.tables import Table
from simulator.scenario.model import Scenario

TOP_RESOURCES = 5  # resources listed per year in report.md
ALL = "all crossings"


def _mean_ci(value: float, ci: float, with_ci: bool) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:,.0f} ± {ci:,.0f}" if with_ci else f"{value:,.0f}"


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{100 * value:.0f}%"


def _hours(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.1f}"


def _align(rows: Sequence[Sequence[str]]) -> str:
    """Plain text columns, the first left-aligned and the rest right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _markdown(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _both(report: Report, kind: str) -> Table:
    return report.yearly_summary.where(kind=kind, direction="both")


def _years(report: Report) -> list[int]:
    return sorted(set(report.yearly_summary.column("year")))


def _bottlenecks(report: Report) -> dict[int, dict[str, Any]]:
    return {row["year"]: row for row in report.bottlenecks.where(rank=1)}


def _crossing_names(report: Report) -> list[str]:
    return list(dict.fromkeys(_both(report, "border").column("name")))


def all_crossings(report: Report) -> dict[int, dict[str, Any]]:
    """Per year, the sum over border crossings: mean and 95% half-width over replications."""
    sums: dict[tuple[int, int], list[float]] = {}
    for r in report.yearly.where(kind="border", direction="both"):
        cell = sums.setdefault((r["replication"], r["year"]), [0.0, 0.0, 0.0])
        for i, key in enumerate(("tonnes", "teu", "trains")):
            cell[i] += r[key]
    table = Table(
        ("replication", "year", "tonnes", "teu", "trains"),
        tuple((rep, year, *values) for (rep, year), values in sums.items()),
    )
    summary = summarise(table, ("year",), ("tonnes", "teu", "trains"))
    return {row["year"]: row for row in summary}


def run_summary(report: Report) -> str:
    """Per year: tonnes through each border crossing and delivered in total, and the busiest."""
    with_ci = report.replications > 1
    crossings = _crossing_names(report)
    cell = {(r["year"], r["name"]): r for r in _both(report, "border")}
    if len(crossings) > 1:
        cell.update({(year, ALL): row for year, row in all_crossings(report).items()})
        crossings.append(ALL)
    total = {r["year"]: r for r in _both(report, "total")}
    busiest = _bottlenecks(report)
    header = ["year", *(f"{c} (t)" for c in crossings), "delivered (t)", "bottleneck"]
    rows = [header]
    for year in _years(report):
        row = [str(year)]
        for name in crossings:
            r = cell.get((year, name))
            row.append(_mean_ci(r["tonnes_mean"], r["tonnes_ci95"], with_ci) if r else "-")
        t = total.get(year)
        row.append(_mean_ci(t["tonnes_mean"], t["tonnes_ci95"], with_ci) if t else "-")
        b = busiest.get(year)
        row.append(_bottleneck_cell(b) if b else "-")
        rows.append(row)
    runs = f"{report.replications} replication{'s' if report.replications > 1 else ''}"
    note = "mean ± 95% CI" if with_ci else "tonnes"
    return f"{report.scenario_name}: {runs}, {note}\n{_align(rows)}\n"


def _bottleneck_cell(row: dict[str, Any]) -> str:
    """'name (12,345 train-h waiting, 80% used)'."""
    waited = f"{row['wait_train_hours_mean']:,.0f} train-h waiting"
    return f"{row['resource']} ({waited}, {_pct(row['utilisation_mean'])} used)"


def report_markdown(report: Report, context: dict[str, Any]) -> str:
    """The readable report.md: crossings per year, flows, bottlenecks, conservation."""
    with_ci = report.replications > 1
    ci = " ± 95% CI" if with_ci else ""
    parts = [
        f"# {report.scenario_name}: yearly report",
        _context_lines(report, context),
        "Tonnes count at a border crossing when a train enters the first section beyond it "
        "(the year of that moment). "
        + (
            f"Figures are means over {report.replications} replications with the Student t 95% "
            "confidence half-width."
            if with_ci
            else "One replication: no confidence interval (use --replications 5 or more)."
        ),
        "## Tonnes through each border crossing",
        _crossings(report, with_ci, ci),
        "## Delivered per flow",
        _flows(report, with_ci, ci),
        "## Bottlenecks of each year",
        "The resources that made trains wait longest: train-hours spent queued there in the "
        "year (trains still queued when the run ended included), their share of all waiting, "
        "and utilisation beside it (busy hours over offered capacity; the busier direction "
        "where directions have their own track or exchange).",
        _bottleneck_table(report),
        "## Busiest resources",
        _busiest(report),
        "## Conservation check",
        "Every tonne released is delivered, on a train, or waiting at the end of the run.",
        _conservation(report),
        "## Files",
        "Every file and column is described in docs/reference/outputs.md of brisim.",
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def report_context(scenario: Scenario) -> dict[str, Any]:
    """What report.md says about the scenario besides its tables (description, dates, seed)."""
    return {
        "description": scenario.description,
        "start_date": scenario.start_date.isoformat(),
        "horizon_years": scenario.horizon_years,
        "warmup_days": scenario.warmup_days,
        "seed": scenario.seed,
    }


def _context_lines(report: Report, context: dict[str, Any]) -> str:
    items = [
        ("Description", context.get("description", "")),
        ("Start date", context.get("start_date", "")),
        ("Horizon", f"{context.get('horizon_years', '')} years"),
        ("Warm-up", f"{context.get('warmup_days', 0):g} days (left out of every table)"),
        ("Replications", report.replications),
        ("Seed", context.get("seed", "")),
    ]
    return "\n".join(f"- {k}: {v}" for k, v in items if str(v).strip())


def _crossings(report: Report, with_ci: bool, ci: str) -> str:
    rows = []
    border = report.yearly_summary.where(kind="border")
    for r in border.where(direction="both"):
        directions = [
            f"{d['direction']}: {d['tonnes_mean']:,.0f}"
            for d in border.where(year=r["year"], name=r["name"])
            if d["direction"] != "both"
        ]
        rows.append(
            (
                r["year"],
                r["name"],
                _mean_ci(r["tonnes_mean"], r["tonnes_ci95"], with_ci),
                _mean_ci(r["teu_mean"], r["teu_ci95"], with_ci),
                _mean_ci(r["trains_mean"], r["trains_ci95"], with_ci),
                "; ".join(directions) or "-",
            )
        )
    if len(_crossing_names(report)) > 1:
        for year, r in all_crossings(report).items():
            rows.append(
                (
                    year,
                    ALL,
                    _mean_ci(r["tonnes_mean"], r["tonnes_ci95"], with_ci),
                    _mean_ci(r["teu_mean"], r["teu_ci95"], with_ci),
                    _mean_ci(r["trains_mean"], r["trains_ci95"], with_ci),
                    "",
                )
            )
    for r in _both(report, "total"):
        total = _mean_ci(r["tonnes_mean"], r["tonnes_ci95"], with_ci)
        rows.append((r["year"], "delivered, all flows", total, "", "", ""))
    rows.sort(key=lambda row: row[0])
    header = ("Year", "Crossing", f"Tonnes{ci}", f"TEU{ci}", f"Trains{ci}", "Tonnes by direction")
    return _markdown(header, rows) if rows else "No border crossing in this scenario."


def _flows(report: Report, with_ci: bool, ci: str) -> str:
    summary = {(r["year"], r["name"]): r for r in _both(report, "flow")}
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in report.flows:
        groups.setdefault((r["year"], r["flow"]), []).append(r)
    rows = []
    for (year, flow), members in groups.items():
        s = summary.get((year, flow))
        delivered = _mean_ci(s["tonnes_mean"], s["tonnes_ci95"], with_ci) if s else "-"
        rows.append(
            (
                year,
                flow,
                f"{_mean(members, 'released_tonnes'):,.0f}",
                delivered,
                f"{_mean(members, 'backlog_tonnes'):,.0f}",
                _hours(_mean(members, "transit_p50_days")),
                _hours(_mean(members, "transit_p95_days")),
            )
        )
    header = (
        "Year",
        "Flow",
        "Released (t)",
        f"Delivered (t){ci}",
        "Backlog at year end (t)",
        "Transit p50 (days)",
        "Transit p95 (days)",
    )
    return _markdown(header, rows)


def _mean(rows: list[dict[str, Any]], key: str) -> float:
    values = [r[key] for r in rows if not (isinstance(r[key], float) and math.isnan(r[key]))]
    return sum(values) / len(values) if values else math.nan


def _bottleneck_table(report: Report) -> str:
    rows = [
        (
            r["year"],
            r["rank"],
            r["resource"],
            r["kind"],
            f"{r['wait_train_hours_mean']:,.0f}",
            _pct(r["wait_share"]),
            _pct(r["utilisation_mean"]),
            _hours(r["wait_mean_h"]),
            f"{r['trains_open_mean']:.1f}",
        )
        for r in report.bottlenecks
    ]
    header = (
        "Year",
        "Rank",
        "Resource",
        "Kind",
        "Waiting (train-h)",
        "Share of waiting",
        "Utilisation",
        "Mean wait (h)",
        "Still there at end",
    )
    return _markdown(header, rows)


def _busiest(report: Report) -> str:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in report.resources:
        groups.setdefault((r["year"], r["resource"], r["kind"]), []).append(r)
    by_year: dict[int, list[tuple]] = {}
    for (year, name, kind), members in groups.items():
        util = _mean(members, "utilisation")
        waited = _mean(members, "wait_train_hours")
        row = (
            year,
            name,
            kind,
            _pct(util),
            f"{waited:,.0f}",
            _hours(_mean(members, "wait_mean_h")),
            _hours(_mean(members, "wait_p95_h")),
            _hours(_mean(members, "queue_mean")),
            f"{max(m['queue_max'] for m in members):.0f}",
            f"{_mean(members, 'trains'):,.0f} / {_mean(members, 'trains_open'):,.1f}",
        )
        by_year.setdefault(year, []).append(((waited, util), row))
    rows = []
    for year in sorted(by_year):
        ranked = sorted(by_year[year], key=lambda item: (-item[0][0], -item[0][1]))
        rows += [row for _, row in ranked[:TOP_RESOURCES]]
    header = (
        "Year",
        "Resource",
        "Kind",
        "Utilisation",
        "Waiting (train-h)",
        "Mean wait (h)",
        "p95 wait (h)",
        "Mean queue (trains)",
        "Max queue",
        "Trains done / still there at end",
    )
    return _markdown(header, rows)


def _conservation(report: Report) -> str:
    per_rep: dict[int, list[dict[str, Any]]] = {}
    for r in report.conservation:
        per_rep.setdefault(r["replication"], []).append(r)
    rows = []
    for rep, members in sorted(per_rep.items()):
        released = sum(m["released_tonnes"] for m in members)
        delivered = sum(m["delivered_tonnes"] for m in members)
        in_system = sum(m["on_trains_tonnes"] + m["waiting_tonnes"] for m in members)
        passed = all(m["passed"] == "true" for m in members)
        rows.append(
            (
                rep,
                f"{released:,.0f}",
                f"{delivered:,.0f}",
                f"{in_system:,.0f}",
                "passed" if passed else "FAILED",
            )
        )
    header = ("Replication", "Released (t)", "Delivered (t)", "In system at end (t)", "Check")
    return _markdown(header, rows)
