"""The sweep chart draws each point's mean tonnes against the varied value."""

from __future__ import annotations

import pytest

from simulator.plots.sweep_chart import sweep_chart
from simulator.report.tables import Table

COLUMNS = (
    "teu",
    "replications",
    "crossings_tonnes_mean",
    "crossings_tonnes_ci95",
    "delivered_tonnes_mean",
    "delivered_tonnes_ci95",
)


def test_lines_follow_the_means_against_the_first_key():
    rows = (
        (100, 3, 4e6, 1e5, 3.9e6, 1e5),
        (200, 3, 6e6, 1e5, 5.8e6, 1e5),
        (300, 3, 6.1e6, 2e5, 6e6, 1e5),
    )
    fig = sweep_chart(Table(COLUMNS, rows), ("teu",))
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.lines}
    assert set(lines) == {"across the borders", "delivered"}
    assert list(lines["across the borders"].get_xdata()) == [100, 200, 300]
    assert list(lines["delivered"].get_ydata()) == pytest.approx([3.9, 5.8, 6.0])
    assert "million t" in ax.get_ylabel() and ax.get_xlabel() == "teu"


def test_a_second_key_gives_one_line_per_value():
    columns = ("teu", "slots", *COLUMNS[1:])
    rows = tuple((t, s, 3, t * 1e4 * s, 0.0, t * 1e4, 0.0) for t in (1, 2) for s in (3, 4))
    ax = sweep_chart(Table(columns, rows), ("teu", "slots")).axes[0]
    labels = [line.get_label() for line in ax.lines]
    assert labels == [
        "across the borders, slots = 3",
        "delivered, slots = 3",
        "across the borders, slots = 4",
        "delivered, slots = 4",
    ]
