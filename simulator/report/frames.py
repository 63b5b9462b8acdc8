"""Tables as pandas DataFrames, for notebooks; pandas is the optional [pandas] extra."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.report.tables import Table, pandas_module


def frames_of(tables: Mapping[str, Table]) -> dict[str, Any]:
    """Every table as a DataFrame, by the same names (one clear error when pandas is missing)."""
    pd = pandas_module()
    return {name: pd.DataFrame(list(t.rows), columns=list(t.columns)) for name, t in tables.items()}
