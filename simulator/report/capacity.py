"""The capacity bound as a table: per crossing and direction, and both directions together."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.report.tables import Table
from simulator.scenario.capacity_bound import Bound

CAPACITY_COLUMNS = ("crossing", "direction", "tonnes_per_year", "limiting_cut")


def capacity_table(bounds: Sequence[Bound]) -> Table:
    """Rows per crossing (then 'all'): each direction, then both together, with the cut named."""
    rows = [(b.crossing, b.direction, b.tonnes_per_year, ", ".join(b.cut)) for b in bounds]
    return Table(CAPACITY_COLUMNS, tuple(rows))


def capacity_lines(table: Table) -> list[str]:
    """The table as aligned text, tonnes in millions."""
    body = [
        (r["crossing"], r["direction"], f"{r['tonnes_per_year'] / 1e6:.2f}", r["limiting_cut"])
        for r in table
    ]
    head = ("crossing", "direction", "Mt a year", "limiting cut")
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    return [
        "  ".join(
            (x.rjust(w) if i == 2 else x.ljust(w))
            for i, (x, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in (head, *body)
    ]
