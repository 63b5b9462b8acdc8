"""Charts read report tables: titles, labels, legends and the plotted numbers, not pixels."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from simulator.plots import charts
from simulator.plots import style as chart_style
from simulator.plots.chart_files import write_atomically
from simulator.plots.charts import (
    CHARTS,
    monthly_throughput,
    queue_lengths,
    transit_times,
    utilisation_heatmap,
    write_charts,
    yearly_crossings,
)
from simulator.plots.comparison import compare_runs, difference_chart
from simulator.plots.corridor_map import corridor_map, section_width
from simulator.plots.style import colour_map, crossing_colours, mean_by, weekly_means
from simulator.report.compare import compare_reports
from simulator.report.tables import Table
from tests.chart_fixtures import SECTIONS, make_report

CHART_MODULES = (
    "simulator.plots",
    "simulator.plots.charts",
    "simulator.plots.chart_files",
    "simulator.plots.comparison",
    "simulator.plots.corridor_map",
    "simulator.plots.style",
    "simulator.plots.html_page",
)
PACKAGE_ROOT = Path(charts.__file__).parents[2]


@pytest.fixture(scope="module")
def report():
    return make_report(replications=3)


def _source(module: str) -> Path:
    path = PACKAGE_ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _imports(module: str) -> set[str]:
    tree = ast.parse(_source(module).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    parts = module.split(".")
    names |= {".".join(parts[:i]) for i in range(2, len(parts))}  # a module's packages run first
    return names


def test_chart_modules_never_reach_simpy_the_engine_or_pyplot():
    seen, todo = set(), list(CHART_MODULES)
    while todo:  # follow imports inside the package, so an indirect path is caught too
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for name in _imports(module):
            assert name.split(".")[0] != "simpy", f"{module} imports {name}"
            assert not name.startswith("simulator.engine"), f"{module}: {name}"
            assert name != "matplotlib.pyplot", f"{module}: {name}"
            if name.startswith("simulator."):
                todo.append(name)
    assert "simulator.report.build" in seen and "simulator.records.results" in seen


def _bars(ax) -> dict[str, BarContainer]:
    return {c.get_label(): c for c in ax.containers if isinstance(c, BarContainer)}


def test_yearly_bars_are_the_summary_means_with_their_confidence_intervals(report):
    fig = yearly_crossings(report)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "border crossing" in ax.get_title()
    assert ax.get_xlabel() == "Year" and "million t" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022", "2023"]
    rows = report.yearly_summary.where(kind="border", direction="both")
    bars = _bars(ax)
    assert sorted(bars) == ["altynkol", "dostyk"]
    for name, container in bars.items():
        mine = sorted(rows.where(name=name), key=lambda r: r["year"])
        heights = [p.get_height() for p in container.patches]
        assert heights == pytest.approx([r["tonnes_mean"] for r in mine])
        caps = container.errorbar.lines[2][0].get_segments()
        half = [(seg[1][1] - seg[0][1]) / 2 for seg in caps]
        assert half == pytest.approx([r["tonnes_ci95"] for r in mine])
        assert all(h > 0 for h in half)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"dostyk", "altynkol", "95% CI (3 replications)"} <= set(legend)


def test_stacked_bars_sit_on_each_other_and_totals_are_written():
    ax = yearly_crossings(make_report(replications=1)).axes[0]
    bars = _bars(ax)
    lower, upper = bars["altynkol"], bars["dostyk"]  # stacked in name order
    for low, up in zip(lower.patches, upper.patches, strict=True):
        assert up.get_y() == pytest.approx(low.get_y() + low.get_height())
    assert all(c.errorbar is None for c in bars.values())  # one replication: no CI bars
    totals = [t for t in ax.texts if t.get_gid() and t.get_gid().startswith("total:")]
    assert len(totals) == 2 and all("million t" in t.get_text() for t in totals)


def test_monthly_lines_per_crossing_and_markers_at_their_hours(report):
    fig = monthly_throughput(report)
    ax_t, ax_n = fig.axes[:2]
    assert "monthly" in ax_t.get_title() and "thousand t" in ax_t.get_ylabel()
    assert ax_n.get_ylabel() == "Trains per month" and ax_n.get_xlabel() == "Month"
    colours = crossing_colours(report)
    for ax, column in ((ax_t, "tonnes"), (ax_n, "trains")):
        lines = {
            ln.get_label(): ln for ln in ax.lines if not (ln.get_gid() or "").startswith("marker:")
        }
        assert sorted(lines) == ["altynkol", "dostyk"]
        for name, line in lines.items():
            means = mean_by(
                report.monthly.where(kind="border", name=name), ["year", "month"], column
            )
            assert list(line.get_ydata()[:-1]) == pytest.approx([means[k] for k in sorted(means)])
            assert line.get_xdata()[0] == mdates.date2num(dt.date(2022, 1, 1))
            assert line.get_xdata()[-1] == mdates.date2num(dt.date(2024, 1, 1))
            assert to_hex(line.get_color()) == colours[name]
        marks = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("marker:")]
        start = dt.datetime(2022, 1, 1)
        expected = [
            mdates.date2num(start + dt.timedelta(hours=h)) for h in report.markers.column("hour")
        ]
        assert sorted(ln.get_xdata()[0] for ln in marks) == pytest.approx(sorted(expected))
    assert {t.get_text() for t in ax_t.texts} == {"1", "2"}  # numbered badges on the lines
    notes = {t.get_text() for t in fig.axes[2].texts}  # and the notes listed below
    assert {"1  2022-03-01  flood at Dostyk", "2  2023-01-01  second track"} <= notes
    assert {t.get_text() for t in ax_n.get_legend().get_texts()} == {
        "capacity change",
        "disruption",
    }


def test_heatmap_holds_the_mean_utilisation_busiest_first(report):
    fig = utilisation_heatmap(report)
    ax = fig.axes[0]
    assert "utilisation" in ax.get_title() and ax.get_xlabel() == "Year"
    grid = np.asarray(ax.images[0].get_array())
    means = mean_by(report.resources, ["resource", "year"], "utilisation")
    names = [t.get_text().split(" (")[0] for t in ax.get_yticklabels()]
    assert names[:2] == ["dostyk-aktogay", "dostyk"]  # sorted by peak utilisation
    expected = [[means[(n, y)] for y in (2022, 2023)] for n in names]
    assert grid.ravel().tolist() == pytest.approx(np.ravel(expected).tolist())
    assert "Utilisation" in fig.axes[1].get_ylabel()  # the colour bar says what colour means


def test_heatmap_keeps_only_the_busiest_when_asked(report):
    ax = utilisation_heatmap(report, max_resources=2).axes[0]
    assert np.asarray(ax.images[0].get_array()).shape == (2, 2)
    assert "2 busiest" in ax.get_title()


def test_queue_lines_are_weekly_means_at_the_busiest_resources(report):
    ax = queue_lengths(report, top=2).axes[0]
    assert ax.get_ylabel().startswith("Trains waiting (weekly mean") and "Days" in ax.get_xlabel()
    lines = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("queue:")]
    mean_queue = mean_by(report.queues, ["resource"], "queue_trains")
    busiest = sorted(mean_queue, key=lambda k: -mean_queue[k])[:2]
    assert [ln.get_label() for ln in lines] == [b[0] for b in busiest]
    rows = report.queues.where(resource=busiest[0][0])
    first_week = [r["queue_trains"] for r in rows if r["hour"] < 168]
    assert lines[0].get_ydata()[0] == pytest.approx(np.mean(first_week))
    assert lines[0].get_xdata()[0] == 3.5
    marks = [ln.get_xdata()[0] for ln in ax.lines if (ln.get_gid() or "").startswith("marker:")]
    assert sorted(marks) == pytest.approx(sorted(h / 24 for h in report.markers.column("hour")))


def test_trains_still_waiting_at_the_end_are_drawn_dashed(report):
    """A queue that ends full draws, under its line, the part still waiting when the run ended."""
    columns = (*report.queues.columns, "queue_trains_open")
    last = max(report.queues.column("hour"))
    rows = tuple(
        (*r, r[3] if r[1] == last and i % 2 == 0 else 0) for i, r in enumerate(report.queues.rows)
    )
    with_open = dataclasses.replace(report, queues=Table(columns, rows))
    ax = queue_lengths(with_open, top=5).axes[0]
    dashed = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("queue-open:")]
    assert dashed and all(ln.get_linestyle() == "--" for ln in dashed)
    assert all(ln.get_ydata()[-1] > 0 and ln.get_ydata()[0] == 0 for ln in dashed)
    assert not [ln for ln in queue_lengths(report).axes[0].lines if "open" in (ln.get_gid() or "")]


def test_weekly_means_bin_by_seven_days():
    days, means = weekly_means([0.0, 24.0, 168.0, 0.0], [1.0, 3.0, 5.0, 2.0])
    assert days.tolist() == [3.5, 10.5] and means.tolist() == [2.0, 5.0]


def test_transit_boxes_have_the_median_of_each_flow(report):
    ax = transit_times(report).axes[0]
    assert ax.get_ylabel() == "Transit time (days)" and ax.get_xlabel() == "Flow"
    flows = [t.get_text() for t in ax.get_xticklabels()]
    assert flows == ["ore-east", "xian-europe"]
    for flow in flows:
        (median,) = [ln for ln in ax.lines if ln.get_gid() == f"median:{flow}"]
        data = report.transit.where(flow=flow).column("transit_days")
        assert median.get_ydata()[0] == pytest.approx(np.median(data))
    assert len(ax.get_legend().get_texts()) == 3


def _section_lines(ax) -> dict[str, object]:
    return {ln.get_gid()[8:]: ln for ln in ax.lines if (ln.get_gid() or "").startswith("section:")}


def test_map_widths_follow_tonnes_and_colours_follow_utilisation(report):
    fig = corridor_map(report)
    ax = fig.axes[0]
    assert "2023" in ax.get_title() and "Longitude" in ax.get_xlabel()
    assert "Latitude" in ax.get_ylabel()
    lines = _section_lines(ax)
    assert sorted(lines) == sorted(s[0] for s in SECTIONS)
    tonnes = mean_by(report.yearly.where(kind="section", year=2023), ["name"], "tonnes")
    by_tonnes = sorted(lines, key=lambda n: tonnes[(n,)])
    widths = [lines[n].get_linewidth() for n in by_tonnes]
    assert widths == sorted(widths) and widths[0] < widths[-1]
    assert widths[-1] == pytest.approx(section_width(1.0, 1.0))
    busy, idle = lines["dostyk-aktogay"].get_color(), lines["xian-urumqi"].get_color()
    assert busy != idle and to_hex(idle) == "#b0b0b0"  # no resource: drawn grey
    crossing = {t.get_text(): t for t in ax.texts if t.get_text() in ("Dostyk", "Altynkol")}
    colours = crossing_colours(report)
    assert to_hex(crossing["Dostyk"].get_color()) == colours["dostyk"]
    assert "Utilisation in 2023" in fig.axes[1].get_ylabel()


def test_map_year_parameter_picks_that_year(report):
    ax = corridor_map(report, year=2022).axes[0]
    assert "2022" in ax.get_title()
    low = _section_lines(ax)["aktogay-europe"].get_linewidth()
    high = _section_lines(corridor_map(report).axes[0])["aktogay-europe"].get_linewidth()
    assert low == pytest.approx(high)  # widths are relative to that year's busiest section


def test_compare_runs_shows_the_paired_difference_from_the_first_run():
    base = make_report(replications=2)
    upgrade = make_report(replications=2, crossings=("dostyk", "altynkol", "bakhty"), scale=1.2)
    fig = compare_runs(base, upgrade, "base", "second track")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    # crossings in the order of the single-run charts, then the total
    assert [ax.get_title() for ax in panels] == ["altynkol", "bakhty", "dostyk", "Total delivered"]
    assert "Change from base" in fig.get_suptitle() and "paired difference" in fig.get_suptitle()
    differences = compare_reports(base, {"second track": upgrade})
    scale, _ = chart_style.tonnes_scale(max(abs(d) for d in differences.column("difference")) * 2)
    (bars,) = [c for c in panels[2].containers if c.get_label() == "second track"]
    shown = bars.lines[0].get_ydata()
    rows = differences.where(kind="border", name="dostyk")
    assert list(shown) == pytest.approx([r["difference"] / scale for r in rows])
    caps = bars.lines[2][0].get_segments()  # the error bar spans the CI of the difference
    assert [s[1][1] - s[0][1] for s in caps] == pytest.approx([2 * r["ci95"] / scale for r in rows])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["base (zero)", "second track"]


def test_the_difference_chart_labels_years_without_overlap_for_a_decade():
    years = tuple(range(2022, 2034))
    base = make_report(replications=2, years=years)
    variants = {
        f"variant {i}": make_report(replications=2, years=years, scale=1 + i / 10) for i in range(3)
    }
    fig = difference_chart(compare_reports(base, variants), "base")
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["base (zero)", *variants]
    inside = fig.bbox
    assert fig.legends[0].get_window_extent(renderer).y0 >= inside.y0


def test_a_crossing_has_one_colour_in_every_chart(report):
    colour = crossing_colours(report)["dostyk"]
    yearly = _bars(yearly_crossings(report).axes[0])["dostyk"].patches[0]
    monthly = [ln for ln in monthly_throughput(report).axes[0].lines if ln.get_label() == "dostyk"]
    queue = [ln for ln in queue_lengths(report).axes[0].lines if ln.get_label() == "dostyk"]
    node = [ln for ln in corridor_map(report).axes[0].lines if ln.get_gid() == "node:dostyk"]
    found = {
        to_hex(yearly.get_facecolor()),
        to_hex(monthly[0].get_color()),
        to_hex(queue[0].get_color()),
        to_hex(node[0].get_markerfacecolor()),
    }
    assert found == {colour}


def test_colour_map_is_stable_distinct_and_can_avoid_colours():
    names = ["dostyk", "altynkol", "bakhty", "saryagash"]
    first = colour_map(names)
    assert first == colour_map(reversed(names))
    assert list(first.values()) == list(chart_style.PALETTE[:4])  # sorted names, palette order
    others = colour_map(["x", "y"], avoid=first.values())
    assert others.keys() == {"x", "y"} and not set(others.values()) & set(first.values())
    many = colour_map([f"c{i:02}" for i in range(12)])  # more names than colours: reused
    assert set(many.values()) == set(chart_style.PALETTE) and many["c08"] == many["c00"]


def test_a_border_node_without_cargo_keeps_its_colour_reserved():
    both = crossing_colours(make_report(crossings=("dostyk", "altynkol")))
    alone = crossing_colours(make_report(crossings=("dostyk",)))  # altynkol is still a node
    assert alone == both and both["dostyk"] != both["altynkol"]


def test_every_chart_renders_to_png_even_with_empty_tables(tmp_path):
    full = make_report(replications=1)
    empty = {name: Table(full.tables()[name].columns, ()) for name in ("queues", "transit")}
    sparse = dataclasses.replace(full, **empty)
    for rep in (full, sparse):
        for name, chart in CHARTS.items():
            fig = chart(rep)
            assert isinstance(fig.canvas, FigureCanvasAgg)  # no screen, no pyplot backend
            path = tmp_path / f"{name}.png"
            fig.savefig(path, dpi=50)
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = queue_lengths(sparse).axes[0].texts
    no_data = [t.get_text() for t in texts if t.get_gid() == "no-data"]
    assert no_data == ["No queue samples in this run"]


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_write_charts_writes_every_chart_under_its_stable_name(tmp_path, fmt, magic):
    rep = make_report(replications=2, years=(2022,))
    paths = write_charts(rep, tmp_path / "charts", fmt)
    assert [p.name for p in paths] == [f"{name}.{fmt}" for name in CHARTS]
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted(p.name for p in paths)
    assert all(p.read_bytes().startswith(magic) for p in paths)


def test_write_charts_rejects_an_unknown_format_before_writing(tmp_path):
    with pytest.raises(
        ValueError, match=r"unknown chart format 'jpg': expected one of png, svg, pdf"
    ):
        write_charts(make_report(), tmp_path / "out", "jpg")
    assert not (tmp_path / "out").exists()


def test_a_failed_write_leaves_no_file_behind(tmp_path):
    def fail(fh):
        fh.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(tmp_path / "chart.png", fail)
    assert list(tmp_path.iterdir()) == []


def test_mean_by_averages_over_replications_and_skips_nan():
    table = Table(("replication", "k", "v"), ((0, "a", 1.0), (1, "a", 3.0), (0, "b", math.nan)))
    means = mean_by(table, ["k"], "v")
    assert means[("a",)] == 2.0 and math.isnan(means[("b",)])
