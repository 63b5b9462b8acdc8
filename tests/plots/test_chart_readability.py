"""Charts stay readable from 1 to 30 years and 1 to 12 crossings with long notes: no two pieces
of text overlap and none is cut by the edge of the figure (measured with the renderer)."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from simulator.plots.chart_files import save_figure
from simulator.plots.charts import CHARTS
from simulator.plots.comparison import difference_chart
from simulator.report.compare import compare_reports
from tests.chart_fixtures import make_big_report

SHAPES = [(30, 12), (1, 1), (8, 4)]


def text_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """(text, window extent in pixels) of every text a drawn figure shows."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    hidden = _undrawn_tick_labels(fig)
    boxes = []
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip() and id(artist) not in hidden:
            boxes.append((artist.get_text(), artist.get_window_extent(renderer)))
    return boxes


def _undrawn_tick_labels(fig: Figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw: spare ticks, and ticks outside the view."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for ticks, locs in (
                (axis.get_major_ticks(), axis.get_majorticklocs()),
                (axis.get_minor_ticks(), axis.get_minorticklocs()),
            ):
                for i, tick in enumerate(ticks):
                    inside = i < len(locs) and lo - 1e-9 <= locs[i] <= hi + 1e-9
                    if not inside:
                        hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def overlaps(boxes: list[tuple[str, Bbox]]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than a pixel each way."""
    found = []
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        wide = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        tall = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if wide > 1 and tall > 1:
            found.append((a, b))
    return found


@pytest.fixture(scope="module", params=SHAPES, ids=lambda s: f"{s[0]}y-{s[1]}x")
def big_report(request):
    years, crossings = request.param
    return make_big_report(years=years, crossings=crossings)


@pytest.mark.parametrize("name", list(CHARTS))
def test_no_two_texts_overlap_and_none_is_cut(big_report, name):
    assert_readable(CHARTS[name](big_report))


def assert_readable(fig: Figure) -> None:
    """No two texts overlap and none is cut by the figure's edge."""
    boxes = text_boxes(fig)
    assert boxes
    assert overlaps(boxes) == []
    width, height = fig.canvas.get_width_height()
    for text, box in boxes:
        assert box.x0 >= -1 and box.y0 >= -1, f"{text!r} cut at the left or bottom"
        assert box.x1 <= width + 1 and box.y1 <= height + 1, f"{text!r} cut at the right or top"


def test_the_comparison_of_three_long_named_variants_stays_readable(big_report):
    variants = {
        f"{name}-with-a-second-track-and-a-doubled-exchange": big_report
        for name in ("dostyk-moiynty-2025", "border-exchange-2025", "all-upgrades")
    }
    fig = difference_chart(compare_reports(big_report, variants), "baseline-2022")
    assert_readable(fig)


def test_the_overlap_check_finds_an_overlap():
    fig = Figure()
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, "one label")
    fig.text(0.51, 0.5, "another label")
    fig.text(0.1, 0.1, "far away")
    assert overlaps(text_boxes(fig)) == [("one label", "another label")]


def test_notes_are_listed_once_each_and_the_panels_keep_their_height():
    report = make_big_report(years=30, crossings=12)
    fig = CHARTS["monthly-throughput"](report)
    texts = [" ".join(t.split()) for t, _ in text_boxes(fig)]
    labels = report.markers.column("label")
    assert len(set(labels)) == len(labels) == 6
    for label in labels:
        assert sum(label in t for t in texts) == 1, label
    assert "1, 2" in texts  # two notes of the same date share one badge
    fig.canvas.draw()
    tonnes_axes = fig.axes[0]
    assert tonnes_axes.get_window_extent().height > 0.22 * fig.bbox.height


def test_the_map_names_nodes_it_cannot_place():
    fig = CHARTS["corridor-map"](make_big_report(years=2, crossings=3))
    assert any("Somewhere Junction" in t for t, _ in text_boxes(fig))


def test_svg_text_stays_text(tmp_path):
    path = tmp_path / "chart.svg"
    save_figure(CHARTS["yearly-crossings"](make_big_report(years=2, crossings=2)), path, "svg")
    svg = path.read_text(encoding="utf-8")
    assert "<text" in svg and "cargo through each border crossing" in svg
