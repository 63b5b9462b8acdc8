"""Report tables to matplotlib Figures (object-oriented API, no pyplot) and chart files on disk.

Every chart reads only a `Report`'s tables, never the engine, so charts of a run read back from
disk look exactly like those of a fresh run. The file names `write_charts` uses are `CHARTS` keys.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulator.plots import notes, style
from simulator.plots.chart_files import check_format, save_figure
from simulator.plots.corridor_map import corridor_map
from simulator.report.build import Report

MONTHLY_HEIGHT_IN = 7.0
FULL_TOTALS_UP_TO = 4  # years whose bar totals are written with their unit ('12.3 million t')
ROTATED_TOTALS_FROM = 12
CELL_NUMBERS_UP_TO = 15  # years of the heatmap with the percentage written in each cell  # more years than this: bar totals written upright, smaller  # two panels of readable height, whatever the notes below them


def yearly_crossings(report: Report) -> Figure:
    """Stacked bars of mean yearly tonnes per border crossing, with 95% CI bars when R > 1."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    top = draw_yearly_bars(ax, report, style.crossing_colours(report))
    style.label_axes(ax, f"{report.scenario_name}: cargo through each border crossing", "Year", "")
    style.tonnes_axis(ax, top, "Cargo per year, both directions")
    style.add_legend(ax, "Border crossing", reverse=True, **style.OUTSIDE_RIGHT)
    return fig


def draw_yearly_bars(
    ax: Axes, report: Report, colours: dict[str, str], base: dict[int, float] | None = None
) -> float:
    """One stacked bar per year, one segment per crossing, each total written on top (with its
    change against `base` totals per year when given); returns the tallest stack in tonnes."""
    rows = report.yearly_summary.where(kind="border", direction="both")
    years = sorted(set(rows.column("year")))
    if not years:
        style.no_data(ax, "No border crossing in this run")
        return 0.0
    means = {(r["name"], r["year"]): r["tonnes_mean"] for r in rows}
    cis = {(r["name"], r["year"]): r["tonnes_ci95"] for r in rows}
    x = np.arange(len(years))
    bottom, err = np.zeros(len(years)), np.zeros(len(years))
    with_ci = report.replications > 1
    for name in sorted(set(rows.column("name"))):
        heights = np.array([means.get((name, y), 0.0) for y in years], dtype=float)
        err = np.array([cis.get((name, y), 0.0) for y in years], dtype=float)
        yerr = np.nan_to_num(err) if with_ci else None
        ax.bar(
            x, heights, 0.6, bottom=bottom, color=colours[name], label=name, yerr=yerr, capsize=4
        )
        bottom += heights
    top = float(bottom.max())
    many = len(years) > FULL_TOTALS_UP_TO  # narrow bars: the number alone (the unit is on the axis)
    divisor, _unit = style.tonnes_scale(top)
    for xi, year, total, above in zip(x, years, bottom, np.nan_to_num(err), strict=True):
        text = f"{total / divisor:.3g}" if many else style.tonnes_text(total, top)
        if base and base.get(year):
            text += f"\n{100 * (total / base[year] - 1):+.0f}%"
        y = total + (above if with_ci else 0.0)
        ax.annotate(
            text,
            (xi, y),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=style.TICK_PT - (2 if len(years) > ROTATED_TOTALS_FROM else 0),
            rotation=90 if len(years) > ROTATED_TOTALS_FROM else 0,
            gid=f"total:{year}",
        )
    style.year_ticks(ax, years)
    ax.set_ylim(0, max(top, 1.0) * (1.4 if len(years) > ROTATED_TOTALS_FROM else 1.25))
    if with_ci:
        ax.plot([], [], "k|", markersize=10, label=f"95% CI ({report.replications} replications)")
    return top


