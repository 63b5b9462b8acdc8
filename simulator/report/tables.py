"""A small column table: what reports hold, CSV files contain and charts read (no pandas needed)."""

from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Table:
    """Named columns and rows of plain values (str, int, float); immutable."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @staticmethod
    def from_records(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> Table:
        """A table from dicts keyed by column name (missing keys become empty)."""
        cols = tuple(columns)
        return Table(cols, tuple(tuple(r.get(c, "") for c in cols) for r in records))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def column(self, name: str) -> list[Any]:
        """All values of one column."""
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def where(self, **equals: Any) -> Table:
        """Rows whose columns equal the given values."""
        idx = [(self.columns.index(k), v) for k, v in equals.items()]
        return Table(self.columns, tuple(r for r in self.rows if all(r[i] == v for i, v in idx)))

    def to_csv_text(self) -> str:
        """CSV text with a header row; floats written with up to 6 significant decimals."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_cell(v) for v in row])
        return buf.getvalue()

    def to_csv(self, path: Path) -> None:
        """Write the table as CSV."""
        Path(path).write_text(self.to_csv_text(), encoding="utf-8")

    @staticmethod
    def from_csv(path: Path) -> Table:
        """Read a CSV written by to_csv; numbers come back as int or float."""
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = tuple(next(reader))
            rows = tuple(tuple(_parse(v) for v in row) for row in reader)
        return Table(header, rows)

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (needs the [pandas] extra)."""
        return pandas_module().DataFrame(list(self.rows), columns=list(self.columns))

    def __repr__(self) -> str:
        shown = ", ".join(self.columns[:8]) + (", ..." if len(self.columns) > 8 else "")
        return f"<Table {len(self.rows)} rows × {len(self.columns)} columns: {shown}>"

    def _repr_html_(self, limit: int = 20) -> str:
        """An HTML table of the first `limit` rows, for Jupyter."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(_cell(v)))}</td>" for v in row) + "</tr>"
            for row in self.rows[:limit]
        )
        more = len(self.rows) - limit
        note = f"<p>… {more} more rows of {len(self.rows)}</p>" if more > 0 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def pandas_module() -> Any:
    """pandas, or an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "this needs pandas, an optional extra of brisim: pip install 'brisim[pandas]'"
        ) from None
    return pandas


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    return value


def _parse(text: str) -> Any:
    if text == "":
        return float("nan")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
