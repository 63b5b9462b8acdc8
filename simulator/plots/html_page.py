"""One self-contained HTML page of a run: summary tables and every chart as an embedded PNG.

Nothing is linked from outside the file (no CSS, scripts, fonts or images), so it opens offline
and can be mailed as it is.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from simulator.plots.chart_files import PNG_DPI, write_atomically
from simulator.plots.charts import CHARTS
from simulator.plots.style import crossings, mean_by, tonnes_scale
from simulator.report.build import Report

CHART_CAPTIONS = {
    "yearly-crossings": "Cargo through each border crossing per year (mean of the replications; "
    "bars show the 95% confidence interval when there are several).",
    "monthly-throughput": "Monthly cargo and trains per crossing; dashed lines mark dated capacity "
    "changes, shaded bands disruptions.",
    "utilisation": "Share of capacity each resource used per year; the busiest are on top.",
    "queues": "Trains waiting at the resources with the longest queues (mean of replications).",
    "transit-times": "Door-to-door transit time of delivered lots per flow.",
    "corridor-map": "The corridor in the last year: line width shows cargo, colour shows "
    "utilisation.",
}
STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2em; } p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 2em; font-size: 0.95em; }
h2 { font-size: 1.15em; margin: 1.5em 0 0.4em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; }
th { background: #f0f0f0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 2.5em; } figure img { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.95em; }
"""


def write_html_report(report: Report, path: Path) -> None:
    """Write the whole report as one HTML file at `path`, whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = render_html(report).encode("utf-8")
    write_atomically(path, lambda fh: fh.write(page))


def render_html(report: Report) -> str:
    """The report page as a string: heading, three summary tables, then every chart."""
    years = sorted(set(report.yearly_summary.column("year")))
    span = f"{years[0]}-{years[-1]}" if years else str(report.start_year)
    title = f"{report.scenario_name}: corridor report"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="meta">Years {span}; {_plural(report.replications, "replication")}.</p>',
        crossing_table(report),
        bottleneck_table(report),
        flow_table(report),
    ]
    parts.append("<h2>Charts</h2>")
    for name, chart in CHARTS.items():
        parts.append(_figure_html(name, chart(report)))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def crossing_table(report: Report) -> str:
    """Mean yearly tonnes per border crossing (both directions) with 95% CI, and the total."""
    rows = report.yearly_summary.where(kind="border", direction="both")
    names = crossings(report)
    years = sorted(set(rows.column("year")))
    mean = {(r["year"], r["name"]): r["tonnes_mean"] for r in rows}
    ci = {(r["year"], r["name"]): r["tonnes_ci95"] for r in rows}
    totals = {y: sum(mean.get((y, n), 0.0) for n in names) for y in years}
    divisor, unit = tonnes_scale(max(totals.values(), default=0.0))
    body = []
    for y in years:
        cells = [
            _mean_ci(mean.get((y, n), math.nan), ci.get((y, n), math.nan), divisor) for n in names
        ]
        body.append([str(y), *cells, _number(totals[y] / divisor)])
    return html_table(
        f"Cargo per border crossing and year, both directions ({unit}; mean ± 95% CI)",
        ["Year", *names, "All crossings"],
        body,
        "yearly-crossings",
    )


def bottleneck_table(report: Report) -> str:
    """Each year's resources that made trains wait longest, with their utilisation."""
    body = [
        [
            str(r["year"]),
            str(r["rank"]),
            str(r["resource"]),
            str(r["kind"]),
            _number(r["wait_train_hours_mean"]),
            _percent(r["wait_share"]),
            _percent(r["utilisation_mean"]),
        ]
        for r in report.bottlenecks
    ]
    return html_table(
        "Bottlenecks per year (ranked by train-hours of waiting, mean over replications)",
        [
            "Year",
            "Rank",
            "Resource",
            "Kind",
            "Waiting (train-h)",
            "Share of waiting",
            "Utilisation",
        ],
        body,
        "bottlenecks",
    )


FLOW_COLUMNS = (
    ("released_tonnes", "Released (t)"),
    ("delivered_tonnes", "Delivered (t)"),
    ("backlog_tonnes", "Backlog at year end (t)"),
    ("transit_p50_days", "Transit median (days)"),
    ("transit_p95_days", "Transit 95th percentile (days)"),
)


def flow_table(report: Report) -> str:
    """Per flow and year, means over replications: released, delivered, backlog and transit."""
    means = {col: mean_by(report.flows, ["flow", "year"], col) for col, _ in FLOW_COLUMNS}
    keys = sorted(means[FLOW_COLUMNS[0][0]], key=lambda k: (str(k[0]), k[1]))
    body = [
        [str(flow), str(year), *(_number(means[col][(flow, year)]) for col, _ in FLOW_COLUMNS)]
        for flow, year in keys
    ]
    headers = ["Flow", "Year", *(label for _, label in FLOW_COLUMNS)]
    return html_table("Flows per year (mean of replications)", headers, body, "flows")


def html_table(title: str, headers: Sequence[str], body: list[list[str]], table_id: str) -> str:
    """A heading and an HTML table; cells are escaped here, numeric-looking cells right-aligned."""
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    rows = []
    for row in body:
        cells = "".join(
            f'<td class="num">{_esc(c)}</td>' if _numeric(c) else f"<td>{_esc(c)}</td>" for c in row
        )
        rows.append(f"<tr>{cells}</tr>")
    if not body:
        rows.append(f'<tr><td colspan="{len(headers)}">no rows in this run</td></tr>')
    return (
        f'<h2>{_esc(title)}</h2><table id="{table_id}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def png_data_uri(fig: Figure) -> str:
    """A figure as a base64 PNG data URI, ready for an <img src>."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure_html(name: str, fig: Figure) -> str:
    caption = CHART_CAPTIONS.get(name, name)
    return (
        f'<figure id="chart-{name}"><img alt="{_esc(caption)}" src="{png_data_uri(fig)}">'
        f"<figcaption>{_esc(caption)}</figcaption></figure>"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _number(value: float) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return "–"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _mean_ci(mean: float, ci: float, divisor: float) -> str:
    text = _number(mean / divisor)
    if isinstance(ci, int | float) and not math.isnan(ci) and ci > 0:
        text += f" ± {_number(ci / divisor)}"
    return text


def _percent(value: object) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return "–"
    return f"{value:.0%}"


def _numeric(cell: str) -> bool:
    return cell[:1].isdigit() or cell[:1] == "–"
