"""The chart pages of the docs: their commands and code run, their images exist, their claims hold."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from simulator import read_run
from simulator.plots.charts import CHARTS
from simulator.plots.comparison import border_totals
from simulator.plots.style import mean_by

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial" / "reading-charts.md"
HOW_TO = DOCS / "how-to" / "make-charts.md"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def blocks(page: Path, language: str) -> list[str]:
    """The fenced code blocks of one language on a page."""
    return re.findall(rf"```{language}\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def _env() -> dict[str, str]:
    """This interpreter's scripts (brisim) first on PATH, as in an activated environment."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def _make_figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder where every command of the two pages has run, in page order (each line once)."""
    work = tmp_path_factory.mktemp("docs")
    (work / "scenarios").symlink_to(ROOT / "scenarios")
    done: set[str] = set()
    for page in (TUTORIAL, HOW_TO):
        for block in blocks(page, "bash"):
            for line in filter(None, block.splitlines()):
                if line not in done:
                    done.add(line)
                    result = subprocess.run(
                        shlex.split(line),
                        cwd=work,
                        env=_env(),
                        capture_output=True,
                        text=True,
                        timeout=600,
                    )
                    assert result.returncode == 0, f"{line}\n{result.stderr}"
    return work


def test_commands_write_the_charts_and_page_the_docs_name(workdir):
    charts = workdir / "runs" / "tutorial" / "charts"
    for name in CHARTS:
        assert (charts / f"{name}.png").read_bytes().startswith(PNG_MAGIC)
        assert (charts / f"{name}.svg").is_file()
    assert (charts / "compare-four-tracks.png").read_bytes().startswith(PNG_MAGIC)
    assert "<table" in (workdir / "runs" / "tutorial" / "report.html").read_text(encoding="utf-8")


def test_the_python_example_of_the_how_to_runs(workdir):
    (code,) = blocks(HOW_TO, "python")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{len(CHARTS)} charts written"
    for name in ("yearly.png", "map-2022.pdf", "my-report.html", "compare.png"):
        assert (workdir / name).stat().st_size > 1000
    assert sorted(p.stem for p in (workdir / "my-charts").iterdir()) == sorted(CHARTS)


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


def test_make_figures_writes_every_image_small(tmp_path):
    result = subprocess.run(
        [sys.executable, str(DOCS / "make_figures.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=_env(),
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([*(f"{n}.png" for n in CHARTS), _make_figures().COMPARE_FILE])
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        width = int.from_bytes(data[16:20], "big")  # from the PNG header
        assert data.startswith(PNG_MAGIC) and width <= 1100 and len(data) < 300_000


def test_what_the_tutorial_says_about_its_charts_holds(workdir):
    saved = read_run(workdir / "runs" / "tutorial")
    report = saved.report()
    assert report.replications == saved.scenario.replications
    totals = border_totals(report)
    assert all(5.0e6 < t < 6.0e6 for t in totals.values())  # "a little under 6 million"
    west = report.yearly_summary.where(kind="border", direction="urumqi>aktogay")
    assert all(2.6e6 < t < 3.0e6 for t in west.column("tonnes_mean"))
    assert set(report.bottlenecks.where(rank=1).column("resource")) == {"dostyk"}
    use = mean_by(report.resources, ["resource", "year"], "utilisation")
    assert use[("dostyk-aktogay", 2023)] < 0.65 * use[("dostyk-aktogay", 2022)]  # "about 40%"
    queues = mean_by(report.queues, ["resource"], "queue_trains")
    assert max(queues.values()) < 1.0 and max(queues, key=queues.get) == ("dostyk",)
    days = {
        f: sorted(report.transit.where(flow=f).column("transit_days")) for f in saved.runs[0].flows
    }
    assert 5.5 < days["xian-europe"][len(days["xian-europe"]) // 2] < 6.5
    assert 1.2 < days["ore-east"][len(days["ore-east"]) // 2] < 1.8
    tonnes = mean_by(report.yearly.where(kind="section", year=2023), ["name"], "tonnes")
    thickest = sorted(tonnes, key=tonnes.get)[-2:]
    assert {n for (n,) in thickest} == {"urumqi-dostyk", "dostyk-aktogay"}


def test_the_fourth_track_lets_more_cargo_through_as_the_tutorial_says():
    module = _make_figures()
    demand = border_totals(module.tutorial_report(module.MORE_DEMAND))
    track = border_totals(module.tutorial_report([*module.MORE_DEMAND, *module.FOURTH_TRACK]))
    assert demand.keys() == track.keys() and all(track[y] > demand[y] for y in demand)
