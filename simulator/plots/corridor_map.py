"""The corridor as a schematic map: nodes at their lat/lon, sections sized by tonnes, coloured by use.

Drawn from the report's network tables alone (no map tiles, nothing fetched), so it works offline.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patheffects import Normal, Stroke, withStroke
from matplotlib.text import Annotation

from simulator.plots.map_labels import place_labels
from simulator.plots.style import (
    LABEL_PT,
    LEGEND_PT,
    TICK_PT,
    crossing_colours,
    label_axes,
    mean_by,
    new_figure,
    no_data,
    tonnes_scale,
    utilisation_cmap,
)
from simulator.report.build import Report

MIN_WIDTH_PT, MAX_WIDTH_PT = 1.0, 14.0
UNKNOWN_USE_COLOUR = "#B0B0B0"
CROWDED_NODES = 12  # above this many nodes, junctions are drawn without a label
NODE_MARKERS = {"seaport": "v", "border": "s", "hub": "o", "junction": "o", "exit": ">"}


def section_width(tonnes: float, max_tonnes: float) -> float:
    """Line width in points: proportional to tonnes above a thin minimum that keeps links visible."""
    if max_tonnes <= 0 or math.isnan(tonnes):
        return MIN_WIDTH_PT
    return MIN_WIDTH_PT + (MAX_WIDTH_PT - MIN_WIDTH_PT) * max(tonnes, 0.0) / max_tonnes


def section_utilisation(report: Report, section: str, year: int) -> float:
    """Mean utilisation in a year of a section's resource (or its parts 'name/...', the busiest)."""
    rows = report.resources.where(year=year, kind="section")
    means = mean_by(rows, ["resource"], "utilisation")
    found = [
        u
        for (name,), u in means.items()
        if (name == section or name.startswith(section + "/")) and not math.isnan(u)
    ]
    return max(found) if found else math.nan


def last_year(report: Report) -> int:
    """The last year the report has section tonnes for (else its start year)."""
    years = report.yearly.where(kind="section").column("year")
    return max(years) if years else report.start_year


def _coordinates(report: Report) -> dict[str, tuple[float, float, dict[str, Any]]]:
    """Node id -> (lon, lat, row) for nodes that have both coordinates."""
    out = {}
    for row in report.network_nodes:
        lat, lon = row["lat"], row["lon"]
        if _finite(lat) and _finite(lon):
            out[str(row["id"])] = (float(lon), float(lat), row)
    return out


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def corridor_map(report: Report, year: int | None = None) -> Figure:
    """Nodes at lat/lon; section width ~ tonnes (both directions) and colour = utilisation, in a year."""
    year = last_year(report) if year is None else year
    fig = new_figure((10.0, 6.5))
    ax = fig.add_subplot()
    title = f"{report.scenario_name}: the corridor in {year}"
    where = _coordinates(report)
    label_axes(ax, title, "Longitude (°E)" + _unplaced_note(report, where), "Latitude (°N)")
    ax.grid(True, axis="both", alpha=0.3)
    if not where:
        no_data(ax, "No node has lat and lon in this scenario")
        return fig
    tonnes = mean_by(
        report.yearly.where(kind="section", direction="both", year=year), ["name"], "tonnes"
    )
    max_tonnes = max([t for t in tonnes.values() if not math.isnan(t)] + [0.0])
    cmap, norm = utilisation_cmap(), Normalize(0.0, 1.0)
    for sec in report.network_sections:
        a, b, name = str(sec["from"]), str(sec["to"]), str(sec["name"])
        if a not in where or b not in where:
            continue
        use = section_utilisation(report, name, year)
        colour = UNKNOWN_USE_COLOUR if math.isnan(use) else cmap(norm(use))
        width = section_width(tonnes.get((name,), 0.0), max_tonnes)
        xs, ys = (where[a][0], where[b][0]), (where[a][1], where[b][1])
        edge = [Stroke(linewidth=width + 1.5, foreground="#555555", capstyle="round"), Normal()]
        ax.plot(
            xs,
            ys,
            color=colour,
            lw=width,
            solid_capstyle="round",
            gid=f"section:{name}",
            path_effects=edge,
        )
    labels = _draw_nodes(ax, report, where)
    mean_lat = sum(v[1] for v in where.values()) / len(where)
    ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 0.1), adjustable="datalim")
    ax.margins(0.08)
    bar = fig.colorbar(ScalarMappable(norm, cmap), ax=ax, shrink=0.8)
    bar.set_label(f"Utilisation in {year} (share of capacity)", fontsize=LABEL_PT)
    _width_legend(ax, max_tonnes)
    place_labels(fig, ax, labels)
    return fig


def _unplaced_note(report: Report, where: dict[str, Any]) -> str:
    """A line under the x label naming the nodes without lat/lon, which the map cannot show."""
    missing = [
        short_name(str(r["name"] or r["id"]))
        for r in report.network_nodes
        if str(r["id"]) not in where
    ]
    if not missing or not where:
        return ""
    return "\n" + textwrap.fill("Not on the map (no lat/lon): " + ", ".join(missing), 90)


def short_name(name: str) -> str:
    """A node's name for a map label: without a trailing '(...)' explanation."""
    return name.split(" (")[0].strip() or name


def _draw_nodes(
    ax: Any, report: Report, where: dict[str, tuple[float, float, dict]]
) -> list[Annotation]:
    """Node symbols by kind, and their labels (crossings first: in their colour, bold), to be
    placed by `place_labels`."""
    colours = crossing_colours(report)
    crowded = len(where) > CROWDED_NODES
    labelled = {n: v for n, v in where.items() if not (crowded and v[2]["kind"] == "junction")}
    labels: list[tuple[int, Annotation]] = []
    for node_id, (lon, lat, row) in where.items():
        name = short_name(str(row["name"] or node_id))
        crossing = colours.get(node_id) or colours.get(str(row["name"]))
        kind = str(row["kind"])
        big = crossing is not None or kind in ("hub", "seaport", "border")
        ax.plot(
            lon,
            lat,
            marker=NODE_MARKERS.get(kind, "o"),
            markersize=12 if big else 7,
            markerfacecolor=crossing or "white",
            markeredgecolor="black",
            linestyle="none",
            zorder=3,
            gid=f"node:{node_id}",
        )
        if node_id not in labelled and not crossing:
            continue
        label = ax.annotate(
            name,
            (lon, lat),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=TICK_PT + (1 if crossing else -1),
            weight="bold" if crossing else "normal",
            color=crossing or "black",
            zorder=4,
            path_effects=[withStroke(linewidth=3, foreground="white")],
        )
        label.set_in_layout(False)  # a long name may overhang the frame; it must not shrink it
        labels.append((0 if crossing else 1, label))
    return [label for _, label in sorted(labels, key=lambda item: item[0])]


def _width_legend(ax: Any, max_tonnes: float) -> None:
    """Legend lines showing what a section's width means in tonnes."""
    if max_tonnes <= 0:
        return
    divisor, unit = tonnes_scale(max_tonnes)
    handles = [
        Line2D(
            [],
            [],
            color="#666666",
            lw=section_width(share * max_tonnes, max_tonnes),
            label=f"{share * max_tonnes / divisor:.3g} {unit}",
        )
        for share in (0.25, 0.5, 1.0)
    ]
    ax.legend(
        handles=handles,
        title="Cargo per year,\nboth directions",
        fontsize=LEGEND_PT,
        title_fontsize=LEGEND_PT,
        loc="best",
        labelspacing=1.2,
    )
