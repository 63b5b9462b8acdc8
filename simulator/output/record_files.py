"""One replication's records on disk: two Parquet files of plain columns and a JSON of the rest.

Any Parquet reader (pandas, polars, DuckDB, R arrow, Spark) reads the records without brisim.
Times are calendar timestamps to the whole second (the run's `start_date` at 00:00 plus the
simulated hours; no time zone), stored as Parquet TIMESTAMP(MILLIS) because Parquet has no
second unit. Names are strings, dictionary-encoded in the file. `engine.stored.compact` applies the same
order and rounding in memory, so a run read back is identical to the compacted run that was written.

visits-repN.parquet, one row per train passing a resource, grouped by train (in train number
order), each train's visits in the order it made them (by the time it left):
  train          int64      train number, unique within the run; -1 for ships at a port's berths
  resource       string     resource name, as in `resources` of run-repN.json
  resource_kind  string     node, section, exchange or berth
  from_node      string     node the train came from; null where the train was formed here
                            (and for ships)
  to_node        string     node the train goes to next; null where the train ends here
  cargo          string     container or bulk
  arrive         timestamp  when the train reached the resource (joined its queue)
  start          timestamp  when service began (entry to a section, slot seized at a node)
  end            timestamp  when it left; the counting point for yearly tonnage
  busy_s         int32      capacity used, seconds: slot time at a node, headway at a section
  teu            float32    TEU on the train (0 for bulk)
  tonnes         float32    cargo tonnes on the train
  completed      bool       false for a visit still open when the run ended (the train was
                            queued or in service there): its end is the horizon, its start the
                            horizon if service had not begun, busy_s the capacity used before it

lots-repN.parquet, one row per delivered lot, in delivery order:
  flow           string     flow name, as in `flows` of run-repN.json
  released       timestamp  when the lot was released to the network
  formed         timestamp  when the train carrying it left (released plus formation wait)
  delivered      timestamp  when it reached its destination
  teu            float32    TEU in the lot (0 for bulk)
  tonnes         float32    tonnes in the lot
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.output import arrow_arrays as arrow
from simulator.records.results import (
    LOT_COLUMNS,
    RESOURCE_KINDS,
    VISIT_COLUMNS,
    CapacityYear,
    FlowBalance,
    Marker,
    ResourceInfo,
    RunResult,
)
from simulator.records.stored import hours_of, seconds_of

VISITS_FILE = "visits-rep{}.parquet"
LOTS_FILE = "lots-rep{}.parquet"
META_FILE = "run-rep{}.json"
CARGO = ("container", "bulk")  # cargo code 0 and 1 of RunResult.visits
VISIT_STRINGS = ("resource", "resource_kind", "from_node", "to_node", "cargo")
VISIT_TIMES = ("arrive", "start", "end")
LOT_TIMES = ("released", "formed", "delivered")
# Measured on an eight-year corridor run: zstd 9 makes the files 7% smaller than zstd 3 and
# writes in about 0.35 s per simulated year (0.1 s at zstd 3); higher levels gain under 1% at twice
# the time. Timestamps take seven eighths of the space: delta encoding makes them larger (each
# train's times restart earlier than the last train's), while sorted train numbers take a third
# of the space with it. busy_s is written in full: null where it equals end - start saves under 3%.
ZSTD_LEVEL = 9
# Rows are written a row group at a time while the run goes (record_stream.py), so a group is
# what the writer holds: with 131,072 rows (8 MB of visits) instead of 1,048,576, the whole
# command of a 3-year baseline run peaked at 298 MB instead of 385 MB.
ROW_GROUP_ROWS = 1 << 17


def write_records(directory: Path, run: RunResult) -> list[Path]:
    """Write one replication's records (as `compact` gives them) into `directory`.

    Returns the files written: the visits and lots Parquet files and the JSON of the rest.
    """
    rep = run.replication
    visits_path = directory / VISITS_FILE.format(rep)
    write_parquet(visits_path, visits_table(run.visits, run))
    lots_path = directory / LOTS_FILE.format(rep)
    write_parquet(lots_path, lots_table(run.lots, run))
    return [visits_path, lots_path, write_meta(directory, run)]


def write_meta(directory: Path, run: RunResult) -> Path:
    """Write the JSON of a replication's facts other than its visits and lots."""
    meta_path = directory / META_FILE.format(run.replication)
    meta_path.write_text(json.dumps(_meta(run), indent=1) + "\n", encoding="utf-8")
    return meta_path