def monthly_throughput(report: Report) -> Figure:
    """Monthly tonnes and trains per crossing over the horizon, with dated changes and disruptions
    (numbered on the chart, their notes listed below it, so that long notes squash nothing)."""
    notes_in = notes.notes_height_in(report.markers)
    fig = style.new_figure((style.SLIDE_SIZE_IN[0], MONTHLY_HEIGHT_IN + notes_in))
    panel_in = MONTHLY_HEIGHT_IN / 2
    ratios = [panel_in, panel_in, notes_in] if notes_in else [panel_in, panel_in]
    grid = fig.add_gridspec(len(ratios), 1, height_ratios=ratios)
    ax_t = fig.add_subplot(grid[0])
    ax_n = fig.add_subplot(grid[1], sharex=ax_t)
    rows = report.monthly.where(kind="border")
    colours = style.crossing_colours(report)
    if not len(rows):
        style.no_data(ax_t, "No monthly border crossing counts in this run")
    peak = 0.0
    for name in sorted(set(rows.column("name"))):
        mine = rows.where(name=name)
        for ax, column in ((ax_t, "tonnes"), (ax_n, "trains")):
            means = style.mean_by(mine, ["year", "month"], column)
            months = sorted(means)
            x = [mdates.date2num(dt.date(y, m, 1)) for y, m in months]
            x.append(mdates.date2num(_next_month(*months[-1])))
            y_values = [means[k] for k in months]
            y_values.append(y_values[-1])
            ax.plot(x, y_values, drawstyle="steps-post", color=colours[name], lw=2, label=name)
            if column == "tonnes":
                peak = max(peak, *y_values)
    style.label_axes(
        ax_t, f"{report.scenario_name}: monthly throughput per border crossing", "", ""
    )
    style.tonnes_axis(ax_t, peak, "Cargo per month")
    style.label_axes(ax_n, "", "Month", "Trains per month")
    ax_t.tick_params(labelbottom=False)
    for ax in (ax_t, ax_n):
        notes.mark_events(ax, report.markers, style.marker_date_x, badges=ax is ax_t)
        locator = mdates.AutoDateLocator(maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    style.add_legend(ax_t, "Border crossing", **style.legend_outside(len(colours)))
    style.event_legend(ax_n, report.markers)
    if notes_in:
        notes.write_notes(fig.add_subplot(grid[2]), report.markers)
    return fig


def _next_month(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1)


def utilisation_heatmap(report: Report, max_resources: int = 25) -> Figure:
    """Mean utilisation of each resource in each year; busiest resources on top."""
    means = style.mean_by(report.resources, ["resource", "kind", "year"], "utilisation")
    years = sorted({k[2] for k in means})
    names = sorted({k[:2] for k in means})
    peak = {n: max(_nan0(means.get((*n, y), math.nan)) for y in years) for n in names}
    names = sorted(names, key=lambda n: (-peak[n], n))[:max_resources]
    grid = np.array([[means.get((*n, y), math.nan) for y in years] for n in names], dtype=float)
    fig = style.new_figure((10.0, max(5.625, 1.8 + 0.32 * len(names))))
    ax = fig.add_subplot()
    busiest = f"the {len(names)} busiest resources" if len(names) < len(peak) else "resources"
    style.label_axes(ax, f"{report.scenario_name}: utilisation of {busiest}", "Year", "Resource")
    ax.grid(False)
    if not names:
        style.no_data(ax, "No resource statistics in this run")
        return fig
    image = ax.imshow(grid, cmap=style.utilisation_cmap(), vmin=0.0, vmax=1.0, aspect="auto")
    style.year_ticks(ax, years)
    ax.set_yticks(range(len(names)), [f"{n} ({k})" for n, k in names])
    if grid.size <= 300 and len(years) <= CELL_NUMBERS_UP_TO:
        for (i, j), value in np.ndenumerate(grid):
            if not math.isnan(value):
                colour = "white" if value > 0.6 else "black"
                ax.text(
                    j,
                    i,
                    f"{value:.0%}",
                    ha="center",
                    va="center",
                    color=colour,
                    fontsize=style.TICK_PT,
                )
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("Utilisation (share of capacity used)", fontsize=style.LABEL_PT)
    return fig


def _nan0(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def queue_lengths(report: Report, top: int = 5) -> Figure:
    """Trains waiting, weekly means, at the resources with the longest mean queues (daily samples)."""
    mean_queue = style.mean_by(report.queues, ["resource"], "queue_trains")
    busiest = sorted(mean_queue, key=lambda k: (-_nan0(mean_queue[k]), k))[:top]
    crossing = style.crossing_colours(report)
    others = style.colour_map([r for (r,) in busiest if r not in crossing], avoid=crossing.values())
    notes_in = notes.notes_height_in(report.markers)
    fig = style.new_figure((style.SLIDE_SIZE_IN[0], style.SLIDE_SIZE_IN[1] + notes_in))
    if notes_in:
        panel_in = style.SLIDE_SIZE_IN[1]
        ax, ax_notes = fig.subplots(2, 1, height_ratios=[panel_in, notes_in])
    else:
        ax = fig.add_subplot()
    has_open = "queue_trains_open" in report.queues.columns
    for (name,) in busiest:
        rows = report.queues.where(resource=name)
        days, means = style.weekly_means(rows.column("hour"), rows.column("queue_trains"))
        colour = crossing.get(name) or others[name]
        ax.plot(days, means, color=colour, lw=2, label=name, gid=f"queue:{name}")
        still = rows.column("queue_trains_open") if has_open else []
        if any(still):  # of those waiting, the trains still queued when the run ended
            days, means = style.weekly_means(rows.column("hour"), still)
            ax.plot(days, means, color=colour, lw=1, ls="--", gid=f"queue-open:{name}")
    if not busiest:
        style.no_data(ax, "No queue samples in this run")
    notes.mark_events(ax, report.markers, style.marker_day_x)
    style.label_axes(
        ax,
        f"{report.scenario_name}: trains waiting at the busiest resources",
        f"Days since the scenario start ({report.start_year})",
        "Trains waiting (weekly mean; dashed: still waiting at the end)",
    )
    ax.set_ylim(bottom=0)
    style.add_legend(ax, "Resource", **style.OUTSIDE_RIGHT)
    if notes_in:
        notes.write_notes(ax_notes, report.markers)
    return fig


def transit_times(report: Report) -> Figure:
    """Box plot of door-to-door transit days per flow (all replications pooled)."""
    flows = sorted(set(report.transit.column("flow")))
    data = [np.asarray(report.transit.where(flow=f).column("transit_days"), float) for f in flows]
    fig = style.new_figure()
    ax = fig.add_subplot()
    style.label_axes(
        ax, f"{report.scenario_name}: transit time per flow", "Flow", "Transit time (days)"
    )
    if not flows:
        style.no_data(ax, "No delivered lots sampled in this run")
        return fig
    parts = ax.boxplot(data, whis=(5, 95), showfliers=False, patch_artist=True, widths=0.5)
    for box in parts["boxes"]:
        box.set(facecolor="#9ecae1", edgecolor="black")
    for flow, median in zip(flows, parts["medians"], strict=True):
        median.set(color="black", lw=2, gid=f"median:{flow}")
    many = len(flows) > 4  # long names side by side would overlap: slant them
    ax.set_xticks(
        range(1, len(flows) + 1),
        flows,
        rotation=30 if many else 0,
        ha="right" if many else "center",
    )
    handles = [
        Patch(facecolor="#9ecae1", edgecolor="black", label="middle half of lots (25-75%)"),
        Line2D([], [], color="black", lw=2, label="median"),
        Line2D([], [], color="black", lw=1, label="whiskers: 5th-95th percentile"),
    ]
    ax.set_ylim(bottom=0)
    ax.legend(handles=handles, fontsize=style.LEGEND_PT, **style.OUTSIDE_RIGHT)
    return fig


CHARTS: dict[str, Callable[[Report], Figure]] = {
    "yearly-crossings": yearly_crossings,
    "monthly-throughput": monthly_throughput,
    "utilisation": utilisation_heatmap,
    "queues": queue_lengths,
    "transit-times": transit_times,
    "corridor-map": corridor_map,
}
"""Every chart of a report by its file name stem, in the order `write_charts` writes them."""


def write_charts(
    report: Report,
    directory: Path,
    fmt: str = "png",
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write every chart as DIRECTORY/<name>.<fmt> (names in `CHARTS`); returns the paths.
    `progress`, when given, is called with each chart's name before it is drawn."""
    check_format(fmt)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, chart in CHARTS.items():
        if progress is not None:
            progress(name)
        path = directory / f"{name}.{fmt}"
        save_figure(chart(report), path, fmt)
        paths.append(path)
    return paths
