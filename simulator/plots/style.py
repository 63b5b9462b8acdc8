"""Colours, fonts, figure sizes and table helpers shared by every chart, so all charts match.

Figures are built on the Agg canvas directly (no pyplot, no screen): they can be saved anywhere and
restyled in a notebook.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Colormap, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from simulator.report.build import Report
from simulator.report.tables import Table

SLIDE_SIZE_IN = (10.0, 5.625)  # 16:9; at 100 dpi a 1000 x 562 pixel image
TITLE_PT, LABEL_PT, TICK_PT, LEGEND_PT = 15, 13, 11, 11
NO_DATA_COLOUR = "#555555"
CHANGE_COLOUR, DISRUPTION_COLOUR = "#444444", "#C0392B"
# Okabe-Ito colours (safe for colour-blind readers; its yellow is too pale on white) and a purple.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7b3294", "#000000")
OUTSIDE_RIGHT: dict[str, Any] = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}
MAX_YEAR_LABELS = 10
TITLE_CHARS = 60  # a longer title is broken after the scenario name  # year labels on a slide-wide axis before they are thinned


def legend_outside(entries: int) -> dict[str, Any]:
    """Legend placement to the right of the axes, in two columns when it would be too tall."""
    return {**OUTSIDE_RIGHT, "ncols": 2 if entries > 8 else 1}


def year_ticks(ax: Axes, years: Sequence[int], axis: str = "x") -> None:
    """One tick per year at 0..n-1, labelled; past `MAX_YEAR_LABELS` only every k-th year is
    labelled (always the first), so the labels never run into each other."""
    step = max(1, math.ceil(len(years) / MAX_YEAR_LABELS))
    labels = [str(y) if i % step == 0 else "" for i, y in enumerate(years)]
    setter = ax.set_xticks if axis == "x" else ax.set_yticks
    setter(range(len(years)), labels)


def new_figure(size_in: tuple[float, float] = SLIDE_SIZE_IN) -> Figure:
    """A figure on its own Agg canvas, laid out so labels never overlap at slide size."""
    fig = Figure(figsize=size_in, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def utilisation_cmap() -> Colormap:
    """Yellow (idle) to dark red (saturated), without the palest yellows that vanish on white."""
    base = colormaps["YlOrRd"]
    return ListedColormap(base(np.linspace(0.2, 1.0, 256)), name="utilisation")


def wrap_title(title: str) -> str:
    """A long title on two lines, broken after the scenario name ('name:\\nwhat'), never inside it."""
    if len(title) <= TITLE_CHARS or ": " not in title:
        return title
    head, tail = title.split(": ", 1)
    return f"{head}:\n{tail}"


def label_axes(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    """Title, axis labels and tick sizes readable on a projected slide."""
    ax.set_title(wrap_title(title), fontsize=TITLE_PT)
    ax.set_xlabel(xlabel, fontsize=LABEL_PT)
    ax.set_ylabel(ylabel, fontsize=LABEL_PT)
    ax.tick_params(labelsize=TICK_PT)
    ax.grid(True, axis="y", alpha=0.3)
    ax.set_axisbelow(True)


def add_legend(ax: Axes, title: str | None = None, **kwargs: Any) -> None:
    """A legend at slide-readable size (only if something on the axes is labelled)."""
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(title=title, fontsize=LEGEND_PT, title_fontsize=LEGEND_PT, **kwargs)


def no_data(ax: Axes, message: str) -> None:
    """Say plainly on the chart that its table was empty, instead of drawing empty axes."""
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=LABEL_PT,
        color=NO_DATA_COLOUR,
        gid="no-data",
    )


def colour_map(names: Iterable[str], avoid: Iterable[str] = ()) -> dict[str, str]:
    """A colour per name, in sorted name order from `PALETTE` (most distinct first), skipping the
    colours in `avoid` (e.g. the crossings' own); colours repeat only past the palette's end."""
    reserved = set(avoid)
    free = [c for c in PALETTE if c not in reserved] or list(PALETTE)
    return {name: free[i % len(free)] for i, name in enumerate(sorted(set(names)))}


def crossings(report: Report) -> list[str]:
    """Names of the border crossings the report mentions (yearly and monthly), sorted."""
    names = set(report.yearly_summary.where(kind="border").column("name"))
    names |= set(report.monthly.where(kind="border").column("name"))
    return sorted(names)


def crossing_colours(report: Report) -> dict[str, str]:
    """The colour of each border crossing, the same in all charts of a report.

    Every border node of the network takes part, carrying cargo or not, so the variants of one
    corridor (an upgrade, more demand) give each crossing the same colour.
    """
    borders = {str(r["id"]) for r in report.network_nodes if r["kind"] == "border"}
    return colour_map(set(crossings(report)) | borders)


def tonnes_scale(max_tonnes: float) -> tuple[float, str]:
    """Divisor and unit word that keep tonnage tick labels short (million, thousand or plain)."""
    if max_tonnes >= 1e6:
        return 1e6, "million t"
    if max_tonnes >= 1e3:
        return 1e3, "thousand t"
    return 1.0, "t"


def tonnes_text(tonnes: float, max_tonnes: float | None = None) -> str:
    """Tonnes as short text at the scale of `max_tonnes` (default: its own), e.g. '12.3 million t'."""
    divisor, unit = tonnes_scale(tonnes if max_tonnes is None else max_tonnes)
    return f"{tonnes / divisor:.3g} {unit}"


def tonnes_axis(ax: Axes, max_tonnes: float, what: str) -> None:
    """Label the y axis in tonnes at a readable scale; the plotted data stay in plain tonnes."""
    divisor, unit = tonnes_scale(max_tonnes)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / divisor:g}"))
    ax.set_ylabel(f"{what} ({unit})", fontsize=LABEL_PT)


def mean_by(table: Table, keys: Sequence[str], value: str) -> dict[tuple[Any, ...], float]:
    """Mean of one column per group of key columns (e.g. over replications), NaNs left out."""
    groups: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in table:
        v = row[value]
        if isinstance(v, int | float) and not math.isnan(v):
            groups[tuple(row[k] for k in keys)].append(float(v))
        else:
            groups.setdefault(tuple(row[k] for k in keys), [])
    return {k: (sum(vs) / len(vs) if vs else math.nan) for k, vs in groups.items()}


def _as_date(value: object) -> dt.date | None:
    """A date from a table cell ('YYYY-MM-DD', a date, or empty/NaN for none)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return dt.date.fromisoformat(value.strip()[:10])
    return None


def marker_date_x(row: dict[str, object], end: bool) -> float | None:
    """A marker's x on a date axis: its date plus the time of day of its hour."""
    day = _as_date(row["end_date" if end else "date"])
    if day is None:
        return None
    hour = float(row["hour"]) % 24.0 if not end else 0.0  # type: ignore[arg-type]
    return float(mdates.date2num(dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour)))