def visits_table(v: dict[str, np.ndarray], run: RunResult) -> pa.Table:
    """Visit rows (as `compact` gives them) as the visits file stores them; names from `run`."""
    kinds = np.array([RESOURCE_KINDS.index(r.kind) for r in run.resources], np.int32)
    resource = np.asarray(v["resource"], np.int32)
    end, start = seconds_of(v["end_h"]), seconds_of(v["start_h"])
    return arrow.table(
        {
            "train": arrow.array(np.asarray(v["train"], np.int64), pa.int64()),
            "resource": _strings(resource, [r.name for r in run.resources]),
            "resource_kind": _strings(kinds[resource], RESOURCE_KINDS),
            "from_node": _strings(v["prev"], run.nodes),
            "to_node": _strings(v["next"], run.nodes),
            "cargo": _strings(v["cargo"], CARGO),
            "arrive": _timestamps(run.start_date, seconds_of(v["arrive_h"])),
            "start": _timestamps(run.start_date, start),
            "end": _timestamps(run.start_date, end),
            "busy_s": arrow.array(seconds_of(v["busy_h"]).astype(np.int32), pa.int32()),
            "teu": arrow.array(np.asarray(v["teu"], np.float32), pa.float32()),
            "tonnes": arrow.array(np.asarray(v["tonnes"], np.float32), pa.float32()),
            "completed": arrow.array(np.asarray(v["completed"], np.bool_), pa.bool_()),
        }
    )


def lots_table(lots: dict[str, np.ndarray], run: RunResult) -> pa.Table:
    """Lot rows (as `compact` gives them) as the lots file stores them; names from `run`."""
    released = seconds_of(lots["released_h"])
    return arrow.table(
        {
            "flow": _strings(lots["flow"], run.flows),
            "released": _timestamps(run.start_date, released),
            "formed": _timestamps(run.start_date, released + seconds_of(lots["formation_wait_h"])),
            "delivered": _timestamps(run.start_date, seconds_of(lots["delivered_h"])),
            "teu": arrow.array(np.asarray(lots["teu"], np.float32), pa.float32()),
            "tonnes": arrow.array(np.asarray(lots["tonnes"], np.float32), pa.float32()),
        }
    )


def _strings(codes: np.ndarray, names: Sequence[str]) -> pa.DictionaryArray:
    """Names for integer codes (negative: null), kept as codes plus the list of names."""
    codes = np.asarray(codes, np.int32)
    return pa.DictionaryArray.from_arrays(
        arrow.array(np.maximum(codes, 0), pa.int32(), codes >= 0), arrow.strings(list(names))
    )


def _timestamps(start_date: dt.date, seconds: np.ndarray) -> pa.Array:
    """Calendar times to the second, counted from midnight of `start_date`."""
    epoch_ms = int(np.datetime64(start_date, "ms").astype(np.int64))
    return arrow.array(np.asarray(seconds * 1000 + epoch_ms, np.int64), pa.timestamp("ms"))


def write_parquet(path: Path, table: pa.Table) -> None:
    """zstd, dictionary pages for names and small float sets, delta encoding for train numbers.

    The Arrow schema is not stored, so every reader sees plain strings and timestamps.
    """
    pq.write_table(table, path, row_group_size=ROW_GROUP_ROWS, **_options(table.schema))


def parquet_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """A writer of row groups with the options of `write_parquet` (the same bytes for the same
    row groups)."""
    return pq.ParquetWriter(path, schema, **_options(schema))


def _options(schema: pa.Schema) -> dict[str, Any]:
    names = schema.names
    strings = [n for n in names if pa.types.is_dictionary(schema.field(n).type)]
    return {
        "compression": "zstd",
        "compression_level": ZSTD_LEVEL,
        "use_dictionary": [*strings, "teu", "tonnes"],
        "column_encoding": {"train": "DELTA_BINARY_PACKED"} if "train" in names else None,
        "store_schema": False,
    }


def _meta(run: RunResult) -> dict[str, Any]:
    return {
        "scenario_name": run.scenario_name,
        "replication": run.replication,
        "seed": run.seed,
        "start_date": run.start_date.isoformat(),
        "horizon_hours": run.horizon_hours,
        "warmup_hours": run.warmup_hours,
        "nodes": list(run.nodes),
        "flows": list(run.flows),
        "resources": [[r.name, r.kind, r.node_kind, r.group] for r in run.resources],
        "released": {k: a.tolist() for k, a in run.released.items()},
        "backlog": {k: a.tolist() for k, a in run.backlog.items()},
        "routes": {k: a.tolist() for k, a in run.routes.items()},
        "capacity": [
            [c.resource, c.year, c.capacity_hours, c.closed_hours, c.per_direction_hours]
            for c in run.capacity
        ],
        "balances": [list(vars(b).values()) for b in run.balances],
        "markers": [[m.hour, m.end_hour, m.kind, m.target, m.label] for m in run.markers],
        "trains": run.trains,
        "events": run.events,
        "wall_seconds": run.wall_seconds,
    }


