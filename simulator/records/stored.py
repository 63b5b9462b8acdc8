"""Records as a run directory stores them: visits grouped by train, times to the whole second.

Applied where a replication ends, so tables built in memory equal tables rebuilt from files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.records.results import RunResult

SECONDS_PER_HOUR = 3600.0


def seconds_of(hours: np.ndarray) -> np.ndarray:
    """Hours rounded to whole seconds, as int64."""
    return np.round(np.asarray(hours, dtype=np.float64) * SECONDS_PER_HOUR).astype(np.int64)


def hours_of(seconds: np.ndarray, dtype: Any = np.float64) -> np.ndarray:
    """Whole seconds back to hours, as a read-only array."""
    out = (np.asarray(seconds, dtype=np.int64) / SECONDS_PER_HOUR).astype(dtype)
    out.flags.writeable = False
    return out


def compact(run: RunResult) -> RunResult:
    """The run as it is stored: visits grouped by train, every record time to the second."""
    visits = compact_visits(run.visits)
    order = stored_order(visits)
    visits = {k: a[order] for k, a in visits.items()}
    for a in visits.values():
        a.flags.writeable = False
    return _replace(run, visits=visits, lots=compact_lots(run.lots))


def compact_visits(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Visit rows with every time to the second, in the order given (row by row)."""
    if not all(np.all(np.isfinite(v[k])) for k in ("arrive_h", "start_h", "end_h", "busy_h")):
        raise ValueError("record times must be finite to be stored")
    end, start = seconds_of(v["end_h"]), seconds_of(v["start_h"])
    served = np.abs(v["busy_h"] - (v["end_h"] - v["start_h"])) < 1e-6  # busy all its service
    busy = np.where(served, end - start, seconds_of(v["busy_h"]))
    visits = dict(v)
    for key, secs in (("arrive_h", seconds_of(v["arrive_h"])), ("start_h", start), ("end_h", end)):
        visits[key] = hours_of(secs)
    visits["busy_h"] = hours_of(busy)
    return visits


def stored_order(visits: dict[str, np.ndarray]) -> np.ndarray:
    """Row order of stored visits: by train, then end (stable: ties keep record order)."""
    return np.lexsort((visits["end_h"], visits["train"]))


def compact_lots(lots: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Lot rows with every time to the second."""
    out = dict(lots)
    for key in ("released_h", "delivered_h"):
        out[key] = hours_of(seconds_of(lots[key]))
    out["formation_wait_h"] = hours_of(seconds_of(lots["formation_wait_h"]), np.float32)
    return out


def _replace(run: RunResult, **changes: Any) -> RunResult:
    fields = {name: getattr(run, name) for name in run.__dataclass_fields__}
    fields.update(changes)
    return RunResult(**fields)
