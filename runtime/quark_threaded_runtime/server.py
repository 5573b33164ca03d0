"""The runtime's HTTP/1.1 server: hosts one WSGI application on one host and port.

One thread, the leader, waits on every connection at once and reads what
each sends as it arrives, without blocking: a partial request head or body
is kept in the connection's buffer, so a client that trickles its request
costs the server no thread, only the bytes it has sent (a body is buffered
up to ``max_buffered_body``). Only a whole request (head and body) goes to
the application. The leader answers whole requests in
the order they became ready; once a call has taken 10 ms another thread
takes the lead, and while calls are slow each one is handed to a thread of
its own, so a slow call never holds up another client (see
``WSGIServer._lead``). Connections are kept alive, and accepted sockets get
``TCP_NODELAY``, so small answers leave at once instead of waiting out the
kernel's delayed-ACK timer.

Timeouts: a new connection must deliver its first whole request within
``read_timeout`` seconds of being accepted; between requests a kept-alive
connection may idle for ``idle_timeout`` seconds, and once the first byte
of its next request arrives, that request must arrive whole within
``read_timeout`` seconds. A request cut short by its deadline is answered
408; a connection that sent nothing is closed without a word. Framing
errors (a bad request line or header, a missing, invalid or conflicting
``Content-Length``, a chunked body, a head over the limit) are answered
with an error body and the connection is closed; a client that hangs up is
not an error and is not logged.

An application that raises anything, even ``SystemExit`` or ``KeyboardInterrupt``,
is answered 500 and its connection closed; the server serves on.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import logging
import queue
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus

from .connection import DONTWAIT, RECV, ClientGoneError, Connection
from .errors import AddressInUseError, ServeError
from .http11 import Request, RequestError, skip_blank_lines

__all__ = ["DEFAULT_MAX_BUFFERED_BODY", "WSGIServer"]

log = logging.getLogger("quark_threaded_runtime.server")

DEFAULT_MAX_BUFFERED_BODY = 1024 * 1024
"""The largest body the server collects before the application sees the request (1 MiB)."""

# CR and LF: a stray one before a request is skipped.
_BLANK = b"\r\n"
# Before closing a connection whose client may still be sending, read and drop
# for this long (and this much) so the client gets to read our answer: closing
# a socket with unread input makes the kernel send a reset, which can destroy
# the answer before the client reads it.
_LINGER_SECONDS = 1.0
_LINGER_BYTES = 4 * 1024 * 1024
# How often the leader looks for connections past their deadline.
_SWEEP_SECONDS = 0.1
# The most connections one sweep hangs up on.
_SWEEP_BATCH = 64
# A request that takes the leader this long is "slow": another thread takes the lead.
_SLOW_SECONDS = 0.01
# While two calls at once run long, and for this long after, requests go to threads of their own.
_SLOW_MODE_SECONDS = 1.0
# Threads that answer calls in slow mode wait this long for more work before ending.
_WORKER_IDLE_SECONDS = 2.0


def _plain_error_body(status: int, message: str) -> bytes:
    """An error answer's body when the server is given no other format: the message as a line of text."""
    return f"{status} {HTTPStatus(status).phrase}: {message}\n".encode()


