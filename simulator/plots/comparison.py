"""Two runs side by side: yearly tonnes per crossing, and the change of each year's total."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.figure import Figure

from simulator.plots import style
from simulator.plots.charts import draw_yearly_bars
from simulator.report.build import Report


def compare_runs(
    report_a: Report, report_b: Report, label_a: str = "base", label_b: str = "variant"
) -> Figure:
    """Yearly tonnes per crossing of two runs side by side, with the change of each year's total."""
    colours = style.crossing_colours(report_a)  # as in the first run's own charts
    new = set(style.crossing_colours(report_b)) - set(colours)
    colours |= style.colour_map(new, avoid=colours.values())
    fig = style.new_figure()
    ax_a, ax_b = fig.subplots(1, 2, sharey=True)
    top_a = draw_yearly_bars(ax_a, report_a, colours)
    top_b = draw_yearly_bars(ax_b, report_b, colours, base=border_totals(report_a))
    top = max(top_a, top_b)
    style.label_axes(ax_a, textwrap.fill(label_a, 40), "Year", "")
    style.label_axes(ax_b, textwrap.fill(label_b, 40), "Year", "")
    style.tonnes_axis(ax_a, top, "Cargo per year, both directions")
    ax_a.set_ylim(0, max(top, 1.0) * 1.3)
    note = f"Cargo per border crossing (right: % change of each year's total from {label_a!r})"
    fig.suptitle(textwrap.fill(note, 90), fontsize=style.TITLE_PT)
    handles: dict[str, Any] = {}
    for ax in (ax_a, ax_b):
        for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(name, handle)
    ax_b.legend(
        list(handles.values()),
        list(handles),
        title="Border crossing",
        fontsize=style.LEGEND_PT,
        title_fontsize=style.LEGEND_PT,
        **style.OUTSIDE_RIGHT,
    )
    return fig


def border_totals(report: Report) -> dict[int, float]:
    """Sum of the crossings' mean yearly tonnes, per year."""
    out: dict[int, float] = {}
    for row in report.yearly_summary.where(kind="border", direction="both"):
        out[row["year"]] = out.get(row["year"], 0.0) + row["tonnes_mean"]
    return out
