"""Throughput against a swept parameter: where the corridor stops carrying more."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from simulator.plots import style
from simulator.report.tables import Table


def sweep_chart(table: Table, keys: Sequence[str]) -> Figure:
    """Mean yearly tonnes across the crossings and delivered (± 95% CI) against the first key;
    one line per value of the second key, if any."""
    fig = style.new_figure()
    ax = fig.subplots()
    x_key = keys[0]
    groups = list(dict.fromkeys(row[keys[1]] for row in table)) if len(keys) > 1 else [None]
    top = max([0.0, *table.column("crossings_tonnes_mean"), *table.column("delivered_tonnes_mean")])
    scale, unit = style.tonnes_scale(top)
    colours = iter(style.PALETTE * 4)
    for group in groups:
        rows = [r for r in table if group is None or r[keys[1]] == group]
        x = [r[x_key] for r in rows]
        numeric = all(isinstance(v, int | float) for v in x)
        xs = np.array(x, dtype=float) if numeric else np.arange(len(x))
        suffix = "" if group is None else f", {keys[1].split('.')[-1]} = {group}"
        for measure, what, dash in (
            ("crossings", "across the borders", "-"),
            ("delivered", "delivered", "--"),
        ):
            mean = np.array([r[f"{measure}_tonnes_mean"] for r in rows]) / scale
            ci = (
                np.nan_to_num(np.array([r[f"{measure}_tonnes_ci95"] for r in rows], dtype=float))
                / scale
            )
            colour = next(colours)
            ax.plot(xs, mean, dash, marker="o", color=colour, label=f"{what}{suffix}")
            ax.fill_between(xs, mean - ci, mean + ci, color=colour, alpha=0.2, linewidth=0)
        if not numeric:
            ax.set_xticks(xs, [str(v) for v in x])
    style.label_axes(
        ax,
        textwrap.fill(f"Yearly tonnes against {x_key}", 70, break_long_words=False),
        x_key,
        f"{unit} a year (mean, 95% CI)",
    )
    ax.set_ylim(bottom=0)
    style.add_legend(ax)
    return fig
