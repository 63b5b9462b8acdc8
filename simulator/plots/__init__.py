"""Presentation: report tables into matplotlib Figures, the corridor map, and the HTML page.

The only room that knows matplotlib; it never sees SimPy or records, only a `Report`. Exports
`write_charts`, `CHARTS`, `compare_runs`, `difference_chart`, `corridor_map` and `write_html_report`.
"""

from simulator.plots.chart_files import CHART_FORMATS
from simulator.plots.charts import CHARTS, write_charts
from simulator.plots.comparison import compare_runs, difference_chart
from simulator.plots.corridor_map import corridor_map
from simulator.plots.html_page import write_html_report
from simulator.plots.sweep_chart import sweep_chart

__all__ = [
    "CHARTS",
    "CHART_FORMATS",
    "compare_runs",
    "corridor_map",
    "sweep_chart",
    "difference_chart",
    "write_charts",
    "write_html_report",
]
