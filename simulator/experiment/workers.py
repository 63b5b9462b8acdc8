"""Pool workers that die with their parent: a watchdog thread in each worker ends it when the
process that started it is gone (killed with SIGKILL, say), instead of blocking for ever.
"""

from __future__ import annotations

import os
import signal
import threading
import time

WATCH_SECONDS = 0.5
"""How often a worker checks that its parent is alive."""


def start_worker(parent_pid: int) -> None:
    """Initializer of every local pool worker: leave Ctrl-C to the parent, and watch it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(parent_pid)


def watch_parent(parent_pid: int, every_seconds: float = WATCH_SECONDS) -> threading.Thread:
    """Start a daemon thread that ends this process as soon as `parent_pid` is no longer its
    parent (an orphan is adopted by another process, so its parent id changes)."""
    thread = threading.Thread(
        target=_watch, args=(parent_pid, every_seconds), name="brisim-parent-watch", daemon=True
    )
    thread.start()
    return thread


def _watch(parent_pid: int, every_seconds: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(every_seconds)
    os._exit(1)  # the parent is gone: nobody waits for this worker's results
