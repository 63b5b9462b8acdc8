"""Charts as files: png, svg or pdf, written whole or not at all, with no date inside."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from matplotlib import rc_context
from matplotlib.figure import Figure

CHART_FORMATS = ("png", "svg", "pdf")
PNG_DPI = 100
SAVE_RC = {"svg.fonttype": "none"}  # SVG text stays text: searchable, selectable and editable
NO_DATE_METADATA: dict[str, dict[str, None] | None] = {
    "png": None,
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a file whole or not at all: into a temporary file beside it, then renamed."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    try:
        with open(tmp, "xb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save_figure(fig: Figure, path: Path, fmt: str) -> None:
    """Write a figure as png (at `PNG_DPI`), svg or pdf, without a creation date inside."""
    meta = NO_DATE_METADATA[fmt]
    with rc_context(SAVE_RC):
        write_atomically(path, lambda fh: fig.savefig(fh, format=fmt, dpi=PNG_DPI, metadata=meta))


def check_format(fmt: str) -> str:
    """The format if it is one `write_charts` writes, else a ValueError naming the choices."""
    if fmt not in CHART_FORMATS:
        choices = ", ".join(CHART_FORMATS)
        raise ValueError(f"unknown chart format {fmt!r}: expected one of {choices}")
    return fmt
