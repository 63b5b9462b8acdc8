"""Error types that carry where in a scenario file a problem lies, so the CLI can print it plainly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: file, line (1-based, 0 if unknown), key path and message."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class BrisimError(Exception):
    """Base class of every error the tool reports to users without a traceback."""


class ScenarioError(BrisimError):
    """A scenario file (or its overrides) is invalid; holds every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.path, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class ConservationError(BrisimError):
    """Tonnes or TEU were created or lost during a run: a bug in the model, never silent."""


class OutputError(BrisimError):
    """A run directory cannot be written or read as asked (exists, missing, damaged)."""
