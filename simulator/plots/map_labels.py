"""Map labels placed where they touch no other label, node, legend or line, as far as possible.

Each label tries eight positions around its node, in a fixed order, and takes the first with the
lowest cost: overlapping another label, a node symbol or the legend costs most, leaving the map
frame nearly as much, and each section line crossed a little. Positions are measured in pixels
with the renderer, after the layout is fixed, so what is measured is what is drawn.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

# (x, y) offset in points, horizontal and vertical alignment
POSITIONS = (
    ((8, 6), "left", "bottom"),
    ((-8, 6), "right", "bottom"),
    ((8, -6), "left", "top"),
    ((-8, -6), "right", "top"),
    ((0, 10), "center", "bottom"),
    ((0, -10), "center", "top"),
    ((11, 0), "left", "center"),
    ((-11, 0), "right", "center"),
)
COST_OVERLAP, COST_OUTSIDE, COST_LINE = 100, 50, 1
NODE_BOX_PX = 7.0  # half the size of the box kept free around a node symbol


def place_labels(fig: Figure, ax: Axes, labels: list[Annotation]) -> None:
    """Fix the figure's layout, then move each label (in order) to its least crowded position."""
    fig.canvas.draw()  # runs the layout, so pixel positions are final
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    nodes, segments = _obstacles(ax)
    legend = ax.get_legend()
    taken = [legend.get_window_extent(renderer)] if legend is not None else []
    taken += [_node_box(x, y) for x, y in nodes]
    placed: list[Bbox] = []
    for label in labels:
        best: tuple[float, int] | None = None
        for i, (offset, ha, va) in enumerate(POSITIONS):
            box = _try(label, offset, ha, va, renderer)
            own = _node_box(*ax.transData.transform(label.xy))
            cost = COST_OVERLAP * sum(box.overlaps(b) for b in placed)
            cost += COST_OVERLAP * sum(box.overlaps(b) for b in taken if b.bounds != own.bounds)
            cost += COST_OUTSIDE * (not _inside(box, frame))
            cost += COST_LINE * sum(p.intersects_bbox(box, filled=False) for p in segments)
            if best is None or cost < best[0]:
                best = (cost, i)
            if cost == 0:
                break
        assert best is not None
        offset, ha, va = POSITIONS[best[1]]
        placed.append(_try(label, offset, ha, va, renderer))


def _try(label: Annotation, offset: tuple[int, int], ha: str, va: str, renderer) -> Bbox:
    label.xyann = offset
    label.set_horizontalalignment(ha)
    label.set_verticalalignment(va)
    return label.get_window_extent(renderer)


def _obstacles(ax: Axes) -> tuple[list[tuple[float, float]], list[Path]]:
    """Node positions and section segments, in pixels."""
    nodes, segments = [], []
    for line in ax.get_lines():
        if not isinstance(line, Line2D) or not str(line.get_gid() or "").startswith(
            ("node:", "section:")
        ):
            continue
        points = ax.transData.transform(line.get_xydata())
        if str(line.get_gid()).startswith("node:"):
            nodes.append((float(points[0][0]), float(points[0][1])))
        else:
            segments.append(Path(points))
    return nodes, segments


def _node_box(x: float, y: float) -> Bbox:
    return Bbox.from_extents(x - NODE_BOX_PX, y - NODE_BOX_PX, x + NODE_BOX_PX, y + NODE_BOX_PX)


def _inside(box: Bbox, frame: Bbox) -> bool:
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
