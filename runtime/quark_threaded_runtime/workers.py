"""The threads that answer calls one each while calls are slow, so that a queue of slow calls holds up no one.

The server's leader hands a request to :meth:`Workers.hand_off`; an idle
worker takes it, or a new one starts while there are fewer than
``max_threads``. A worker waits ``WORKER_IDLE_SECONDS`` for more work,
then ends.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["SLOW_SECONDS", "WORKER_IDLE_SECONDS", "Threads", "Workers"]

log = logging.getLogger("quark_threaded_runtime.server")

SLOW_SECONDS = 0.01
"""A call that takes this long is slow: on the leader, another thread takes the lead."""
WORKER_IDLE_SECONDS = 2.0
"""How long a worker waits for more work before it ends."""


class Workers:
    """A pool of threads, each answering one request at a time with ``serve(*item)``.

    ``spawn(target)`` starts a thread; ``lock`` guards the counts (the
    server's own lock); ``still_slow(finished, busy)`` is told, under the
    lock, when a call took ``SLOW_SECONDS`` or more; ``drop(sock)`` closes a connection.
    """

    def __init__(
        self,
        serve: Callable[..., None],
        spawn: Callable[[Callable[[], None]], None],
        lock: threading.Lock,
        max_threads: int,
        still_slow: Callable[[float, int], None],
        drop: Callable[[Any], None],
    ) -> None:
        self._serve = serve
        self._spawn = spawn
        self._lock = lock
        self.max_threads = max_threads
        self._still_slow = still_slow
        self._drop = drop
        self._work: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._idle = 0
        self._count = 0
        self._busy = 0
        self._stopping = False

    def hand_off(self, item: Any) -> None:
        """Answer a request on a thread of its own (an idle one, or a new one while under ``max_threads``)."""
        with self._lock:
            self._work.put(item)
            if self._idle > 0:
                self._idle -= 1
                return
            if self._count >= self.max_threads:
                return
            self._count += 1
        try:
            self._spawn(self._work_on)
        except RuntimeError as error:
            with self._lock:
                self._count -= 1
            log.warning("cannot start another thread (%s): a call waits for a busy one", error)

    def stop(self, threads: int) -> None:
        """Tell the workers to end (at most ``threads`` of them)."""
        self._stopping = True
        for _ in range(threads):
            self._work.put(None)

    def take_waiting(self) -> list[Any]:
        """The sockets of the requests no worker took: nobody else will close them."""
        waiting = []
        while True:
            try:
                item = self._work.get_nowait()
            except queue.Empty:
                return waiting
            if item is not None:
                waiting.append(item[0])

    def _work_on(self) -> None:
        lock = self._lock
        try:
            while True:
                try:
                    item = self._work.get(timeout=WORKER_IDLE_SECONDS)
                except queue.Empty:
                    with lock:
                        if self._work.empty():
                            self._idle -= 1
                            return
                    continue
                if item is None:
                    return
                if self._stopping:
                    self._drop(item[0])  # taken after stop() drained the queue: nobody else closes it
                    return
                with lock:
                    self._busy += 1
                started = time.monotonic()
                self._serve(*item)
                finished = time.monotonic()
                with lock:
                    self._busy -= 1
                    if finished - started >= SLOW_SECONDS:
                        self._still_slow(finished, self._busy)
                    self._idle += 1
        finally:
            with lock:
                self._count -= 1


class Threads:
    """The threads a server runs, each named ``name``; a thread that fails is logged and the server serves on."""

    def __init__(self, name: str, lock: threading.Lock) -> None:
        self._name = name
        self._lock = lock
        self._threads: set[threading.Thread] = set()

    def start(self, target: Callable[[], None], before: Callable[[threading.Thread], None] | None = None) -> None:
        """Run ``target`` on a new daemon thread (``before(thread)`` is called under the lock, before it starts)."""
        thread = threading.Thread(target=self._run, args=(target,), name=self._name, daemon=True)
        with self._lock:
            self._threads.add(thread)
            if before is not None:
                before(thread)
        try:
            thread.start()
        except RuntimeError:
            with self._lock:
                self._threads.discard(thread)
            raise

    def count(self) -> int:
        """How many run now."""
        with self._lock:
            return len(self._threads)

    def all(self) -> list[threading.Thread]:
        """Those that run now."""
        with self._lock:
            return list(self._threads)

    def _run(self, target: Callable[[], None]) -> None:
        try:
            target()
        except Exception:
            log.exception("the server's thread %s failed", self._name)
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())
