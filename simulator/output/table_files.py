"""One replication's report tables on disk (gzip JSON), so reports rebuild without its records.

Numbers keep their exact values and types (JSON writes floats so that they read back equal, NaN
included), so a report assembled from these files is identical to one built from the records.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from simulator.report.replication_tables import ReplicationTables
from simulator.report.tables import Table

TABLES_FILE = "tables-rep{}.json.gz"
FORMAT = 2
_TABLES = ("yearly_cells", "resources", "flows", "monthly", "transit", "conservation", "markers")


def write_replication_tables(directory: Path, part: ReplicationTables) -> Path:
    """Write one replication's tables into `directory`; returns the file written."""
    content: dict[str, Any] = {
        "format": FORMAT,
        "replication": part.replication,
        "network": [list(entity) for entity in part.network],
        "tables": {
            name: {"columns": list(t.columns), "rows": [list(r) for r in t.rows]}
            for name in _TABLES
            for t in (getattr(part, name),)
        },
        "queue_hours": list(part.queue_hours),
        "queue_trains": {name: list(counts) for name, counts in part.queue_trains.items()},
        "queue_open": {name: list(counts) for name, counts in part.queue_open.items()},
    }
    path = directory / TABLES_FILE.format(part.replication)
    data = json.dumps(content, separators=(",", ":")).encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile("", "wb", 6, raw, mtime=0) as fh:
        fh.write(data)  # no name or time in the header: the same tables give the same bytes
    return path


def read_replication_tables(directory: Path, replication: int) -> ReplicationTables:
    """One replication's tables as written by `write_replication_tables`.

    Raises OSError, ValueError, KeyError or TypeError when the file is missing or damaged.
    """
    path = directory / TABLES_FILE.format(replication)
    with gzip.open(path, "rb") as fh:
        content = json.loads(fh.read().decode("utf-8"))
    if content.get("format") != FORMAT or content.get("replication") != replication:
        raise ValueError(f"{path.name} is not the tables file of replication {replication}")
    tables = {
        name: Table(tuple(t["columns"]), tuple(tuple(r) for r in t["rows"]))
        for name, t in ((name, content["tables"][name]) for name in _TABLES)
    }
    return ReplicationTables(
        replication=replication,
        network=tuple((str(kind), str(name)) for kind, name in content["network"]),
        queue_hours=tuple(float(h) for h in content["queue_hours"]),
        queue_trains={str(k): tuple(int(c) for c in v) for k, v in content["queue_trains"].items()},
        queue_open={str(k): tuple(int(c) for c in v) for k, v in content["queue_open"].items()},
        **tables,
    )
