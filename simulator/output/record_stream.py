"""A replication's records written to Parquet as the run goes, never held whole.

`RecordStream` is a `RecordSink` (records/sink.py). Lots are written in delivery order, the
order the engine hands them. Visits are stored grouped by train (records/stored.py), with ships
(train -1) first; a train's rows are complete once it has left the network, so the rows of
every train older than the oldest still on it are sorted and appended to a temporary file of
plain columns, and ships' rows (a few per call) are kept aside. At the end the ships' rows and
that file, read back a row group at a time, make the visits file. Both files have the same rows,
row groups and bytes as `write_records` gives for the whole records.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.experiment.allocator import trim_heap
from simulator.output import arrow_arrays as arrow
from simulator.output.locks import partial_prefix
from simulator.output.record_files import (
    LOTS_FILE,
    ROW_GROUP_ROWS,
    VISITS_FILE,
    lots_table,
    parquet_writer,
    visits_table,
    write_parquet,
)
from simulator.records.results import LOT_COLUMNS, VISIT_COLUMNS, RunResult
from simulator.records.stored import compact_lots, compact_visits, stored_order

Rows = dict[str, np.ndarray]
SORTED_FILE = ".visits-rep{}.by-train.parquet"
STALLED_ROWS = 1 << 18
"""Rows held back behind one old train (one held at its origin, or stuck behind a closure)
beyond which the writer asks which trains are still running and writes every other."""
TRIM_EVERY_GROUPS = 16
"""The temporary file is read back a month's row group at a time; blocks that size are served
from glibc's heap and left there, free, as the next ones are placed: every so many groups its
free pages go back to the system (a 30-year run's read-back held 40 MB more without)."""


def _concat(blocks: list[Rows], dtypes: dict) -> Rows:
    if not blocks:
        return {k: np.zeros(0, dtype=t) for k, t in dtypes.items()}
    return {k: np.concatenate([b[k] for b in blocks]) for k in dtypes}


def _take(rows: Rows, index: np.ndarray | slice) -> Rows:
    return {k: a[index] for k, a in rows.items()}


def _size(rows: Rows) -> int:
    return len(next(iter(rows.values())))


def _merged(late: Rows, part: Rows) -> Rows:
    """Rows of two sets of whole trains, each in stored order, merged by train number (no
    train is in both, so a stable sort by train keeps each train's rows in order)."""
    if not _size(late):
        return part
    rows = _concat([late, part], VISIT_COLUMNS)
    return _take(rows, np.argsort(rows["train"], kind="stable"))


class _GroupedFile:
    """A Parquet file written in row groups of exactly ROW_GROUP_ROWS rows (the last shorter),
    as `write_parquet` cuts a whole table; a file of one group is written by it directly."""

    def __init__(self, path: Path, table: Callable[[Rows], pa.Table], dtypes: dict) -> None:
        self.path, self.table, self.dtypes = path, table, dtypes
        self.blocks: list[Rows] = []
        self.buffered = 0
        self.writer: pq.ParquetWriter | None = None
        self.partial = path.with_name(f".{path.name}.partial")

    def add(self, rows: Rows) -> None:
        """Append rows; write every full row group."""
        if _size(rows):
            self.blocks.append(rows)
            self.buffered += _size(rows)
        while self.buffered > ROW_GROUP_ROWS:  # the last group may be full: it waits for close
            rows = _concat(self.blocks, self.dtypes)
            self._write(_take(rows, slice(0, ROW_GROUP_ROWS)))
            rest = _take(rows, slice(ROW_GROUP_ROWS, None))
            self.blocks, self.buffered = [rest], _size(rest)

    def _write(self, rows: Rows) -> None:
        table = self.table(rows)
        if self.writer is None:
            self.writer = parquet_writer(self.partial, table.schema)
        self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)

    def close(self) -> Path:
        """Write what is left and put the file in place."""
        rows = _concat(self.blocks, self.dtypes)
        self.blocks, self.buffered = [], 0
        if self.writer is None:
            write_parquet(self.partial, self.table(rows))
        else:
            self._write(rows)
            self.writer.close()
        os.replace(self.partial, self.path)
        return self.path

    def abandon(self) -> None:
        """Remove the partial file (the run failed)."""
        if self.writer is not None:
            self.writer.close()
        self.partial.unlink(missing_ok=True)


