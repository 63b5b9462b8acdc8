"""Files of a compare or sweep directory, each written whole or not at all.

Unlike a run directory, such a directory is reused: it keeps finished replications in
`replications/` so that the same command resumes after a kill, and its result files are
replaced atomically when the command finishes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from simulator.output.replication_cache import ReplicationCache

CACHE_DIR = "replications"


def result_cache(directory: Path) -> ReplicationCache:
    """The replication store of a compare or sweep directory."""
    return ReplicationCache(Path(directory) / CACHE_DIR)


def write_atomic(path: Path, text: str) -> Path:
    """Write text to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
