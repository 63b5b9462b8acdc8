"""The allocator setting that lets a long run's resident memory follow what it holds."""

from __future__ import annotations

import sys

import pytest

from simulator.experiment import allocator


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_the_threshold_is_set_on_linux():
    assert allocator.return_large_blocks() is True


def test_nothing_is_done_elsewhere(monkeypatch):
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.return_large_blocks() is False
