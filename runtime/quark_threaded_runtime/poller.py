"""The connections of the runtime's HTTP server: the listening socket, those waited on, their deadlines, their requests.

A :class:`Poller` is driven by one thread at a time, the server's leader:
:meth:`Poller.poll` accepts new connections, reads what ready ones sent
(never blocking) into their :class:`~quark_threaded_runtime.protocol.HTTPConnection`,
answers framing errors at once, hangs up on connections past their
deadline (with 408 if a request had begun) and queues every connection
with a request to answer in :attr:`Poller.ready`. The thread that takes a
request answers it with :meth:`Poller.serve`, which puts the connection
back among those waited on (:meth:`Poller.park`) or ends it
(:meth:`Poller.linger`, :meth:`Poller.drop`).
"""

from __future__ import annotations

import collections
import contextlib
import errno
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from .connection import DONTWAIT, RECV, Connection
from .errors import AddressInUseError, ClientGoneError, RequestError, ServeError
from .protocol import NEED_DATA, SEND_CONTINUE, RequestReady, Settings
from .readiness import Readiness

__all__ = ["Poller", "listen"]

log = logging.getLogger("quark_threaded_runtime.server")

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
# What the readiness poll gives for the listener and the waker (a connection gives its socket and Connection).
_LISTENER = object()
_WAKER = object()


def listen(host: str, port: int, backlog: int) -> socket.socket:
    """A non-blocking socket listening on ``host`` and ``port``; a clear error if it cannot be had."""
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


