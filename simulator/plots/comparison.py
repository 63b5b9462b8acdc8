"""Scenarios against a base: the paired difference of yearly tonnes and its 95% CI, per crossing.

One panel per border crossing and one for the total delivered; in each, one marker per year
and variant with the confidence interval of the difference (not of either level), and a line
at zero for the base. Years are labelled as often as they fit, so a decade stays readable.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.plots import style
from simulator.report.build import Report
from simulator.report.compare import compare_reports
from simulator.report.tables import Table

PANEL_COLUMNS = 3
YEAR_LABEL_IN = 0.5  # width one year label needs at tick size


def compare_runs(
    report_a: Report, report_b: Report, label_a: str = "base", label_b: str = "variant"
) -> Figure:
    """The second run against the first (the reference), replication by replication."""
    return difference_chart(compare_reports(report_a, {label_b: report_b}), label_a)


def difference_chart(differences: Table, base: str) -> Figure:
    """Panels per crossing and the total: each variant's yearly difference from `base`, ± CI."""
    variants = list(dict.fromkeys(differences.column("variant")))
    crossings = sorted(set(differences.where(kind="border").column("name")))  # as in charts.py
    panels = [("border", name) for name in crossings]
    panels.append(("total", "all"))
    columns = min(PANEL_COLUMNS, len(panels))
    rows = math.ceil(len(panels) / columns)
    width, height = style.SLIDE_SIZE_IN
    fig = style.new_figure((width, max(height, 1.0 + 3.2 * rows)))
    axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, squeeze=False)).ravel()
    years = sorted(set(differences.column("year")))
    scale, unit = style.tonnes_scale(_largest(differences))
    colours = dict(zip(variants, style.PALETTE * len(variants), strict=False))
    for ax, (kind, name) in zip(axes, panels, strict=False):
        _panel(ax, differences.where(kind=kind, name=name), variants, years, colours, scale)
        title = "Total delivered" if kind == "total" else name
        style.label_axes(ax, title, "", "")
        _year_ticks(ax, years, width / columns)
    for i, ax in enumerate(axes):
        ax.set_visible(i < len(panels))
        ax.tick_params(labelbottom=i < len(panels) and i + columns >= len(panels))
    for ax in axes[::columns]:
        ax.set_ylabel(f"Change, {unit} a year", fontsize=style.LABEL_PT)
    handles = axes[0].get_legend_handles_labels()[0]
    labels = [h.get_label() for h in handles]
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=_legend_columns(labels, width),
        fontsize=style.LEGEND_PT,
        frameon=False,
    )
    title = f"Change from {base}: mean and 95% CI of the paired difference, both directions"
    fig.suptitle(
        textwrap.fill(title, 80, break_long_words=False, break_on_hyphens=False),
        fontsize=style.TITLE_PT,
    )
    return fig


def _legend_columns(labels: list[str], width_in: float) -> int:
    """As many legend columns (up to 4) as the longest label lets fit across the figure."""
    char_in = 0.6 * style.LEGEND_PT / 72  # a character's width, roughly, at the legend's size
    column_in = (max(map(len, labels), default=1) + 6) * char_in  # with the marker and a gap
    return max(1, min(len(labels), 4, int(width_in // column_in)))


def _panel(
    ax: Axes,
    rows: Table,
    variants: list[str],
    years: list[int],
    colours: dict[str, str],
    scale: float,
) -> None:
    ax.axhline(0.0, color=style.NO_DATA_COLOUR, linewidth=1.0, label="base (zero)")
    step = 0.7 / max(len(variants), 1)
    x = np.arange(len(years), dtype=float)
    for i, variant in enumerate(variants):
        found = {r["year"]: r for r in rows.where(variant=variant)}
        mean = np.array([found[y]["difference"] if y in found else np.nan for y in years])
        ci = np.array([found[y]["ci95"] if y in found else np.nan for y in years])
        ax.errorbar(
            x + (i - (len(variants) - 1) / 2) * step,
            mean / scale,
            yerr=np.nan_to_num(ci) / scale,
            fmt="o",
            markersize=5,
            capsize=3,
            color=colours[variant],
            label=variant,
            gid=f"difference:{variant}",
        )


def _year_ticks(ax: Axes, years: list[int], panel_width_in: float) -> None:
    """Every year a tick; labels every k-th year so that they never run together."""
    fits = max(1, int(panel_width_in / YEAR_LABEL_IN))
    every = math.ceil(len(years) / fits)
    labels = [str(y) if i % every == 0 else "" for i, y in enumerate(years)]
    ax.set_xticks(np.arange(len(years)), labels)
    ax.set_xlim(-0.5, len(years) - 0.5)


def _largest(differences: Table) -> float:
    values = [
        abs(r["difference"]) + (0.0 if math.isnan(r["ci95"]) else r["ci95"]) for r in differences
    ]
    return max(values, default=0.0)


def border_totals(report: Report) -> dict[int, float]:
    """Sum of the crossings' mean yearly tonnes, per year."""
    out: dict[int, float] = {}
    for row in report.yearly_summary.where(kind="border", direction="both"):
        out[row["year"]] = out.get(row["year"], 0.0) + row["tonnes_mean"]
    return out