@dataclass
class VisitsFile:
    """The last step of a replication's records: its visits file, made from the temporary file
    of finished trains' rows with the ships' rows and late trains' rows merged in by train."""

    path: Path
    shell: RunResult
    sorted_path: Path | None  # the temporary file; None if no train finished
    ships: Rows  # in stored order
    late: Rows  # in stored order
    lots_path: Path  # the lots file, already complete

    def __call__(self) -> list[Path]:
        """Write the visits file (and remove the temporary one); returns both files made."""
        pool = pa.default_memory_pool()  # as RecordStream.begin: hold nothing between groups
        pa.set_memory_pool(pa.system_memory_pool())
        visits = _GroupedFile(
            self.path, functools.partial(visits_table, run=self.shell), VISIT_COLUMNS
        )
        try:
            visits.add(self.ships)
            late = self.late
            if self.sorted_path is not None:
                with pq.ParquetFile(self.sorted_path) as sorted_file:
                    for group in range(sorted_file.num_row_groups):
                        if group % TRIM_EVERY_GROUPS == 0:
                            trim_heap()
                        part = arrow.plain_columns(sorted_file.read_row_group(group), VISIT_COLUMNS)
                        cut = int(np.searchsorted(late["train"], part["train"][-1], "right"))
                        visits.add(_merged(_take(late, slice(0, cut)), part))
                        late = _take(late, slice(cut, None))
                self.sorted_path.unlink()
            visits.add(late)
            return [visits.close(), self.lots_path]
        except BaseException:
            visits.abandon()
            raise
        finally:
            pa.set_memory_pool(pool)


