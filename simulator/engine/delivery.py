"""What the network hands back: lots delivered at their destination, and the year-end backlog."""

from __future__ import annotations

from collections.abc import Generator

import simpy

from simulator.engine.world import Train, World


def deliver(w: World, train: Train) -> None:
    """Lots reach their destination: record each and take the train off the network."""
    fs = train.flow
    lots = train.lots
    fs.delivered_lots += len(lots.released_h)
    w.lots.add(
        fs.index, lots.released_h, w.env._now, fs.teu_per_lot, fs.tonnes_per_lot, lots.waits()
    )
    del w.live[train.number]


def year_end_tally(w: World) -> Generator[simpy.Event, object, None]:
    """At each year end, note every flow's backlog: lots waiting or on trains."""
    for year, _, end in w.calendar.year_bounds():
        yield w.env.timeout(max(0.0, end - w.env.now - 1e-9))
        for fs in w.flows:
            lots = w.waiting_lots(fs, w.env.now, final=False) + w.on_train_lots(fs)
            w.backlog.append((fs.index, year, lots * fs.teu_per_lot, lots * fs.tonnes_per_lot))
