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


def _resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim: Linux only")
def test_trimming_hands_freed_heap_blocks_back():
    blocks = [bytearray(64 * 1024) for _ in range(1600)]  # 100 MB under the mmap threshold
    pinned = bytearray(64 * 1024)  # on top of them, so the heap's end stays in use
    del blocks
    before = _resident_mb()
    assert allocator.trim_heap() is True
    assert before - _resident_mb() > 50
    del pinned


def test_trimming_does_nothing_elsewhere(monkeypatch):
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.trim_heap() is False
