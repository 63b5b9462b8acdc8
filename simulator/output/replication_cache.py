"""Finished replications on disk, so that a killed compare or sweep resumes where it stopped.

One file per replication, named by a hash of the resolved scenario (its name, description and
replication count left out: they do not change what a replication simulates) with the brisim
version, the seed and the replication. Each file is written to a temporary name and renamed,
so a kill never leaves half a file under a real name.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from simulator.experiment.outcomes import ReplicationOutcome
from simulator.scenario.model import Scenario
from simulator.version import __version__

LABELS = {"name", "description", "replications"}


def scenario_hash(scenario: Scenario) -> str:
    """A stable hash of what a scenario simulates (not of its labels or replication count)."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude=LABELS)
    text = json.dumps({"brisim": __version__, "scenario": data}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class ReplicationCache:
    """Replication outcomes under `directory`, keyed by scenario hash, seed and replication."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, scenario: Scenario, replication: int) -> Path:
        """Where one replication of a scenario is kept."""
        return (
            self.directory / scenario_hash(scenario) / f"seed{scenario.seed}-rep{replication}.pkl"
        )

    def load(self, scenario: Scenario, replication: int) -> ReplicationOutcome | None:
        """The saved outcome, or None when there is none (or it cannot be read)."""
        path = self.path(scenario, replication)
        try:
            with open(path, "rb") as fh:
                done = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        return done if isinstance(done, ReplicationOutcome) else None

    def save(self, scenario: Scenario, replication: int, done: ReplicationOutcome) -> None:
        """Keep one outcome (without its records), atomically."""
        path = self.path(scenario, replication)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(done, fh, protocol=pickle.HIGHEST_PROTOCOL)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
