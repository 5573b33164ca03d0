"""One release at a time per output folder: a lock on the folder that holds the site.

The lock is ``flock`` on the parent folder itself, so nothing is left behind, and the kernel drops it
when the process ends, however it ends (a SIGKILL included): a stale lock cannot stop the next run.
"""

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BusyError


@contextmanager
def site_lock(out: Path, wait: bool, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of out's parent folder for the block; wait for another run, or raise BusyError."""
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BusyError(
                    f"another release is publishing into {parent} now; stopped (run again without --no-wait to "
                    "wait for it)"
                ) from None
            say(f"waiting: another release is publishing into {parent}; this one starts when it ends")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock
