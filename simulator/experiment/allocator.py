"""Large freed blocks handed back to the system at once, so a long run's resident memory follows
what it holds rather than what it once held.

glibc's malloc serves a large block (a numpy array of a year's lots, a row group being written)
from its own heap once a block of that size has been freed before (its mmap threshold rises up
to 32 MB), and keeps such blocks when they are freed again: a run of 30 simulated years then
sat 40-60 MB above its live memory. Fixing the threshold keeps blocks of at least that size in
mappings of their own, returned to the system when freed (at the cost of fresh pages each
time, hence not for small blocks). Elsewhere (no glibc) nothing is done.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)
MMAP_THRESHOLD_BYTES = 1 << 20
"""Blocks of 1 MiB and more get mappings of their own. Smaller ones, allocated and freed by
the thousand while a run goes (a month's rows, a year's tables on small networks), stay in the
heap: mapping them afresh each time cost 5% more CPU on a single-node run."""


def _glibc(name: str):
    """glibc's function `name`, or None where this is not Linux or it has none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None


def return_large_blocks(threshold_bytes: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap threshold for this process; True where it was set."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, threshold_bytes))


def trim_heap() -> bool:
    """Hand the free pages inside glibc's heap back to the system (after a phase that made and
    freed many blocks under the mmap threshold, such as reading a file back); True where glibc
    was asked."""
    malloc_trim = _glibc("malloc_trim")
    if malloc_trim is None:
        return False
    malloc_trim.argtypes = (ctypes.c_size_t,)
    malloc_trim(0)
    return True
