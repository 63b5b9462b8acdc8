"""Numbers kept on disk while a run goes on: a column that grows with the horizon but is read
back only at a few positions at the end (the transit sample), so it costs no memory."""

from __future__ import annotations

import tempfile

import numpy as np

_DTYPE = np.dtype(np.float64)


class SpilledColumn:
    """Float64 values appended in blocks to an unnamed temporary file (gone when closed or
    when the process ends); `at` reads back the values at given positions, bit for bit."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open for the object's life
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, values: np.ndarray) -> None:
        """Add values at the end."""
        block = np.ascontiguousarray(values, dtype=_DTYPE)
        self._file.write(block.tobytes())
        self._count += len(block)

    def at(self, positions: np.ndarray) -> np.ndarray:
        """The values at `positions` (a copy in memory), in the order given."""
        if len(positions) == 0 or self._count == 0:
            return np.zeros(0)
        self._file.flush()
        mapped = np.memmap(self._file, dtype=_DTYPE, mode="r", shape=(self._count,))
        try:
            return np.array(mapped[np.asarray(positions, dtype=np.int64)])
        finally:
            del mapped

    def close(self) -> None:
        """Delete the file."""
        self._file.close()
