"""What crossed each border: trains counted when they enter the first section beyond it.

A crossing's handling can end long before a train leaves (it may wait in the yard for the line
beyond), so handling is not crossing. Here a crossing is a section visit that starts at a border
node, counted at its start (entry to the section); tonnes handled there that have not yet left
are a stock, reported at each period's end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from simulator.records.results import RunResult


@dataclass(frozen=True)
class Crossings:
    """One row per train that left a border crossing onto a section (entries before the horizon).

    `border` indexes `RunResult.resources` (the crossing's node); `came_from` is the node the
    train came from before the crossing (-1: formed at the crossing from lots brought by no
    train of the run), `to` the node the section leads to.
    """

    border: np.ndarray
    came_from: np.ndarray
    to: np.ndarray
    hour: np.ndarray
    tonnes: np.ndarray
    teu: np.ndarray
    formed: np.ndarray  # True where the train was formed at the crossing (side: the usual one)


def border_resources(run: RunResult) -> dict[int, int]:
    """Node index -> resource index of every border crossing."""
    by_name = {info.name: r for r, info in enumerate(run.resources) if info.kind == "node"}
    return {
        k: by_name[name]
        for k, name in enumerate(run.nodes)
        if name in by_name and run.resources[by_name[name]].node_kind == "border"
    }


def previous_visit(run: RunResult) -> np.ndarray:
    """Row of the same train's visit before each visit (-1 for its first); ships have none."""
    v = run.visits
    order = np.lexsort((v["end_h"], v["train"]))  # stable: a train's visits in the order made
    same = np.zeros(len(order), dtype=bool)
    same[1:] = v["train"][order[1:]] == v["train"][order[:-1]]
    same &= v["train"][order] >= 0
    before = np.full(len(order), -1, dtype=np.int64)
    before[order[1:]] = np.where(same[1:], order[:-1], -1)
    return before


def crossings(run: RunResult) -> Crossings:
    """Every entry onto a section out of a border crossing, with the side the train came from.

    A train formed at the crossing (containers transshipped into trains of the other gauge)
    takes the side most trains came from that were handled there for the same onward node.
    """
    v = run.visits
    borders = border_resources(run)
    is_section = np.array([info.kind == "section" for info in run.resources] + [False])
    res = v["resource"].astype(np.int64)
    started = v["completed"] | (v["start_h"] < v["end_h"])  # open visits: running at the end
    entered = is_section[res] & np.isin(v["prev"], list(borders)) & started
    rows = np.flatnonzero(entered)
    node_of_resource = {r: k for k, r in borders.items()}
    before = previous_visit(run)[rows]
    border = np.array([borders[int(k)] for k in v["prev"][rows]], dtype=np.int64)
    has_before = before >= 0
    came = np.full(len(rows), -1, dtype=np.int64)
    via = has_before.copy()
    via[has_before] = res[before[has_before]] == border[has_before]
    came[via] = v["prev"][before[via]]
    usual = _usual_sides(run, node_of_resource)
    for i in np.flatnonzero(~via):
        came[i] = usual.get((int(border[i]), int(v["next"][rows[i]])), -1)
    return Crossings(
        border=border,
        came_from=came,
        to=v["next"][rows].astype(np.int64),
        hour=v["start_h"][rows],
        tonnes=v["tonnes"][rows],
        teu=v["teu"][rows],
        formed=~via,
    )


def _usual_sides(run: RunResult, node_of_resource: dict[int, int]) -> dict[tuple[int, int], int]:
    """(border resource, onward node) -> the node most trains handled there came from."""
    counts: dict[tuple[int, int], Counter] = {}
    for r, nxt, prev in handled_sides(run, node_of_resource):
        counts.setdefault((r, nxt), Counter())[prev] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}


def handled_sides(
    run: RunResult, node_of_resource: dict[int, int], rows: np.ndarray | None = None
) -> zip:
    """(border resource, onward node, node it came from) of each train handled at a crossing
    and going on, in record order (among `rows`, a mask, if given)."""
    v = run.visits
    handled = np.isin(v["resource"], list(node_of_resource)) & v["completed"] & (v["next"] >= 0)
    if rows is not None:
        handled &= rows
    columns = (v["resource"][handled], v["next"][handled], v["prev"][handled])
    return zip(*(c.tolist() for c in columns), strict=True)


def held_at(
    run: RunResult, ends_h: np.ndarray, out_rows: Crossings | None = None
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per border resource: tonnes and TEU handled there but not yet left, at each given hour.

    Handled: the crossing's handling ended (trains that end there are left out); left: entered
    the section beyond. Counted from the start of the run; never below zero.
    """
    v = run.visits
    out_rows = crossings(run) if out_rows is None else out_rows
    ends = np.asarray(ends_h, dtype=float)
    held: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for r in border_resources(run).values():
        inbound = (v["resource"] == r) & v["completed"] & (v["next"] >= 0)
        in_end = v["end_h"][inbound]
        leave = out_rows.border == r
        sums = []
        for weights_in, weights_out in (
            (v["tonnes"][inbound], out_rows.tonnes[leave]),
            (v["teu"][inbound], out_rows.teu[leave]),
        ):
            came = _cumulative(in_end, weights_in, ends)
            went = _cumulative(out_rows.hour[leave], weights_out, ends)
            sums.append(np.maximum(came - went, 0.0))
        held[r] = (sums[0], sums[1])
    return held


def _cumulative(hours: np.ndarray, weights: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sum of weights with hour before each end."""
    order = np.argsort(hours, kind="stable")
    total = np.concatenate([[0.0], np.cumsum(np.asarray(weights, dtype=float)[order])])
    return total[np.searchsorted(np.asarray(hours)[order], ends, side="left")]
