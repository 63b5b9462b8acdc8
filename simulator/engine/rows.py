"""Record buffers of a run: visit rows and delivered lots, gathered and copied in blocks.

Writing each visit or each train's lots into the numpy columns at once cost more than the
train's events; the same values copied a block at a time are identical and much cheaper.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.records.results import Columns

ROW_BLOCK = 4096
_STRUCT_CODES = {"i1": "b", "i4": "i", "i8": "q", "f4": "f", "f8": "d", "b1": "?"}


def row_format(dtypes: dict[str, Any]) -> tuple[struct.Struct, np.dtype]:
    """A struct that packs one row of these columns, and the numpy dtype that reads packed rows
    back (little-endian, no padding: the same bytes either way)."""
    codes = "".join(_STRUCT_CODES[np.dtype(t).str[1:]] for t in dtypes.values())
    packed = np.dtype([(k, np.dtype(t).newbyteorder("<")) for k, t in dtypes.items()])
    fmt = struct.Struct("<" + codes)
    assert fmt.size == packed.itemsize
    return fmt, packed


VISIT_PARTS = (("resource", "prev", "next"), ("arrive_h", "start_h", "end_h", "busy_h"))
"""A visit row is packed in three parts: where (the same for every train on a leg, packed
once), the hours, and the train's own columns (the rest, packed once per train)."""


@dataclass
class RowBuffer(Columns):
    """Columns that take rows packed as bytes and copy them into the arrays a block at a time.

    A row is appended as the bytes of its parts, one after the other (`parts` names the columns
    of each; the columns left over make the last part), each packed by `packs[i](*values)`.
    Writing one visit into eleven numpy arrays cost more than the train's SimPy events; a row
    packed as the columns' binary values, read a block at a time by numpy, gives the same
    values for a fraction of the cost of converting a tuple of Python numbers. Parts that stay
    the same for many rows are packed once and appended again.
    """

    parts: tuple[tuple[str, ...], ...] = ()
    rows: list[bytes] = field(default_factory=list)
    # where rows go instead of the columns, a block at a time (a RecordSink's `visits`)
    sink: Callable[[dict[str, np.ndarray]], None] | None = None
    packs: tuple[Callable[..., bytes], ...] = field(init=False, repr=False)
    block: int = field(init=False, repr=False)  # pending byte strings that make a block
    _parts: tuple[tuple[str, ...], ...] = field(init=False, repr=False)
    _packed: np.dtype = field(init=False, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        named = {c for part in self.parts for c in part}
        self._parts = (*self.parts, tuple(c for c in self.dtypes if c not in named))
        formats = [row_format({c: self.dtypes[c] for c in part}) for part in self._parts]
        self.packs = tuple(fmt.pack for fmt, _ in formats)
        order = [c for part in self._parts for c in part]
        self._packed = np.dtype([(c, np.dtype(self.dtypes[c]).newbyteorder("<")) for c in order])
        self.block = len(self._parts) * ROW_BLOCK

    def add(self, *values: float) -> None:
        """Append one row, its values in column order (for the rare rows: open visits, ships)."""
        by_name = dict(zip(self.dtypes, values, strict=True))
        for pack, part in zip(self.packs, self._parts, strict=True):
            self.rows.append(pack(*(by_name[c] for c in part)))
        if len(self.rows) >= self.block:
            self.flush()

    def flush(self) -> None:
        """Copy the pending rows into the columns (or hand them to the sink)."""
        if self.rows:
            table = np.frombuffer(b"".join(self.rows), dtype=self._packed)
            self.rows.clear()
            if self.sink is not None:
                self.sink({k: table[k].astype(t) for k, t in self.dtypes.items()})
            else:  # copied into the growing columns while the block's bytes are still warm
                self.extend(**{k: table[k] for k in self.dtypes})

    def freeze(self) -> dict[str, np.ndarray]:
        """Trimmed, read-only copies of the columns, pending rows included."""
        self.flush()
        return super().freeze()


@dataclass
class LotRows(Columns):
    """Columns of delivered lots that take a train's lots at a time and copy them in blocks.

    Four small arrays and a copy per delivered train cost more than its journey's events; the
    same rows gathered and copied a block at a time are identical.
    """

    trains: list[tuple] = field(default_factory=list)
    pending: int = 0  # lots in `trains`

    def add(
        self,
        flow: int,
        released_h: np.ndarray,
        delivered_h: float,
        teu: float,
        tonnes: float,
        wait_h: np.ndarray | float,
    ) -> None:
        """Add one train's lots: the same flow, delivery hour and size for each. `wait_h` is
        each lot's formation wait, or the hour the train formed (wait: that minus release)."""
        self.trains.append((flow, released_h, delivered_h, teu, tonnes, wait_h))
        self.pending += len(released_h)
        if self.pending >= ROW_BLOCK:
            self.flush()

    def flush(self) -> None:
        """Copy the pending trains' lots into the columns."""
        if not self.trains:
            return
        parts, self.trains, self.pending = self.trains, [], 0
        flows, released, delivered, teus, tonnes, waits = zip(*parts, strict=True)
        counts = [len(r) for r in released]
        released_h = np.concatenate(released)
        given = [k for k, w in enumerate(waits) if type(w) is np.ndarray]
        if len(given) == len(parts):
            wait_h = np.concatenate(waits)
        else:  # formed hour minus release, as Batch.wait_h would work it out
            formed = [np.nan if type(w) is np.ndarray else w for w in waits]
            wait_h = np.repeat(np.array(formed, dtype=np.float64), counts) - released_h
            if given:
                at = np.cumsum([0, *counts])
                for k in given:
                    wait_h[at[k] : at[k + 1]] = waits[k]
        self.extend(
            flow=np.repeat(np.array(flows), counts),
            released_h=released_h,
            delivered_h=np.repeat(np.array(delivered), counts),
            teu=np.repeat(np.array(teus), counts),
            tonnes=np.repeat(np.array(tonnes), counts),
            formation_wait_h=wait_h,
        )

    def freeze(self) -> dict[str, np.ndarray]:
        """Trimmed, read-only copies of the columns, pending lots included."""
        self.flush()
        return super().freeze()


VisitLog = Callable[[int, int, int, float, float, float, float], None]
"""Records one visit of a train: resource, from node, to node, arrive, start, end, busy hours."""


def visit_log(visits: RowBuffer, train: int, cargo: int, teu: float, tonnes: float) -> VisitLog:
    """A recorder of one train's visits (ships unloading), with its own columns filled in."""

    def visit(
        resource: int,
        from_node: int,
        to_node: int,
        arrive_h: float,
        start_h: float,
        end_h: float,
        busy_h: float,
    ) -> None:
        visits.add(
            resource, from_node, to_node, train, cargo, arrive_h, start_h, end_h, busy_h, teu,
            tonnes, True,
        )  # fmt: skip

    return visit