def marker_day_x(row: dict[str, object], end: bool) -> float | None:
    """A marker's x on a days-since-start axis (end: from its end date's distance to its date)."""
    start = float(row["hour"]) / 24.0  # type: ignore[arg-type]
    if not end:
        return start
    first, last = _as_date(row["date"]), _as_date(row["end_date"])
    return start + (last - first).days if first and last else None


def event_legend(ax: Axes, markers: Table) -> None:
    """A legend that explains the marker lines (only for kinds present)."""
    kinds = set(markers.column("kind"))
    handles = []
    if kinds - {"disruption"}:
        handles.append(Line2D([], [], color=CHANGE_COLOUR, ls="--", label="capacity change"))
    if "disruption" in kinds:
        handles.append(Patch(color=DISRUPTION_COLOUR, alpha=0.3, label="disruption"))
    if handles:
        ax.legend(handles=handles, fontsize=LEGEND_PT, loc="upper left")


def weekly_means(hours: list[float], values: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the samples (all replications) in each 7-day week: (mid-week day, mean)."""
    week = (np.asarray(hours, dtype=float) // 168.0).astype(np.int64)
    sums = np.bincount(week, weights=np.asarray(values, dtype=float))
    counts = np.bincount(week)
    kept = np.flatnonzero(counts)
    return kept * 7.0 + 3.5, sums[kept] / counts[kept]