def read_records(directory: Path, replication: int) -> RunResult:
    """One replication's records as written by `write_records`, in hours and indexes again."""
    meta = json.loads((directory / META_FILE.format(replication)).read_text(encoding="utf-8"))
    start_date = dt.date.fromisoformat(meta["start_date"])
    nodes = tuple(meta["nodes"])
    flows = tuple(meta["flows"])
    resources = tuple(ResourceInfo(*r) for r in meta["resources"])
    f = _read_parquet(directory / VISITS_FILE.format(replication), VISIT_STRINGS)
    arrive, start, end = (_seconds_since(start_date, f[name], name) for name in VISIT_TIMES)
    visits = {
        "resource": _codes(f["resource"], [r.name for r in resources], "resource"),
        "prev": _codes(f["from_node"], nodes, "node"),
        "next": _codes(f["to_node"], nodes, "node"),
        "train": _numbers(f["train"], "train"),
        "cargo": _codes(f["cargo"], CARGO, "cargo"),
        "arrive_h": hours_of(arrive),
        "start_h": hours_of(start),
        "end_h": hours_of(end),
        "busy_h": hours_of(_numbers(f["busy_s"], "busy_s")),
        "teu": _numbers(f["teu"], "teu"),
        "tonnes": _numbers(f["tonnes"], "tonnes"),
        "completed": _numbers(f["completed"], "completed"),
    }
    f = _read_parquet(directory / LOTS_FILE.format(replication), ("flow",))
    released, formed, delivered = (_seconds_since(start_date, f[name], name) for name in LOT_TIMES)
    lots = {
        "flow": _codes(f["flow"], flows, "flow"),
        "released_h": hours_of(released),
        "delivered_h": hours_of(delivered),
        "teu": _numbers(f["teu"], "teu"),
        "tonnes": _numbers(f["tonnes"], "tonnes"),
        "formation_wait_h": hours_of(formed - released, np.float32),
    }
    return RunResult(
        scenario_name=meta["scenario_name"],
        replication=meta["replication"],
        seed=meta["seed"],
        start_date=start_date,
        horizon_hours=meta["horizon_hours"],
        warmup_hours=meta["warmup_hours"],
        nodes=nodes,
        flows=flows,
        resources=resources,
        visits=_typed(visits, VISIT_COLUMNS),
        lots=_typed(lots, LOT_COLUMNS),
        released=_arrays(meta["released"], {"flow": np.int32, "month": np.int32}),
        backlog=_arrays(meta["backlog"], {"flow": np.int32, "year": np.int32}),
        routes=_arrays(
            meta.get("routes", {}),
            {"flow": np.int32, "year": np.int32, "group": str, "trains": np.int64},
        ),
        capacity=tuple(CapacityYear(*c) for c in meta["capacity"]),
        balances=tuple(FlowBalance(*b) for b in meta["balances"]),
        markers=tuple(Marker(*m) for m in meta["markers"]),
        trains=meta["trains"],
        events=meta["events"],
        wall_seconds=meta["wall_seconds"],
    )


def _read_parquet(path: Path, strings: Sequence[str]) -> pa.Table:
    """The file's columns; name columns come as dictionaries, so only the names are looked up."""
    return pq.read_table(path, read_dictionary=list(strings))


def _codes(column: pa.ChunkedArray, names: Sequence[str], what: str) -> np.ndarray:
    """Index into `names` of each value, -1 for null; an unknown name raises ValueError."""
    index = {name: i for i, name in enumerate(names)}
    parts = [np.empty(0, np.int32)]
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        unknown = [s for s in chunk.dictionary.to_pylist() if s not in index]
        if unknown:
            raise ValueError(f"{what} {unknown[0]!r} is not one of the run's {what}s")
        # the extra last entry -1 is where the null rows (code -1) point
        lookup = np.array([index[s] for s in chunk.dictionary.to_pylist()] + [-1], np.int32)
        codes = chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        parts.append(lookup[codes])
    return np.concatenate(parts)


def _seconds_since(start_date: dt.date, column: pa.ChunkedArray, name: str) -> np.ndarray:
    """Whole seconds from midnight of `start_date`; a fraction of a second raises ValueError."""
    if column.null_count:
        raise ValueError(f"column {name} has empty times")
    seconds = column.cast(pa.timestamp("s")).cast(pa.int64()).to_numpy()
    return seconds - int(np.datetime64(start_date, "s").astype(np.int64))


def _numbers(column: pa.ChunkedArray, name: str) -> np.ndarray:
    if column.null_count:
        raise ValueError(f"column {name} has empty values")
    return column.to_numpy()


def _typed(columns: dict[str, np.ndarray], dtypes: dict[str, Any]) -> dict[str, np.ndarray]:
    out = {}
    for name, dtype in dtypes.items():
        array = np.asarray(columns[name]).astype(dtype, copy=False)
        array.flags.writeable = False
        out[name] = array
    return out


def _arrays(lists: dict[str, list], ints: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.array(v, dtype=ints.get(k, np.float64)) for k, v in lists.items()}
