"""The HTML report: one offline file with the summary tables and every chart embedded."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.plots.charts import CHARTS
from simulator.plots.html_page import write_html_report
from simulator.report.summary import all_crossings, report_markdown
from simulator.scenario.loading import load_scenario
from tests.chart_fixtures import make_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOAD_PROBE = """<script>
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  const loaded = images.filter((i) => i.complete && i.naturalWidth > 0);
  document.body.setAttribute("data-images", images.length);
  document.body.setAttribute("data-loaded", loaded.length);
});
</script>"""


class _Page(HTMLParser):
    """Collects image sources, external references and table cells by table id."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.external: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src") or "")
        for key in ("src", "href"):
            if a.get(key) and not str(a[key]).startswith(("data:", "#")):
                self.external.append(str(a[key]))
        if tag in ("script", "link", "iframe", "object"):
            self.external.append(tag)
        if tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, _Page]:
    path = tmp_path_factory.mktemp("html") / "run" / "report.html"
    write_html_report(make_report(replications=3), path)
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return path, page


def test_every_chart_is_an_embedded_png_and_nothing_is_fetched(written):
    path, page = written
    assert len(page.images) == len(CHARTS)
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.external == []
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]  # no temporary file left


def test_crossing_table_has_the_means_and_confidence_intervals(written):
    _, page = written
    rows = page.tables["yearly-crossings"]
    assert rows[0] == ["Year", "altynkol", "dostyk", "All crossings"]
    summary = make_report(replications=3).yearly_summary
    for row in rows[1:]:
        year = int(row[0])
        for name, cell in zip(rows[0][1:3], row[1:3], strict=True):
            (rec,) = summary.where(year=year, kind="border", direction="both", name=name)
            mean, ci = (float(x) for x in cell.split(" ± "))
            assert mean == pytest.approx(rec["tonnes_mean"] / 1e6, abs=0.005)
            assert ci == pytest.approx(rec["tonnes_ci95"] / 1e6, abs=0.005)
    assert [r[0] for r in rows[1:]] == ["2022", "2023"]


def test_the_all_crossings_total_has_its_confidence_interval(written):
    _, page = written
    totals = all_crossings(make_report(replications=3))
    for row in page.tables["yearly-crossings"][1:]:
        mean, ci = (float(x) for x in row[-1].split(" ± "))
        assert mean == pytest.approx(totals[int(row[0])]["tonnes_mean"] / 1e6, abs=0.005)
        assert ci == pytest.approx(totals[int(row[0])]["tonnes_ci95"] / 1e6, abs=0.005)
        assert ci > 0


def test_every_table_of_report_md_is_on_the_page_cell_for_cell(written):
    _, page = written
    markdown = report_markdown(make_report(replications=3), {})
    tables = re.findall(r"(?:^\|.*\|\n)+", markdown, re.M)
    assert len(tables) >= 5  # crossings, flows, bottlenecks, busiest resources, conservation
    on_page = [rows for table_id, rows in page.tables.items() if table_id.startswith("md-")]
    assert len(on_page) == len(tables)
    for text, rows in zip(tables, on_page, strict=True):
        lines = [line for line in text.splitlines() if not set(line) <= set("|-: ")]
        assert rows == [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    ids = set(page.tables)
    for name in ("bottlenecks-of-each-year", "busiest-resources", "conservation-check"):
        assert f"md-{name}" in ids
    assert page.tables["md-busiest-resources"][0][4:6] == ["Waiting (train-h)", "Mean wait (h)"]


def test_description_and_conservation_are_on_the_page(tmp_path, tutorial_path):
    scenario = load_scenario(tutorial_path)
    path = tmp_path / "report.html"
    write_html_report(make_report(replications=3), path, scenario)
    text = path.read_text(encoding="utf-8")
    assert html.escape(" ".join(scenario.description.split())) in text
    assert "Conservation check: passed in every replication" in text
    assert f"<li>Seed: {scenario.seed}</li>" in text


def test_text_from_the_scenario_is_escaped(tmp_path):
    path = tmp_path / "report.html"
    write_html_report(make_report(name="<b>x & y</b>"), path)
    text = path.read_text(encoding="utf-8")
    assert "<b>x" not in text and "&lt;b&gt;x &amp; y&lt;/b&gt;" in text


def _chromium(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a fresh profile, offline, its console messages logged on stderr."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=10000",
        *options,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_report_renders_offline_in_headless_chromium(written, tmp_path):
    path, _ = written
    probe = tmp_path / "probe.html"  # the report itself carries no script; the test adds one
    probe.write_text(
        path.read_text(encoding="utf-8").replace("</body>", LOAD_PROBE + "</body>"),
        encoding="utf-8",
    )
    dom = _chromium(tmp_path, "--dump-dom", probe.as_uri()).stdout
    body = re.search(r'<body data-images="(\d+)" data-loaded="(\d+)"', dom)
    assert body is not None, dom[:500]
    assert (int(body[1]), int(body[2])) == (len(CHARTS), len(CHARTS))
    assert '<table id="yearly-crossings">' in dom and "All crossings" in dom


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_report_screenshot_is_a_full_page_without_console_errors(written, tmp_path):
    path, _ = written
    shot = tmp_path / "shot.png"
    result = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2400", path.as_uri())
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = (int.from_bytes(data[i : i + 4], "big") for i in (16, 20))
    assert (width, height) == (1200, 2400)
    assert len(data) > 50_000  # text, tables and charts, not a blank page
    broken = tmp_path / "broken.html"  # the same check sees an error when there is one
    broken.write_text("<html><body><script>console.error('oops')</script></body></html>")
    result = _chromium(tmp_path, f"--screenshot={tmp_path / 'b.png'}", broken.as_uri())
    assert any("CONSOLE" in line and "oops" in line for line in result.stderr.splitlines())
