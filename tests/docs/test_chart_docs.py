"""The chart pages of the docs: their commands and code run, their images exist, their claims hold."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from simulator.plots.chart_files import save_figure
from simulator.plots.charts import CHARTS
from simulator.plots.comparison import border_totals, compare_runs
from simulator.plots.style import mean_by
from simulator.report.build import Report

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial" / "reading-charts.md"
HOW_TO = DOCS / "how-to" / "make-charts.md"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def blocks(page: Path, language: str) -> list[str]:
    """The fenced code blocks of one language on a page."""
    return re.findall(rf"```{language}\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def _make_figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tutorial_report() -> Report:
    """The report of the run the tutorial page makes (two years, two replications)."""
    return _make_figures().tutorial_report()


def test_the_how_to_lists_every_chart_file_in_order():
    listed = re.findall(r"^\| `([a-z-]+)` \|", HOW_TO.read_text(encoding="utf-8"), re.M)
    assert listed == list(CHARTS)


def test_the_pages_show_the_images_make_figures_writes():
    module = _make_figures()
    written = {f"{name}.png" for name in CHARTS} | {module.COMPARE_FILE}
    shown = set(re.findall(r"\]\(\.\./images/([\w.-]+)\)", TUTORIAL.read_text(encoding="utf-8")))
    assert shown == written
    for name in written:
        assert (DOCS / "images" / name).read_bytes().startswith(PNG_MAGIC)


def test_every_docs_image_is_a_small_png_make_figures_writes():
    module = _make_figures()
    names = {
        *(f"{n}.png" for n in CHARTS),
        module.COMPARE_FILE,
        module.BASELINE_FILE,
        *module.SATURATION_FILES,
        *module.COMMAND_FILES,
    }
    assert {p.name for p in (DOCS / "images").iterdir()} == names
    for name in names:
        data = (DOCS / "images" / name).read_bytes()
        width = int.from_bytes(data[16:20], "big")  # from the PNG header
        assert data.startswith(PNG_MAGIC) and width <= 1100 and len(data) < 300_000


def test_what_the_tutorial_says_about_its_charts_holds(tutorial_report):
    report = tutorial_report
    assert report.replications == 2
    totals = border_totals(report)
    assert all(5.0e6 < t < 6.0e6 for t in totals.values())  # "a little under 6 million"
    west = report.yearly_summary.where(kind="border", direction="urumqi>aktogay")
    assert all(2.6e6 < t < 3.0e6 for t in west.column("tonnes_mean"))
    assert set(report.bottlenecks.where(rank=1).column("resource")) == {"dostyk"}
    use = mean_by(report.resources, ["resource", "year"], "utilisation")
    assert use[("dostyk-aktogay", 2023)] < 0.65 * use[("dostyk-aktogay", 2022)]  # "about 40%"
    queues = mean_by(report.queues, ["resource"], "queue_trains")
    assert max(queues.values()) < 1.0 and max(queues, key=queues.get) == ("dostyk",)
    flows = set(report.transit.column("flow"))
    days = {f: sorted(report.transit.where(flow=f).column("transit_days")) for f in flows}
    assert 5.5 < days["xian-europe"][len(days["xian-europe"]) // 2] < 6.5
    assert 1.2 < days["ore-east"][len(days["ore-east"]) // 2] < 1.8
    tonnes = mean_by(report.yearly.where(kind="section", year=2023), ["name"], "tonnes")
    thickest = sorted(tonnes, key=tonnes.get)[-2:]
    assert {n for (n,) in thickest} == {"urumqi-dostyk", "dostyk-aktogay"}


def test_readme_and_saturation_tutorial_show_images_make_figures_writes():
    module = _make_figures()
    pages = {
        ROOT / "README.md": (r"\]\(docs/images/([\w.-]+)\)", {module.BASELINE_FILE}),
        DOCS / "tutorial" / "saturation.md": (
            r"\]\(\.\./images/([\w.-]+)\)",
            set(module.SATURATION_FILES),
        ),
    }
    for page, (pattern, written) in pages.items():
        assert set(re.findall(pattern, page.read_text(encoding="utf-8"))) == written
        for name in written:
            data = (DOCS / "images" / name).read_bytes()
            assert data.startswith(PNG_MAGIC) and len(data) < 300_000
    text = (DOCS / "tutorial" / "saturation.md").read_text(encoding="utf-8")
    assert "for teu in " + " ".join(map(str, module.SATURATION_TEU)) + "; do" in text


def test_the_fourth_track_lets_more_cargo_through_and_make_figures_draws_it(tmp_path):
    module = _make_figures()
    demand = module.tutorial_report(module.MORE_DEMAND)
    track = module.tutorial_report([*module.MORE_DEMAND, *module.FOURTH_TRACK])
    before, after = border_totals(demand), border_totals(track)
    assert before.keys() == after.keys() and all(after[y] > before[y] for y in before)
    fig = compare_runs(demand, track, "400k TEU", "400k TEU and a 4th track")
    save_figure(fig, tmp_path / module.COMPARE_FILE, "png")
    assert (tmp_path / module.COMPARE_FILE).read_bytes().startswith(PNG_MAGIC)