class WSGIServer:
    """A threaded HTTP/1.1 server for one WSGI application.

    The socket is bound and listening once the constructor returns (so a
    port that is taken fails here, as :class:`~quark_threaded_runtime.errors.AddressInUseError`);
    :meth:`start` begins accepting connections and :meth:`stop` ends it.
    ``port=0`` picks a free port; the ``address`` attribute tells which.

    ``max_buffered_body`` is the largest body collected before the
    application is called; a request announcing a larger one goes to the
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
        self.read_timeout = read_timeout
        self.idle_timeout = idle_timeout
        self.max_header_bytes = max_header_bytes
        self.max_buffered_body = max_buffered_body
        self.max_threads = max_threads
        self.error_body = error_body or _plain_error_body
        if error_content_type is None:
            error_content_type = "application/json" if error_body else "text/plain; charset=utf-8"
        self.error_content_type = error_content_type
        self._stopping = threading.Event()
        self._connections: dict[socket.socket, Connection] = {}
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()
        self._selector: selectors.BaseSelector | None = None
        self._poke = False
        # The thread that waits for ready connections, and since when it has been busy with one (None: it is not).
        self._leader: threading.Thread | None = None
        self._busy_since: float | None = None
        # Connections with a whole request to answer, in readiness order.
        self._ready: collections.deque[tuple[socket.socket, Connection, Request]] = collections.deque()
        # When each connection the leader waits on is due (for a request, or to finish lingering).
        self._deadlines: dict[socket.socket, float] = {}
        self._next_sweep = 0.0
        # Until when requests go to threads of their own (see _lead), the work queue and its idle threads.
        self._slow_until = 0.0
        # Calls known to be running long: on leaders the watcher replaced, and on workers.
        self._displaced = 0
        self._busy_workers = 0
        self._work: queue.SimpleQueue[tuple[socket.socket, Connection, Request] | None] = queue.SimpleQueue()
        self._idle_workers = 0
        self._workers = 0
        self._listener = _listen(host, port, backlog)
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self._environ = {
            "SERVER_NAME": host,
            "SERVER_PORT": str(self.address[1]),
            "SCRIPT_NAME": "",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.input_terminated": True,
        }

    @property
    def open_connections(self) -> int:
        """How many client connections are open right now."""
        with self._lock:
            return len(self._connections)

    @property
    def threads(self) -> int:
        """How many threads the server runs right now."""
        with self._lock:
            return len(self._threads)

    def start(self) -> None:
        """Start accepting and answering connections on background threads."""
        if self._selector is None:
            self._selector = selectors.DefaultSelector()
            # epoll and kqueue see a registration made while another thread waits; select() and poll() need a poke.
            live = tuple(
                getattr(selectors, name) for name in ("EpollSelector", "KqueueSelector") if hasattr(selectors, name)
            )
            self._poke = not isinstance(self._selector, live)
            self._waker, self._wake_end = socket.socketpair()
            self._waker.setblocking(False)
            self._wake_end.setblocking(False)
            self._selector.register(self._listener, selectors.EVENT_READ)
            self._selector.register(self._waker, selectors.EVENT_READ)
            self._spawn(self._lead)
            self._spawn(self._watch)

    def stop(self, timeout: float = 1.0) -> None:
        """Stop accepting, close every connection and wait (at most ``timeout`` s) for their threads.

        A call still running in the implementation is not interrupted; its
        answer is dropped when it returns.
        """
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._wake()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        with self._lock:
            connections = list(self._connections)
            threads = list(self._threads)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for _ in threads:
            self._work.put(None)
        for thread in threads:
            if thread is not threading.current_thread() and thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))
        self._listener.close()
        # Connections the leader waited on, or that waited for a thread: no thread of theirs will close them.
        waiting = list(self._deadlines) + [conn for conn, _, _ in self._ready]
        while True:
            try:
                item = self._work.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                waiting.append(item[0])
        for conn in waiting:
            self._drop(conn)
        if self._selector is not None:
            self._selector.close()
            self._waker.close()
            self._wake_end.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_end.send(b"x")

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=self._run, args=(target,), name=f"http-{self.address[1]}", daemon=True)
        with self._lock:
            self._threads.add(thread)
            if target == self._lead:
                self._leader = thread
        try:
            thread.start()
        except RuntimeError:
            with self._lock:
                self._threads.discard(thread)
            raise

    def _run(self, target: Callable[[], None]) -> None:
        try:
            target()
        except Exception:
            log.exception("the server's thread on port %d failed", self.address[1])
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())

    # One thread, the leader, waits for connections to become ready, reads
    # what they send into their buffers, and answers whole requests one after
    # another, in readiness order: a single busy thread passes the GIL around
    # far less than a thread per connection, whose woken threads fight for it
    # (a thread back from a short system call retakes it ahead of ones that
    # waited long, which makes a long tail of latencies). So that a slow call
    # never holds up other clients, a watcher thread checks a few times per
    # _SLOW_SECONDS: if the leader has spent that long on one request, the
    # watcher takes the lead (and a new watcher starts), and the old leader
    # finishes its request, then ends. Once two calls at once run that long
    # (one alone may be a leader the machine paused), and for as long as calls
    # keep being slow, the leader hands each request to a thread of its own
    # instead, so a queue of slow calls does not cost _SLOW_SECONDS each.

    def _lead(self) -> None:
        me = threading.current_thread()
        ready = self._ready
        selector = self._selector
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
                now = time.monotonic()
                if now >= self._next_sweep:
                    self._sweep(now)
                try:
                    events = selector.select(max(0.0, self._next_sweep - now))
                except (OSError, ValueError):
                    if self._stopping.is_set():
                        return
                    raise
                for key, _ in events:
                    sock = key.fileobj
                    if sock is self._listener:
                        self._accept()
                    elif sock is self._waker:
                        with contextlib.suppress(OSError):
                            self._waker.recv(4096)
                    else:
                        self._receive(sock, key.data)
                continue
            item = ready.popleft()
            if self._slow_until:
                if time.monotonic() < self._slow_until:
                    self._hand_off(item)
                    continue
                self._slow_until = 0.0
            with lock:
                self._busy_since = time.monotonic()
            self._serve(*item)

    def _watch(self) -> None:
        me = threading.current_thread()
        while not self._stopping.wait(_SLOW_SECONDS / 2):
            with self._lock:
                since = self._busy_since
                leader = self._leader
                # A leader that died of a bug is replaced too, so the server keeps serving.
                alive = leader is not None and leader.is_alive()
                if alive and (since is None or time.monotonic() - since < _SLOW_SECONDS):
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

    def _hand_off(self, item: tuple[socket.socket, Connection, Request]) -> None:
        """Answer a request on a thread of its own (an idle one, or a new one while under ``max_threads``)."""
        with self._lock:
            self._work.put(item)
            if self._idle_workers > 0:
                self._idle_workers -= 1
                return
            if self._workers >= self.max_threads:
                return
            self._workers += 1
        try:
            self._spawn(self._work_on)
        except RuntimeError as error:
            with self._lock:
                self._workers -= 1
            log.warning("cannot start another thread (%s): a call waits for a busy one", error)

    def _work_on(self) -> None:
        lock = self._lock
        try:
            while True:
                try:
                    item = self._work.get(timeout=_WORKER_IDLE_SECONDS)
                except queue.Empty:
                    with lock:
                        if self._work.empty():
                            self._idle_workers -= 1
                            return
                    continue
                if item is None:
                    return
                if self._stopping.is_set():
                    self._drop(item[0])  # taken after stop() drained the queue: nobody else closes it
                    return
                with lock:
                    self._busy_workers += 1
                started = time.monotonic()
                self._serve(*item)
                finished = time.monotonic()
                with lock:
                    self._busy_workers -= 1
                    # Still slow calls about (this one, and another running): keep handing requests off.
                    if finished - started >= _SLOW_SECONDS and self._busy_workers + self._displaced >= 1:
                        self._slow_until = max(self._slow_until, finished + _SLOW_MODE_SECONDS)
                    self._idle_workers += 1
        finally:
            with lock:
                self._workers -= 1

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + _SWEEP_SECONDS
        # A copy: other threads put connections back while the leader looks.
        expired = [sock for sock, deadline in self._deadlines.copy().items() if deadline <= now]
        if len(expired) > _SWEEP_BATCH:
            # Many at once (an attack's connections, accepted together, all due together): a batch
            # now, the rest right after the leader has seen to the connections that are ready.
            expired = expired[:_SWEEP_BATCH]
            self._next_sweep = now
        for sock in expired:
            connection = self._connections.get(sock)
            if connection is None or connection.lingering or not connection.started:
                # Lingered long enough, or silent since the last answer: hang up without a word.
                self._forget(sock)
                continue
            connection.send_error(408, f"request not received within {self.read_timeout:g} s", wait=False)
            self._linger(sock, connection)

    def _accept(self) -> None:
        for _ in range(64):
            try:
                conn, peer = self._listener.accept()
            except BlockingIOError:
                return
            except OSError as error:
                if self._stopping.is_set():
                    return
                # Out of file descriptors and the like: back off, keep serving.
                log.warning("accept failed on port %d: %s", self.address[1], error)
                time.sleep(0.05)
                return
            try:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                connection = Connection(conn, self, peer)
            except OSError:
                # The client hung up before we got to it: not worth a word.
                conn.close()
                continue
            with self._lock:
                self._connections[conn] = connection
            # A new connection's first request must be whole within read_timeout of its arrival.
            self._park(conn, connection, time.monotonic() + self.read_timeout)

    def _receive(self, sock: socket.socket, connection: Connection) -> None:
        """Read what a connection sent (never blocking); queue its request once it is whole."""
        try:
            data = sock.recv(RECV, DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            # Hung up, before or in the middle of a request: nobody to answer.
            self._forget(sock)
            return
        if connection.lingering:
            connection.dropped += len(data)
            if connection.dropped > _LINGER_BYTES:
                self._forget(sock)
            return
        buffer = connection.buffer
        buffer += data
        begun = False
        if not connection.started:
            if buffer[0] in _BLANK:
                del buffer[: skip_blank_lines(buffer)]
                if not buffer:
                    return
            connection.started = begun = True
        try:
            request = connection.frame()
        except RequestError as error:
            connection.send_error(error.status, error.message, wait=False)
            self._linger(sock, connection)
            return
        if request is not None:
            self._selector.unregister(sock)
            connection.registered = False
            self._deadlines.pop(sock, None)
            self._ready.append((sock, connection, request))
        elif begun and not connection.fresh:
            # The next request on a kept-alive connection has begun, not whole: it has read_timeout to arrive.
            self._deadlines[sock] = time.monotonic() + self.read_timeout

    def _park(self, conn: socket.socket, connection: Connection, deadline: float) -> None:
        """Put a connection among those the leader waits on, until ``deadline``."""
        self._deadlines[conn] = deadline
        if connection.registered:
            return
        # Marked first: once registered, the leader may take the connection before this thread goes on.
        connection.registered = True
        try:
            self._selector.register(conn, selectors.EVENT_READ, connection)
        except (KeyError, ValueError, OSError):
            connection.registered = False
            self._deadlines.pop(conn, None)
            self._drop(conn)
            return
        if self._poke or self._stopping.is_set():
            self._wake()

    def _linger(self, conn: socket.socket, connection: Connection) -> None:
        """Half-close after an answer that ends the connection; the leader drops what the client still sends."""
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            self._forget(conn)
            return
        connection.lingering = True
        connection.buffer = bytearray()
        self._park(conn, connection, time.monotonic() + _LINGER_SECONDS)

    def _forget(self, conn: socket.socket) -> None:
        """Stop waiting on a connection and close it."""
        self._deadlines.pop(conn, None)
        connection = self._connections.get(conn)
        if connection is not None and connection.registered:
            connection.registered = False
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(conn)
        self._drop(conn)

    def _drop(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.pop(conn, None)
        conn.close()

    def _serve(self, conn: socket.socket, connection: Connection, request: Request) -> None:
        """Answer a whole request and any whole ones pipelined behind it; then wait for more, or close."""
        try:
            while not self._stopping.is_set():
                if not connection.answer(request) or self._stopping.is_set():
                    self._linger(conn, connection)
                    return
                connection.fresh = False
                connection.started = False
                buffer = connection.buffer
                if buffer and buffer[0] in _BLANK:
                    del buffer[: skip_blank_lines(buffer)]
                if not buffer:
                    self._park(conn, connection, time.monotonic() + self.idle_timeout)
                    return
                # A pipelined request has begun: it has read_timeout to arrive whole.
                connection.started = True
                deadline = time.monotonic() + self.read_timeout
                request = connection.frame()
                if request is None:
                    self._park(conn, connection, deadline)
                    return
        except RequestError as error:
            connection.send_error(error.status, error.message)
            self._linger(conn, connection)
            return
        except (ClientGoneError, OSError):
            pass
        except Exception:
            log.exception("unexpected error on the connection from %s", connection.base["REMOTE_ADDR"])
        self._drop(conn)


def _listen(host: str, port: int, backlog: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot resolve host {host!r}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    listener = socket.socket(family, kind, proto)
    # Lets a restarted server bind at once while old connections sit in TIME_WAIT;
    # on Linux it does not let two servers listen on one port.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(backlog)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise AddressInUseError(f"{host}:{port} is already in use by another program") from None
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    listener.setblocking(False)
    return listener
