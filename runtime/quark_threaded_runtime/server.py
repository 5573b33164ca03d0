"""The runtime's HTTP/1.1 server: hosts one WSGI application on one host and port.

One thread answers the connections that have a request waiting, in the
order they became ready, and another takes over once a call has taken 10 ms,
so a slow call never holds up another client (see ``WSGIServer._lead``);
keep-alive, so a client's consecutive calls share one connection; and
``TCP_NODELAY`` on every accepted socket, so small answers leave at once
instead of waiting out the kernel's delayed-ACK timer (about 40 ms a call).

A request must arrive whole within ``read_timeout`` seconds of its first
byte (of the connection, for a new one), so a silent or trickling client
cannot hold a thread forever; between kept-alive requests a connection may
idle for ``idle_timeout`` seconds. Framing errors (a bad request line, a
missing, invalid or conflicting ``Content-Length``, a chunked body, a head
over the limit) get a JSON error answer and the connection is closed; a
client that hangs up is not an error and is not logged.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import logging
import re
import selectors
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes

from .dispatch import error_body
from .errors import AddressInUseError, ServeError

__all__ = ["WSGIServer"]

log = logging.getLogger("quark_threaded_runtime.server")

_RECV = 65536
# Unread body bytes left after an answer are read and dropped up to this many,
# so the connection can stay open; past it the connection is closed instead.
_DRAIN_LIMIT = 65536
# Before closing a connection whose client may still be sending, read and drop
# for this long (and this much) so the client gets to read our answer: closing
# a socket with unread input makes the kernel send a reset, which can destroy
# the answer before the client reads it.
_LINGER_SECONDS = 1.0
_LINGER_BYTES = 4 * 1024 * 1024
_MAX_LENGTH_DIGITS = 18
# Request line included; a limit keeps joining repeated headers cheap.
_MAX_HEADERS = 101
_CACHE_LIMIT = 512
# How often the leader looks for connections that idled past their timeout.
_SWEEP_SECONDS = 0.25
# A request that takes the leader this long is "slow": another thread takes the lead.
_SLOW_SECONDS = 0.01


class _AbortError(Exception):
    """A request the server answers itself (status, message), then hangs up."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _ClientGoneError(Exception):
    """The client hung up or went idle: end the connection without a word."""