class RecordStream:
    """Writes one replication's visits and lots files into `directory` while it runs."""

    def __init__(self, directory: Path, replication: int) -> None:
        self.directory = Path(directory)
        self.replication = replication
        self.shell: RunResult | None = None
        self.lots_file: _GroupedFile | None = None
        self.pending: list[Rows] = []  # visits of trains that may still make more, record order
        self.ships: list[Rows] = []  # visits of ships (train -1), record order
        self.sorted_path = self.directory / SORTED_FILE.format(replication)
        self.sorted_writer: pq.ParquetWriter | None = None
        self.late: list[Rows] = []  # rows of trains that left after younger ones were written
        self.written_up_to = -1  # highest train number in the temporary file
        self.peak_rows = 0  # most visit rows held at once
        self.pool: pa.MemoryPool | None = (
            None  # Arrow's allocator before begin, put back at the end
        )

    def begin(self, shell: RunResult) -> None:
        """Open the lots file; the visits file is made at the end."""
        self.shell = shell
        # Arrow's own allocator keeps what a row group used for the next; over a run of hours
        # that is tens of MB held for nothing, so the writer allocates from the system's
        self.pool = pa.default_memory_pool()
        pa.set_memory_pool(pa.system_memory_pool())
        self.lots_file = _GroupedFile(
            self.directory / LOTS_FILE.format(self.replication),
            lambda rows: lots_table(rows, shell),
            LOT_COLUMNS,
        )

    def visits(self, block: Rows) -> None:
        """Keep a block of visit rows, times to the second as stored."""
        rows = compact_visits(block)
        ship = rows["train"] < 0
        if ship.any():
            self.ships.append(_take(rows, ship))
            rows = _take(rows, ~ship)
        self.pending.append(rows)

    def lots(self, block: Rows) -> None:
        """Write delivered lots in the order given."""
        assert self.lots_file is not None
        self.lots_file.add(compact_lots(block))

    def settled(
        self,
        hour: float,
        open_visits: Callable[[], Rows],
        first_open_train: int | None = None,
    ) -> None:
        """Write the rows of every train numbered below `first_open_train` (all have left); if
        one old train holds back too many rows, those of every train not in a visit now."""
        if first_open_train is None:
            return
        if sum(_size(b) for b in self.pending) <= STALLED_ROWS:
            self._write_done(first_open_train, None)
        else:
            self._write_done(first_open_train, np.unique(open_visits()["train"]))

    @property
    def held_rows(self) -> int:
        """Visit rows held now (trains still on the network, ships, late trains)."""
        blocks = self.pending + self.ships + self.late
        return sum(_size(b) for b in blocks)

    def _write_done(self, first_open: float, running: np.ndarray | None) -> None:
        """Append the rows of finished trains, sorted, to the temporary file: those numbered
        below `first_open`, or (given the trains in a visit now) all but those. A finished
        train numbered below one already written is kept aside (`late`) for the end."""
        self.peak_rows = max(self.peak_rows, self.held_rows)
        rows = _concat(self.pending, VISIT_COLUMNS)
        train = rows["train"]
        done = train < first_open
        if running is not None:
            done |= ~np.isin(train, running)
        late = done & (train <= self.written_up_to)
        if late.any():
            self.late.append(_take(rows, late))
        done &= ~late
        if not done.any():
            self.pending = [_take(rows, ~late)] if late.any() else [rows]
            return
        finished = _take(rows, done)
        self.pending = [_take(rows, ~(done | late))]
        finished = _take(finished, stored_order(finished))
        self.written_up_to = int(finished["train"][-1])
        table = arrow.plain_table(finished)
        if self.sorted_writer is None:
            self.sorted_writer = pq.ParquetWriter(self.sorted_path, table.schema, compression="lz4")
        self.sorted_writer.write_table(table)

    def seal(self) -> VisitsFile:
        """After the run's last rows: close the lots file and the temporary file; returns the
        step that makes the visits file from them (picklable: any process on this disk may run
        it, e.g. the one making the run directory while its workers go on)."""
        assert self.shell is not None and self.lots_file is not None
        self._write_done(np.inf, None)
        if self.sorted_writer is not None:
            self.sorted_writer.close()
        ships = _concat(self.ships, VISIT_COLUMNS)
        late = _concat(self.late, VISIT_COLUMNS)
        self.ships, self.late = [], []
        lots_path = self.lots_file.close()
        self._restore_pool()
        return VisitsFile(
            self.directory / VISITS_FILE.format(self.replication),
            self.shell,
            self.sorted_path if self.sorted_writer is not None else None,
            _take(ships, stored_order(ships)),
            _take(late, stored_order(late)),
            lots_path,
        )

    def finish(self) -> list[Path]:
        """After the run's last rows: write the visits file; returns the two files made."""
        return self.seal()()

    def _restore_pool(self) -> None:
        if self.pool is not None:
            pa.set_memory_pool(self.pool)
            self.pool = None

    def abandon(self) -> None:
        """Remove what was written (the run failed)."""
        if self.lots_file is not None:
            self.lots_file.abandon()
        if self.sorted_writer is not None:
            self.sorted_writer.close()
        self.sorted_path.unlink(missing_ok=True)
        self._restore_pool()


@contextmanager
def record_spool(target: str | Path) -> Iterator[Callable[[int], RecordStream]]:
    """Where replications write their records while a run directory is made: a hidden sibling
    of `target`, on its disk, removed afterwards (and, if the run dies, as the debris of a dead
    run; see locks.py). Yields `writer(replication)`, picklable for local process pools."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    spool = Path(tempfile.mkdtemp(prefix=partial_prefix(target) + "records-", dir=target.parent))
    try:
        yield functools.partial(RecordStream, spool)
    finally:
        shutil.rmtree(spool, ignore_errors=True)
