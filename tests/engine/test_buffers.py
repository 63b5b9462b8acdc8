"""The engine's buffers: pools of lots (FIFO across batches) and record rows packed in parts."""

from __future__ import annotations

import numpy as np

from simulator.engine.lots import Batch, DemandQueue, LotBuffer
from simulator.engine.rows import VISIT_PARTS, LotRows, RowBuffer
from simulator.records.results import GROW_FROM_ROWS, LOT_COLUMNS, VISIT_COLUMNS, Columns


def batch(released: list[float], wait: list[float]) -> Batch:
    return Batch(np.array(released), np.array(wait))


def test_a_pool_gives_the_oldest_lots_first_across_batches_with_their_waits_grown():
    pool = LotBuffer()
    pool.add(batch([1.0, 2.0, 3.0], [0.5, 0.5, 0.5]), 10.0)
    pool.add(batch([4.0, 5.0], [1.0, 2.0]), 12.0)
    assert len(pool) == 5 and pool.oldest_ready() == 10.0
    first = pool.take(2, 20.0)  # within the first batch
    assert first.released_h.tolist() == [1.0, 2.0]
    assert first.wait_h.tolist() == [10.5, 10.5]  # 0.5 + (20 - 10)
    both = pool.take(2, 30.0)  # the rest of the first batch and one of the second
    assert both.released_h.tolist() == [3.0, 4.0]
    assert both.wait_h.tolist() == [20.5, 19.0]  # ready at 10 and at 12
    assert len(pool) == 1 and pool.oldest_ready() == 12.0
    pool.add(batch([], []), 40.0)  # nothing arrives: nothing changes
    last = pool.take(1, 30.0)
    assert last.released_h.tolist() == [5.0] and last.wait_h.tolist() == [20.0]
    assert len(pool) == 0


def test_a_taken_lot_is_its_own_array_for_the_train():
    """A train's waits grow in place when it is held; the pool's later lots must not change."""
    pool = LotBuffer()
    pool.add(batch([1.0, 2.0, 3.0, 4.0], [0.0] * 4), 0.0)
    taken = pool.take(2, 5.0)
    taken.wait_h += 100.0
    assert pool.take(2, 5.0).wait_h.tolist() == [5.0, 5.0]


def test_lots_formed_at_their_origin_wait_from_release_to_formation():
    """Their waits are worked out late (when asked, or a block of trains at a time when their
    rows are copied): the values must be those of `formed - released` worked out at once."""
    year = [(2022, 0.0, 100.0)]
    queue = DemandQueue(year, 0.0, 100.0, lambda _: np.array([1.0, 2.5, 4.0, 7.25]), len)
    assert queue.time_of(3) == 7.25  # the year drawn, as formation asks before it takes
    first, second = queue.take(2, 10.0), queue.take(2, 12.0)
    assert first.wait_h.tolist() == [9.0, 7.5]
    second.wait_h += 3.0  # held at the origin: its wait grows in place
    rows = LotRows(LOT_COLUMNS)
    other = DemandQueue(year, 0.0, 100.0, lambda _: np.array([0.1, 0.2]), len)
    assert other.time_of(1) == 0.2
    late = other.take(2, 0.3)
    shipped = Batch(np.array([5.0]), np.array([0.0]))
    for flow, lots in enumerate((first, second, late, shipped)):
        rows.add(flow, lots.released_h, 20.0, 1.0, 10.0, lots.waits())
    got = rows.freeze()
    waits = [9.0, 7.5, 11.0, 7.75, 0.3 - 0.1, 0.3 - 0.2, 0.0]  # as stored (float32)
    assert got["formation_wait_h"].tolist() == np.array(waits, dtype=np.float32).tolist()
    assert got["flow"].tolist() == [0, 0, 1, 1, 2, 2, 3]
    assert got["released_h"].tolist() == [1.0, 2.5, 4.0, 7.25, 0.1, 0.2, 5.0]
    only_late = LotRows(LOT_COLUMNS)
    only_late.add(0, late.released_h, 20.0, 1.0, 10.0, late.waits())
    alone = np.array([0.3 - 0.1, 0.3 - 0.2], dtype=np.float32)
    assert only_late.freeze()["formation_wait_h"].tolist() == alone.tolist()


def test_rows_packed_in_parts_come_back_as_their_columns():
    rows = RowBuffer(VISIT_COLUMNS, parts=VISIT_PARTS)
    where, hours, own = rows.packs
    train = own(7, 1, 0.0, 4000.0, True)
    rows.rows += [where(3, 1, 2), hours(1.0, 1.5, 3.5, 2.0), train]
    rows.add(4, 2, -1, 8, 0, 2.0, 2.0, 5.0, 0.25, 100.0, 1100.0, False)  # column order
    got = rows.freeze()
    assert got["resource"].tolist() == [3, 4] and got["next"].tolist() == [2, -1]
    assert got["train"].tolist() == [7, 8] and got["cargo"].tolist() == [1, 0]
    assert got["start_h"].tolist() == [1.5, 2.0] and got["busy_h"].tolist() == [2.0, 0.25]
    assert got["tonnes"].tolist() == [4000.0, 1100.0] and got["teu"].tolist() == [0.0, 100.0]
    assert got["completed"].tolist() == [True, False]
    assert {k: a.dtype for k, a in got.items()} == {
        k: np.dtype(t) for k, t in VISIT_COLUMNS.items()
    }
    assert all(not a.flags.writeable for a in got.values())


def test_columns_join_their_blocks_in_order():
    cols = Columns({"a": np.int32, "b": np.float32})
    cols.extend(a=np.array([1, 2]), b=np.array([0.5, 1.5]))
    cols.extend(a=np.array([], dtype=np.int64), b=np.array([]))
    cols.extend(a=np.array([3]), b=np.array([2.5]))
    assert cols.size == 3
    got = cols.freeze()
    assert got["a"].tolist() == [1, 2, 3] and got["a"].dtype == np.int32
    assert got["b"].tolist() == [0.5, 1.5, 2.5] and got["b"].dtype == np.float32
    assert Columns({"a": np.int32}).freeze()["a"].dtype == np.int32  # empty: typed


def test_columns_grow_past_their_first_allocation_and_start_again_when_taken():
    cols = Columns({"a": np.int64, "b": np.float32})
    for start in range(0, 3 * GROW_FROM_ROWS + 5, 1000):  # several growths, blocks across them
        a = np.arange(start, start + 1000)
        cols.extend(a=a, b=a * 0.5)
    got = cols.take()
    assert got["a"].tolist() == list(range(len(got["a"]))) and len(got["a"]) == 13000
    assert np.array_equal(got["b"], (got["a"] * 0.5).astype(np.float32))
    assert cols.size == 0 and len(cols.arrays["a"]) == 0
    cols.extend(a=np.array([7]), b=np.array([1.0]))  # taken arrays stay as they were given
    assert cols.freeze()["a"].tolist() == [7] and got["a"][:2].tolist() == [0, 1]
