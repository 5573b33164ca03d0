"""The runtime's HTTP/1.1 server: hosts one WSGI application on one host and port.

One thread, the leader, waits on every connection at once and reads what
each sends as it arrives, without blocking (see ``poller.py``):
a partial request is kept in the connection's buffer, so a client that
trickles its request costs the server no thread, only the bytes it has sent
(a body is buffered up to ``max_buffered_body``). Only a whole request
(head and body) goes to the application. The leader answers whole requests
in the order they became ready; once a call has taken 10 ms another thread
takes the lead, and while calls are slow each one is handed to a thread of
its own, so a slow call never holds up another client (see
``WSGIServer._lead``). Connections are kept alive, and accepted sockets get
``TCP_NODELAY``, so small answers leave at once instead of waiting out the
kernel's delayed-ACK timer. What the bytes mean, and what an answer looks
like on the wire, is decided by :mod:`~quark_threaded_runtime.protocol` and
:mod:`~quark_threaded_runtime.response`, which hold no socket or thread.

Timeouts: a new connection must deliver its first whole request within
``read_timeout`` seconds of being accepted; a kept-alive connection may
idle ``idle_timeout`` seconds between requests, and a request begun must
arrive whole within ``read_timeout`` seconds. A request cut short by its
deadline is answered 408; a connection that sent nothing is closed without
a word. Framing errors (a bad request line or header, a bad or conflicting
``Content-Length``, a malformed chunked body, a head over the limit, bytes
that cannot begin a request) are answered at once and the connection is
closed; a client that hangs up is not an error and is not logged.

An application that raises anything, even ``SystemExit`` or ``KeyboardInterrupt``,
or answers in a way PEP 3333 forbids, is answered 500 and its connection
closed; the server serves on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from . import protocol
from .connection import Connection
from .poller import Poller, listen, log
from .protocol import RequestReady, Settings, plain_error_body, server_environ
from .workers import SLOW_SECONDS, Threads, Workers

__all__ = ["DEFAULT_MAX_BUFFERED_BODY", "WSGIServer"]

DEFAULT_MAX_BUFFERED_BODY = protocol.DEFAULT_MAX_BUFFERED_BODY
"""The largest body the server collects before the application sees the request (1 MiB)."""

# While two calls at once run long, and for this long after, requests go to threads of their own.
_SLOW_MODE_SECONDS = 1.0


class WSGIServer:
    """A threaded HTTP/1.1 server for one WSGI application.

    The socket is bound and listening once the constructor returns (so a
    port that is taken fails here, as :class:`~quark_threaded_runtime.errors.AddressInUseError`);
    :meth:`start` begins accepting connections and :meth:`stop` ends it.
    ``port=0`` picks a free port; the ``address`` attribute tells which.

    ``max_buffered_body`` is the largest body collected before the
    application is called; a request with a larger one goes to the
    application at once, which reads the body as it arrives (or refuses it
    unread). ``error_body(status, message)`` makes the body of the answers
    the server gives itself (framing errors, timeouts, a failed
    application), sent as ``error_content_type``; by default a line of text.
    ``max_threads`` bounds the threads that answer slow calls at once.
    """

    def __init__(
        self,
        host: str,
        port: int,
        app: Callable[..., Iterable[bytes]],
        *,
        read_timeout: float = 10.0,
        idle_timeout: float = 30.0,
        backlog: int = 1024,
        max_header_bytes: int = 65536,
        max_buffered_body: int = DEFAULT_MAX_BUFFERED_BODY,
        error_body: Callable[[int, str], bytes] | None = None,
        error_content_type: str | None = None,
        max_threads: int = 256,
    ) -> None:
        self.app = app
        self.max_threads = max_threads
        if error_content_type is None:
            error_content_type = "application/json" if error_body else "text/plain; charset=utf-8"
        self._listener = listen(host, port, backlog)
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self.settings = Settings(
            read_timeout, idle_timeout, max_header_bytes, max_buffered_body, error_body or plain_error_body,
            error_content_type, server_environ(host, self.address[1]),
        )  # fmt: skip
        """What every connection is told: timeouts, limits, error format, shared environ."""
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads = Threads(f"http-{self.address[1]}", self._lock)
        self._poller: Poller | None = None
        # The thread that waits for ready connections, and since when it has been busy with one (None: it is not).
        self._leader: threading.Thread | None = None
        self._busy_since: float | None = None
        # Until when requests go to threads of their own (see _lead); calls known to be running long
        # (on leaders the watcher replaced, and on workers); the work queue and its threads.
        self._slow_until = 0.0
        self._displaced = 0
        self._workers = Workers(self._serve, self._spawn, self._lock, max_threads, self._still_slow, self._drop)

    @property
    def open_connections(self) -> int:
        """How many client connections are open right now."""
        if self._poller is None:
            return 0
        with self._poller.lock:
            return len(self._poller.connections)

    @property
    def threads(self) -> int:
        """How many threads the server runs right now."""
        return self._threads.count()

    def start(self) -> None:
        """Start accepting and answering connections on background threads."""
        if self._poller is None:
            self._poller = Poller(self._listener, self.settings, self.app, self._stopping)
            self._spawn(self._lead)
            self._spawn(self._watch)

    def stop(self, timeout: float = 1.0) -> None:
        """Stop accepting, close every connection and wait (at most ``timeout`` s) for their threads.

        A call still running in the application is not interrupted; its answer is dropped when it returns.
        """
        deadline = time.monotonic() + timeout
        self._stopping.set()
        poller = self._poller
        if poller is None:
            self._listener.close()
            return
        poller.wake()
        poller.shut_down()
        threads = self._threads.all()
        self._workers.stop(len(threads))
        for thread in threads:
            if thread is not threading.current_thread() and thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))
        # Connections that waited for a thread: no thread of theirs will close them.
        waiting = self._workers.take_waiting()
        poller.close(waiting)

    def _spawn(self, target: Callable[[], None]) -> None:
        # The leader is known as such before it runs, so the watcher never takes it for a dead one.
        self._threads.start(
            target, before=(lambda thread: setattr(self, "_leader", thread)) if target == self._lead else None
        )

    # One thread, the leader, waits for connections to become ready, reads
    # what they send into their buffers, and answers whole requests one after
    # another, in readiness order: a single busy thread passes the GIL around
    # far less than a thread per connection, whose woken threads fight for it
    # (a thread back from a short system call retakes it ahead of ones that
    # waited long, which makes a long tail of latencies). So that a slow call
    # never holds up other clients, a watcher thread checks a few times per
    # SLOW_SECONDS: if the leader has spent that long on one request, the
    # watcher takes the lead (and a new watcher starts), and the old leader
    # finishes its request, then ends. Once two calls at once run that long
    # (one alone may be a leader the machine paused), and for as long as calls
    # keep being slow, the leader hands each request to a thread of its own
    # instead, so a queue of slow calls does not cost SLOW_SECONDS each.

    def _lead(self) -> None:
        me = threading.current_thread()
        poller = self._poller
        ready = poller.ready
        lock = self._lock
        while True:
            with lock:
                if self._leader is not me:
                    # Replaced by the watcher while answering: that call has ended.
                    self._displaced -= 1
                    return
                self._busy_since = None
            if self._stopping.is_set():
                return
            if not ready:
                try:
                    poller.poll()
                except (OSError, ValueError):
                    if self._stopping.is_set():
                        return
                    raise
                continue
            item = ready.popleft()
            if self._slow_until:
                if time.monotonic() < self._slow_until:
                    self._workers.hand_off(item)
                    continue
                self._slow_until = 0.0
            with lock:
                self._busy_since = time.monotonic()
            self._serve(*item)

    def _watch(self) -> None:
        me = threading.current_thread()
        while not self._stopping.wait(SLOW_SECONDS / 2):
            with self._lock:
                since = self._busy_since
                leader = self._leader
                # A leader that died of a bug is replaced too, so the server keeps serving.
                alive = leader is not None and leader.is_alive()
                if alive and (since is None or time.monotonic() - since < SLOW_SECONDS):
                    continue
                self._leader = me
                self._busy_since = None
                if alive:
                    self._displaced += 1
                    # Two long calls at once are slow calls, not a leader the machine paused for a moment.
                    if self._displaced >= 2:
                        self._slow_until = time.monotonic() + _SLOW_MODE_SECONDS
            try:
                self._spawn(self._watch)
            except RuntimeError as error:
                log.warning("cannot start another thread (%s): a slow call may hold up others", error)
            self._lead()
            return

    def _drop(self, conn) -> None:
        self._poller.drop(conn)

    def _serve(self, conn, connection: Connection, event: RequestReady) -> None:
        self._poller.serve(conn, connection, event)

    def _still_slow(self, finished: float, busy_workers: int) -> None:
        """A worker's call took long (called under the lock): while another runs long too, keep handing off."""
        if busy_workers + self._displaced >= 1:
            self._slow_until = max(self._slow_until, finished + _SLOW_MODE_SECONDS)
