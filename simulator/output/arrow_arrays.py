"""Arrow arrays over numpy memory, and numpy arrays back, without pyarrow's converters.

`pa.array`, `pa.table` and `to_numpy` import pandas where it is installed (about 50 MB of a
process's memory); records are now written while the simulation runs, so the writer builds its
arrays from buffers instead. The arrays, and so the files, are the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def array(values: np.ndarray, kind: pa.DataType, valid: np.ndarray | None = None) -> pa.Array:
    """An array of `kind` (a fixed-width number, timestamp or bool) holding `values`; rows where
    `valid` is False are null."""
    values = np.ascontiguousarray(values)
    data = np.packbits(values, bitorder="little") if kind == pa.bool_() else values
    bitmap = None
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(kind, len(values), [bitmap, pa.py_buffer(data)])


def strings(names: Sequence[str]) -> pa.Array:
    """A string array of `names`."""
    encoded = [name.encode("utf-8") for name in names]
    offsets = np.cumsum([0, *(len(e) for e in encoded)]).astype(np.int32)
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(names), [None, pa.py_buffer(offsets), data])


def table(columns: dict[str, pa.Array]) -> pa.Table:
    """A table of named arrays."""
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


def numbers(column: pa.ChunkedArray | pa.Array, dtype: type) -> np.ndarray:
    """A numpy copy of a column of fixed-width numbers with no nulls (one stored as `dtype`)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    parts = [np.zeros(0, dtype)]
    for chunk in chunks:
        raw = np.frombuffer(chunk.buffers()[1], dtype=dtype, count=chunk.offset + len(chunk))
        parts.append(raw[chunk.offset :])
    return np.concatenate(parts)


def plain_table(rows: dict[str, np.ndarray]) -> pa.Table:
    """Numpy columns as they are (bools as uint8), for a file only this code reads back."""
    return table({k: _plain(np.ascontiguousarray(a)) for k, a in rows.items()})


def plain_columns(part: pa.Table, dtypes: dict[str, type]) -> dict[str, np.ndarray]:
    """The columns of a `plain_table` back as numpy arrays of `dtypes`."""
    out = {}
    for name, dtype in dtypes.items():
        stored = np.uint8 if np.dtype(dtype) == np.bool_ else dtype
        out[name] = numbers(part.column(name), stored).astype(dtype, copy=False)
    return out


def _plain(a: np.ndarray) -> pa.Array:
    if a.dtype == np.bool_:
        a = a.view(np.uint8)
    return array(a, pa.from_numpy_dtype(a.dtype))