class Poller:
    """The connections a server waits on, and the requests they have made ready (see the module's documentation)."""

    def __init__(
        self, listener: socket.socket, settings: Settings, app: Callable[..., Any], stopping: threading.Event
    ) -> None:
        self.listener = listener
        self.settings = settings
        self.app = app
        self.stopping = stopping
        self.port = listener.getsockname()[1]
        self.lock = threading.Lock()
        self.connections: dict[socket.socket, Connection] = {}
        """Every open connection (guarded by :attr:`lock`)."""
        self.ready: collections.deque[tuple[socket.socket, Connection, RequestReady]] = collections.deque()
        """Connections with a request to answer, in readiness order."""
        # When each connection waited on is due (for a request, or to finish lingering).
        self.deadlines: dict[socket.socket, float] = {}
        self._next_sweep = 0.0
        self._readiness = Readiness()
        self._poke = self._readiness.needs_poke
        self._disarms = not self._readiness.edge_triggered
        # Connections with bytes that may be unread though no event will tell (they came while the
        # connection was answered, or more than one read's worth came at once): read them once armed.
        self._unread: list[tuple[socket.socket, Connection]] = []
        self._waker, self._wake_end = socket.socketpair()
        self._waker.setblocking(False)
        self._wake_end.setblocking(False)
        self._readiness.watch(listener, _LISTENER)
        self._readiness.watch(self._waker, _WAKER)

    def wake(self) -> None:
        """Make the thread waiting in :meth:`poll` return."""
        with contextlib.suppress(OSError):
            self._wake_end.send(b"x")

    def poll(self) -> None:
        """Wait (until the next sweep at most) for connections and bytes; queue requests made whole."""
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        timeout = max(0.0, self._next_sweep - now)
        if self._unread:
            timeout = 0.0 if self._read_unread() else timeout
        readiness = self._readiness
        for item in readiness.poll(timeout):
            if item is _LISTENER:
                self._accept()
            elif item is _WAKER:
                with contextlib.suppress(OSError):
                    self._waker.recv(4096)
            else:
                sock, connection = item
                if not connection.registered:
                    # Bytes for a connection being answered (or queued): read once it is armed again.
                    self._note_unread(sock, connection)
                    continue
                # An event takes a connection from those waited on: it is waited on again when parked.
                if self._disarms:
                    readiness.disarm(sock)
                connection.registered = False
                self._receive(sock, connection)
        for item in readiness.ended:
            # A connection's bytes are read, or will be: its end is to be read after them.
            if type(item) is tuple and item[0].fileno() >= 0:
                self._note_unread(*item)

    def _note_unread(self, sock: socket.socket, connection: Connection) -> None:
        if not connection.unread:
            connection.unread = True
            self._unread.append((sock, connection))

    def _read_unread(self) -> bool:
        """Read the connections noted unread that are armed again; return whether one has more to read at once."""
        noted = self._unread
        self._unread = []
        for sock, connection in noted:
            if connection.registered:
                connection.unread = False
                connection.registered = False
                self._receive(sock, connection)
            elif sock.fileno() >= 0:
                self._unread.append((sock, connection))
        return any(connection.registered for _, connection in self._unread)

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + _SWEEP_SECONDS
        # A copy: other threads put connections back while the leader looks.
        expired = [sock for sock, deadline in self.deadlines.copy().items() if deadline <= now]
        if len(expired) > _SWEEP_BATCH:
            # Many at once (an attack's connections, accepted together, all due together): a batch
            # now, the rest right after the leader has seen to the connections that are ready.
            expired = expired[:_SWEEP_BATCH]
            self._next_sweep = now
        for sock in expired:
            connection = self.connections.get(sock)
            if connection is None or connection.lingering or not connection.http.started:
                # Lingered long enough, or silent since the last answer: hang up without a word.
                self.forget(sock)
                continue
            timeout = self.settings.read_timeout
            connection.send_error(RequestError(408, f"request not received within {timeout:g} s"), wait=False)
            self.linger(sock, connection)

    def _accept(self) -> None:
        for _ in range(64):
            try:
                conn, peer = self.listener.accept()
            except BlockingIOError:
                return
            except OSError as error:
                if self.stopping.is_set():
                    return
                # Out of file descriptors and the like: back off, keep serving.
                log.warning("accept failed on port %d: %s", self.port, error)
                time.sleep(0.05)
                return
            try:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                connection = Connection(conn, self.settings, self.app, peer)
            except OSError:
                # The client hung up before we got to it: not worth a word.
                conn.close()
                continue
            with self.lock:
                self.connections[conn] = connection
            # A new connection's first request must be whole within read_timeout of its arrival.
            self.park(conn, connection, time.monotonic() + self.settings.read_timeout)

    def _receive(self, sock: socket.socket, connection: Connection) -> None:
        """Read what a connection sent (never blocking); queue its request once it is whole."""
        try:
            data = sock.recv(RECV, DONTWAIT)
        except (BlockingIOError, InterruptedError):
            self._arm(sock, connection)
            return
        except OSError:
            data = b""
        if not data:
            # Hung up, before or in the middle of a request: nobody to answer.
            self.forget(sock)
            return
        if len(data) == RECV:
            # There may be more, and with edge-triggered events no event for it: read again soon.
            self._note_unread(sock, connection)
        if connection.lingering:
            connection.dropped += len(data)
            if connection.dropped > _LINGER_BYTES:
                self.forget(sock)
            else:
                self._arm(sock, connection)
            return
        http = connection.http
        begun = http.started
        http.receive(data)
        try:
            event = http.next_event()
            if event is SEND_CONTINUE:
                connection.send_continue()
                event = NEED_DATA
        except RequestError as error:
            connection.send_error(error, wait=False)
            self.linger(sock, connection)
            return
        if event is not NEED_DATA:
            self.deadlines.pop(sock, None)
            self.ready.append((sock, connection, event))
            return
        if not begun and http.started and not http.fresh:
            # The next request on a kept-alive connection has begun, not whole: it has read_timeout to arrive.
            self.deadlines[sock] = time.monotonic() + self.settings.read_timeout
        self._arm(sock, connection)

    def _arm(self, sock: socket.socket, connection: Connection) -> None:
        """Wait on a connection for its next bytes (its deadline stays as it is)."""
        connection.registered = True
        try:
            self._readiness.arm(sock, (sock, connection))
        except (ValueError, OSError):
            connection.registered = False
            self.forget(sock)

    def serve(self, conn: socket.socket, connection: Connection, event: RequestReady) -> None:
        """Answer a request and any whole ones pipelined behind it; then wait for more, or close (any thread)."""
        http = connection.http
        try:
            while not self.stopping.is_set():
                if not connection.answer(event) or self.stopping.is_set():
                    self.linger(conn, connection)
                    return
                http.start_next()
                event = http.next_event()
                if event is SEND_CONTINUE:
                    connection.send_continue()
                    event = http.next_event()
                if type(event) is not RequestReady:
                    # Idle, or a pipelined request begun: it has read_timeout to arrive whole.
                    wait = self.settings.read_timeout if http.started else self.settings.idle_timeout
                    self.park(conn, connection, time.monotonic() + wait)
                    return
        except RequestError as error:
            connection.send_error(error)
            self.linger(conn, connection)
            return
        except (ClientGoneError, OSError):
            pass
        except Exception:
            log.exception("unexpected error on the connection from %s", connection.http.base["REMOTE_ADDR"])
        self.drop(conn)

    def park(self, conn: socket.socket, connection: Connection, deadline: float) -> None:
        """Put a connection among those waited on, until ``deadline``."""
        self.deadlines[conn] = deadline
        if connection.registered:
            return
        # Marked first: once registered, the leader may take the connection before this thread goes on.
        connection.registered = True
        try:
            self._readiness.arm(conn, (conn, connection))
        except (ValueError, OSError):
            connection.registered = False
            self.deadlines.pop(conn, None)
            self.drop(conn)
            return
        if self._poke or connection.unread or self.stopping.is_set():
            # (Bytes noted unread: a leader waiting for events would not see them.)
            self.wake()

    def linger(self, conn: socket.socket, connection: Connection) -> None:
        """Half-close after an answer that ends the connection; what the client still sends is dropped."""
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            self.forget(conn)
            return
        connection.lingering = True
        connection.http.buffer = bytearray()
        self.park(conn, connection, time.monotonic() + _LINGER_SECONDS)

    def forget(self, conn: socket.socket) -> None:
        """Stop waiting on a connection and close it."""
        self.deadlines.pop(conn, None)
        connection = self.connections.get(conn)
        if connection is not None:
            connection.registered = False
        self.drop(conn)

    def drop(self, conn: socket.socket) -> None:
        """Close a connection (no longer waited on)."""
        self._readiness.forget(conn)
        with self.lock:
            self.connections.pop(conn, None)
        conn.close()

    def shut_down(self) -> None:
        """Stop accepting and shut every connection, so the threads serving them end."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        with self.lock:
            connections = list(self.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def close(self, waiting: list[socket.socket]) -> None:
        """Close the listener, the connections waited on or queued, and ``waiting``; then the selector."""
        self.listener.close()
        for conn in [*self.deadlines, *(conn for conn, _, _ in self.ready), *waiting]:
            self.drop(conn)
        self._readiness.close()
        self._waker.close()
        self._wake_end.close()
