"""The on-disk column behind the transit sample gives back exactly what was put in."""

from __future__ import annotations

import numpy as np

from simulator.report.spill import SpilledColumn


def test_values_come_back_bit_for_bit_at_the_positions_asked() -> None:
    rng = np.random.default_rng(7)
    blocks = [rng.random(n) * 100.0 for n in (0, 5, 1000, 3)]
    column = SpilledColumn()
    for block in blocks:
        column.append(block)
    whole = np.concatenate(blocks)
    assert len(column) == len(whole)
    positions = np.array([1007, 0, 500, 1007, 4])
    got = column.at(positions)
    assert got.tobytes() == whole[positions].tobytes()
    column.close()


def test_an_empty_column_gives_nothing() -> None:
    column = SpilledColumn()
    assert len(column) == 0
    assert column.at(np.array([], dtype=int)).size == 0
    column.close()


def test_values_added_after_a_read_are_read_too() -> None:
    column = SpilledColumn()
    column.append(np.array([1.5, 2.5]))
    assert column.at(np.array([1])).tolist() == [2.5]
    column.append(np.array([3.5]))
    assert column.at(np.array([2, 0])).tolist() == [3.5, 1.5]
    column.close()