class WSGIServer:
    """A threaded HTTP/1.1 server for one WSGI application.

    The socket is bound and listening once the constructor returns (so a
    port that is taken fails here, as :class:`~quark_threaded_runtime.errors.AddressInUseError`);
    :meth:`start` begins accepting connections and :meth:`stop` ends it.
    ``port=0`` picks a free port; the ``address`` attribute tells which.
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
    ) -> None:
        self.app = app
        self.read_timeout = read_timeout
        self.idle_timeout = idle_timeout
        self.max_header_bytes = max_header_bytes
        self._stopping = threading.Event()
        self._connections: dict[socket.socket, _Connection] = {}
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()
        self._selector: selectors.BaseSelector | None = None
        self._poke = False
        # The thread that waits for ready connections, and since when it has been busy with one (None: it is not).
        self._leader: threading.Thread | None = None
        self._busy_since: float | None = None
        # Connections with a request to answer, in readiness order.
        self._ready: collections.deque[tuple[socket.socket, _Connection]] = collections.deque()
        # When each waiting connection is hung up on if no request comes.
        self._deadlines: dict[socket.socket, float] = {}
        self._next_sweep = 0.0
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
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            if thread is not threading.current_thread() and thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))
        self._listener.close()
        # Connections waiting for their next request: no thread of theirs will close them.
        waiting = list(self._deadlines) + [conn for conn, _ in self._ready]
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

    # One thread, the leader, waits for connections to become ready and answers
    # them one after another, in readiness order: a single busy thread passes
    # the GIL around far less than a thread per connection, whose woken threads
    # fight for it (a thread back from a short system call retakes it ahead of
    # ones that waited long, which makes a long tail of latencies). So that a
    # slow call never holds up other clients, a watcher thread checks a few
    # times per _SLOW_SECONDS: if the leader has spent that long on one request,
    # the watcher takes the lead (and a new watcher starts), and the old leader
    # finishes its request, then ends.

    def _lead(self) -> None:
        me = threading.current_thread()
        ready = self._ready
        selector = self._selector
        lock = self._lock
        while True:
            with lock:
                if self._leader is not me:
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
                        selector.unregister(sock)
                        self._deadlines.pop(sock, None)
                        ready.append((sock, key.data))
                continue
            with lock:
                self._busy_since = time.monotonic()
            self._handle(*ready.popleft())

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
            try:
                self._spawn(self._watch)
            except RuntimeError as error:
                log.warning("cannot start another thread (%s): a slow call may hold up others", error)
            self._lead()
            return

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + _SWEEP_SECONDS
        # A copy: other threads put connections back while the leader looks.
        expired = [sock for sock, deadline in self._deadlines.copy().items() if deadline <= now]
        for sock in expired:
            # Silent for too long between requests: hang up without a word.
            self._deadlines.pop(sock, None)
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            self._drop(sock)

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
                connection = _Connection(conn, self, peer)
            except OSError:
                # The client hung up before we got to it: not worth a word.
                conn.close()
                continue
            with self._lock:
                self._connections[conn] = connection
            self._park(conn, connection, self.read_timeout)

    def _park(self, conn: socket.socket, connection: _Connection, timeout: float) -> None:
        """Put a connection among those the leader waits on, until its next request or ``timeout``."""
        self._deadlines[conn] = time.monotonic() + timeout
        try:
            self._selector.register(conn, selectors.EVENT_READ, connection)
        except (KeyError, ValueError, OSError):
            self._deadlines.pop(conn, None)
            self._drop(conn)
            return
        if self._poke or self._stopping.is_set():
            self._wake()

    def _drop(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.pop(conn, None)
        conn.close()

    def _handle(self, conn: socket.socket, connection: _Connection) -> None:
        try:
            if not self._stopping.is_set() and connection.serve_ready() and not self._stopping.is_set():
                self._park(conn, connection, self.idle_timeout)
                return
        except (_ClientGoneError, OSError):
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


# Header names seen so far, as environ keys ("" for a name that is dropped).
# Bounded, so a client inventing names cannot grow it without end.
_header_keys: dict[str, str] = {
    "Host": "HTTP_HOST",
    "Content-Length": "CONTENT_LENGTH",
    "Content-Type": "CONTENT_TYPE",
}
_TOKEN_TEXT = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_METHODS = {"POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"}


def _environ_key(name: str) -> str:
    if not _TOKEN_TEXT.fullmatch(name):
        raise _AbortError(400, f"malformed header name {name[:40]!r}")
    # A name with "_" would collide with its "-" twin in the environ (a way to
    # smuggle e.g. Content_Length past a proxy), so such headers are dropped.
    if "_" in name:
        key = ""
    else:
        key = name.upper().replace("-", "_")
        if key != "CONTENT_LENGTH" and key != "CONTENT_TYPE":
            key = "HTTP_" + key
    if len(_header_keys) < _CACHE_LIMIT:
        _header_keys[name] = key
    return key


def _timeval(seconds: float) -> bytes:
    """``seconds`` as the ``struct timeval`` that SO_RCVTIMEO and SO_SNDTIMEO take."""
    if sys.platform == "win32":
        return struct.pack("I", max(1, int(seconds * 1000)))
    whole, fraction = divmod(seconds, 1)
    # A zero timeval would mean "no timeout at all": round a tiny remainder up to 1 µs.
    micro = max(1, int(fraction * 1_000_000)) if whole == 0 else int(fraction * 1_000_000)
    return struct.pack("ll", int(whole), micro)


class _Connection:
    """One client connection: reads requests off it and writes the answers."""

    def __init__(self, sock: socket.socket, server: WSGIServer, peer: Any) -> None:
        self.sock = sock
        self.server = server
        # Bytes received and not yet used: the start of the next request, or of a body.
        self.pending = b""
        self.timeout: float | None = None
        self.base = dict(server._environ, REMOTE_ADDR=str(peer[0]), REMOTE_PORT=str(peer[1]))
        self.started: tuple[str, list[tuple[str, str]]] | None = None
        # Blocking, whatever socket.setdefaulttimeout() says: timeouts are the kernel's (see _set_timeout).
        sock.settimeout(None)
        # An answer the client does not read cannot hold the thread longer than a request may take.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(server.read_timeout))

    def serve_ready(self) -> bool:
        """Answer the request the client has begun sending, and any pipelined behind it.

        Return whether the connection stays open, waiting for the next request.
        """
        stopping = self.server._stopping
        while not stopping.is_set():
            try:
                keep_alive = self.serve_one(self.server.read_timeout)
            except _AbortError as abort:
                self._send_error(abort.status, abort.message)
                keep_alive = False
            if not keep_alive:
                self._linger()
                return False
            # Only stray CRLFs left: nothing to answer until more comes.
            if not self.pending.lstrip(b"\r\n"):
                self.pending = b""
                return True
        return False

    def _set_timeout(self, seconds: float) -> None:
        # The socket stays blocking, with the kernel's receive timeout: a timed
        # recv() is then one system call instead of three (Python's own timeouts
        # add a poll() per call and an ioctl() per change), and each system call
        # is a chance for another thread to take the GIL.
        if seconds != self.timeout:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, _timeval(seconds))
            self.timeout = seconds

    def _recv_first(self, timeout: float) -> bytes:
        """Wait up to ``timeout`` for the first bytes of a request; hang up quietly if none come."""
        self._set_timeout(timeout)
        try:
            data = self.sock.recv(_RECV)
        except (BlockingIOError, TimeoutError):
            raise _ClientGoneError from None
        if not data:
            raise _ClientGoneError
        return data

    def _recv(self, deadline: float) -> bytes:
        """Receive more of a request that must be complete by ``deadline``."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _AbortError(408, f"request not received within {self.server.read_timeout:g} s")
            # Only shorten the timeout: one set for an earlier phase may stay if it ends sooner.
            if self.timeout is None or self.timeout > remaining:
                self._set_timeout(remaining)
            try:
                data = self.sock.recv(_RECV)
            except (BlockingIOError, TimeoutError):
                continue
            if not data:
                raise _AbortError(400, "client closed the connection in the middle of a request")
            return data

    def serve_one(self, first_byte_timeout: float) -> bool:
        """Answer one request; return whether the connection stays open."""
        environ, keep_alive, deadline, expect_continue = self._read_head(first_byte_timeout)
        length = environ.get("CONTENT_LENGTH")
        body = _Body(self, int(length) if length else 0, deadline, expect_continue)
        environ["wsgi.input"] = body
        self.started = None
        try:
            result = self.server.app(environ, self._start_response)
            try:
                payload = result[0] if type(result) is list and len(result) == 1 else b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (_AbortError, _ClientGoneError):
            raise
        except Exception:
            log.exception(
                "the WSGI application raised while answering %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"]
            )
            raise _AbortError(500, "the server failed to answer; see the server's log") from None
        if self.started is None:
            raise _AbortError(500, "the WSGI application returned without starting a response")
        status, headers = self.started
        if body.remaining:
            if body.expect_continue:
                # The client waits for a 100 Continue that will never come: it may
                # or may not send the body now, so the connection cannot be reused.
                keep_alive = False
            elif keep_alive:
                # Unread body bytes would be taken for the next request: drop a few, else hang up.
                keep_alive = body.remaining <= _DRAIN_LIMIT and body.drain()
        lines = [f"HTTP/1.1 {status}\r\n"]
        has_length = False
        for name, value in headers:
            lines.append(f"{name}: {value}\r\n")
            if not has_length and (name == "Content-Length" or name.lower() == "content-length"):
                has_length = True
        if not has_length:
            lines.append(f"Content-Length: {len(payload)}\r\n")
        lines.append("Connection: keep-alive\r\n\r\n" if keep_alive else "Connection: close\r\n\r\n")
        try:
            head = "".join(lines).encode("latin-1")
        except UnicodeEncodeError:
            log.error("the WSGI application answered %s with a header that is not latin-1", environ["PATH_INFO"])
            raise _AbortError(500, "the server failed to answer; see the server's log") from None
        self.sock.sendall(head if environ["REQUEST_METHOD"] == "HEAD" else head + payload)
        return keep_alive

    def _start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if self.started is not None and exc_info is None:
            raise AssertionError("start_response called twice without exc_info")
        self.started = (status, headers)
        return self._no_write

    @staticmethod
    def _no_write(data: bytes) -> None:
        raise NotImplementedError("this server does not support WSGI's write(); return the body instead")

    def _read_head(self, first_byte_timeout: float) -> tuple[dict[str, Any], bool, float, bool]:
        limit = self.server.max_header_bytes
        # Clients may send a stray CRLF after a body; it is not a request.
        data = self.pending.lstrip(b"\r\n")
        if not data:
            data = self._recv_first(first_byte_timeout).lstrip(b"\r\n")
        # The request has begun (maybe pipelined behind the last one): it has read_timeout to arrive whole.
        deadline = time.monotonic() + self.server.read_timeout
        end = data.find(b"\r\n\r\n")
        while end < 0 and len(data) <= limit:
            start = max(0, len(data) - 3)
            more = self._recv(deadline)
            data = data + more if data else more.lstrip(b"\r\n")
            end = data.find(b"\r\n\r\n", start)
        if end < 0 or end > limit:
            raise _AbortError(431, f"request head over the limit of {limit} bytes")
        lines = data[:end].decode("latin-1").split("\r\n")
        self.pending = data[end + 4 :]
        parts = lines[0].split(" ")
        if len(parts) != 3:
            raise _AbortError(400, f"malformed request line {lines[0][:80]!r}")
        method, target, version = parts
        if method not in _METHODS and not _TOKEN_TEXT.fullmatch(method):
            raise _AbortError(400, f"malformed request line {lines[0][:80]!r}")
        if version != "HTTP/1.1" and version != "HTTP/1.0":
            if version.startswith("HTTP/"):
                raise _AbortError(505, f"{version[:20]} is not supported: use HTTP/1.1")
            raise _AbortError(400, f"malformed request line {lines[0][:80]!r}")
        path, _, query = target.partition("?")
        environ = self.base.copy()
        environ["REQUEST_METHOD"] = method
        environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1") if "%" in path else path
        environ["QUERY_STRING"] = query
        environ["SERVER_PROTOCOL"] = version
        if len(lines) > _MAX_HEADERS:
            raise _AbortError(431, f"more than {_MAX_HEADERS - 1} header lines")
        keys = _header_keys
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon:
                raise _AbortError(400, f"malformed header line {line[:80]!r}")
            key = keys.get(name)
            if key is None:
                key = _environ_key(name)
            if not key:
                continue
            value = value.strip(" \t")
            if key in environ:
                if key == "CONTENT_LENGTH" or key == "CONTENT_TYPE":
                    if environ[key] != value:
                        raise _AbortError(400, f"conflicting {name} headers")
                    continue
                value = environ[key] + "," + value
            environ[key] = value
        if "HTTP_TRANSFER_ENCODING" in environ:
            raise _AbortError(411, "chunked request bodies are not supported: send the body with a Content-Length")
        length = environ.get("CONTENT_LENGTH")
        if length is not None:
            if not (length.isdigit() and length.isascii()):
                raise _AbortError(400, f"Content-Length must be a non-negative whole number, not {length[:20]!r}")
            if len(length) > _MAX_LENGTH_DIGITS:
                raise _AbortError(413, f"a body of {length[:20]}... bytes is over any limit")
        connection = environ.get("HTTP_CONNECTION")
        if version == "HTTP/1.1":
            keep_alive = connection is None or "close" not in connection.lower()
            expect = environ.get("HTTP_EXPECT")
            expect_continue = expect is not None and expect.lower() == "100-continue"
        else:
            keep_alive = connection is not None and "keep-alive" in connection.lower()
            expect_continue = False
        return environ, keep_alive, deadline, expect_continue

    def _send_error(self, status: int, message: str) -> None:
        body = error_body(status, message)
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.sock.sendall(head.encode("latin-1") + body)

    def _linger(self) -> None:
        """Half-close, then read and drop what the client still sends (bounded) until it hangs up."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _LINGER_SECONDS
            dropped = 0
            while dropped < _LINGER_BYTES and not self.server._stopping.is_set():
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    return
                self.sock.settimeout(timeout)
                data = self.sock.recv(_RECV)
                if not data:
                    return
                dropped += len(data)
        except OSError:
            return


class _Body:
    """``wsgi.input``: the request body, read lazily and never past its Content-Length."""

    def __init__(self, connection: _Connection, length: int, deadline: float, expect_continue: bool) -> None:
        self._connection = connection
        self.remaining = length
        self._deadline = deadline
        # True until the body is first read: a client that sent "Expect: 100-continue"
        # waits for our go-ahead (or a final answer) before it sends the body.
        self.expect_continue = expect_continue and length > 0

    def _more(self) -> None:
        connection = self._connection
        if self.expect_continue:
            self.expect_continue = False
            if not connection.pending:
                connection.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        connection.pending += connection._recv(self._deadline)

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes of the body (all of what is left by default)."""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        if size == 0:
            return b""
        connection = self._connection
        while len(connection.pending) < size:
            self._more()
        data = connection.pending
        if len(data) == size:
            connection.pending = b""
        else:
            connection.pending = data[size:]
            data = data[:size]
        self.expect_continue = False
        self.remaining -= size
        return data

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line of the body, at most ``size`` bytes of it."""
        limit = self.remaining if size is None or size < 0 else min(size, self.remaining)
        connection = self._connection
        while True:
            newline = connection.pending.find(b"\n", 0, limit)
            if newline >= 0:
                return self.read(newline + 1)
            if len(connection.pending) >= limit:
                return self.read(limit)
            self._more()

    def readlines(self, hint: int | None = None) -> list[bytes]:
        """Read the rest of the body as a list of lines."""
        return self.read().splitlines(keepends=True)

    def __iter__(self):
        yield from self.readlines()

    def drain(self) -> bool:
        """Read and drop what is left of the body; return whether that worked."""
        try:
            self.read()
        except (_AbortError, _ClientGoneError, OSError):
            return False
        return True
