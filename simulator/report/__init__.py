"""Statistics: records of replications into yearly, monthly, resource and flow tables with CIs.

Pure functions of records and tables. Exports `build_report`, `assemble_report`, `Report`,
`Table`, and the markdown of `report.md` (`report_markdown`, `run_summary`).
"""

from simulator.report.build import REPORT_TABLES, Report, assemble_report, build_report
from simulator.report.summary import report_markdown, run_summary
from simulator.report.tables import Table

__all__ = [
    "REPORT_TABLES",
    "Report",
    "Table",
    "assemble_report",
    "build_report",
    "report_markdown",
    "run_summary",
]
