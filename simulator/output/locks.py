"""One writer per run directory, and no debris of dead runs.

`claim_target` holds an exclusive lock beside the run directory (`.NAME.lock`, holding the
writer's pid) from before the simulation until the directory is in place, so a second run on
the same `--out` is refused at once; it also checks that the directory can be written there and
removes what dead runs left (`.NAME.partial-*`, `.NAME.old-*`). The lock is an `flock`, which
the system releases when its process dies, so a killed run never leaves a stale lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simulator.errors import OutputError

STALE_SECONDS = 24 * 3600.0
"""A partial directory untouched this long belongs to no live run, whatever its pid says."""


def lock_path(target: Path) -> Path:
    """The lock file of a run directory: a hidden sibling."""
    return target.parent / f".{target.name}.lock"


def partial_prefix(target: Path) -> str:
    """Name prefix of a run directory being written by this process (its pid is in the name)."""
    return f".{target.name}.partial-{os.getpid()}-"


@contextmanager
def claim_target(target: str | Path) -> Iterator[None]:
    """Hold the run directory's lock (OutputError if another run holds it or the place is not
    writable), after removing the debris of dead runs; released when the block ends."""
    path = Path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    fd = _lock(path)
    try:
        remove_debris(path, everything=True)
        yield
    finally:
        _unlock(path, fd)


def _lock(path: Path) -> int:
    """An open, locked file descriptor of the lock file, holding this process's pid."""
    lock = lock_path(path)
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _unwritable(path, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise _unwritable(path, exc) from None
            raise OutputError(
                f"another brisim run (pid {holder}) is writing {path}; wait for it to finish, "
                "or choose another --out"
            ) from None
        if _same_file(fd, lock):  # not unlinked by a writer that finished meanwhile
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            return fd
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _unlock(path: Path, fd: int) -> None:
    """Remove the lock file, then release it (in this order, see `_lock`)."""
    try:
        lock_path(path).unlink(missing_ok=True)
    finally:
        os.close(fd)


def _unwritable(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write the run directory {path} ({exc.strerror or exc}); "
        "choose an --out in a folder you can write to"
    )


def remove_debris(target: Path, everything: bool = False) -> list[Path]:
    """Remove partial and old copies of a run directory left by dead runs: all of them when the
    caller holds the lock, else those whose pid is gone or that are older than a day."""
    removed = []
    for kind in ("partial", "old"):
        for debris in target.parent.glob(f".{target.name}.{kind}-*"):
            if everything or _dead(debris, kind):
                shutil.rmtree(debris, ignore_errors=True)
                removed.append(debris)
    return removed


def _dead(debris: Path, kind: str) -> bool:
    """True if no live process is writing this partial directory."""
    try:
        age = time.time() - debris.stat().st_mtime
    except OSError:
        return False
    if age > STALE_SECONDS:
        return True
    pid = debris.name.rsplit(f".{kind}-", 1)[-1].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
