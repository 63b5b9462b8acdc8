"""Shared fixtures: where the repository is, and the tutorial scenario that every doc starts from."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    """The top folder of the repository (where pyproject.toml is)."""
    return REPO_ROOT


@pytest.fixture
def tutorial_path(repo_root: Path) -> Path:
    """scenarios/tutorial.yaml, the small valid scenario used across tests and docs."""
    return repo_root / "scenarios" / "tutorial.yaml"
