"""The runtime's HTTP/1.1 server: hosts one WSGI application on one host and port.

One thread per connection, so a slow call never holds up another client;
keep-alive, so a client's consecutive calls share one connection; and
``TCP_NODELAY`` on every accepted socket, so small answers leave at once
instead of waiting out the kernel's delayed-ACK timer (about 40 ms a call).

A client gets ``idle_timeout`` seconds to start a request and then
``read_timeout`` seconds to send all of it, so a silent or trickling client
cannot hold a thread forever. Framing errors (a bad request line, a missing
or invalid ``Content-Length``, a chunked body, headers over the limit) get a
JSON error answer and the connection is closed; a client that hangs up is
not an error and is not logged.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes

from .dispatch import error_body
from .errors import AddressInUse, ServeError

__all__ = ["WSGIServer"]

log = logging.getLogger("quark_threaded_runtime.server")

_RECV = 65536
_DRAIN_LIMIT = 65536


class _Abort(Exception):
    """A request the server answers itself (status, message), then hangs up."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Closed(Exception):
    """The client hung up or went silent: end the connection without a word."""


class WSGIServer:
    """A threaded HTTP/1.1 server for one WSGI application.

    The socket is bound and listening once the constructor returns (so a
    port that is taken fails here, as :class:`~quark_threaded_runtime.errors.AddressInUse`);
    :meth:`start` begins accepting connections and :meth:`stop` ends it.
    ``port=0`` picks a free port; :attr:`address` tells which.
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
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
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
        }

    def start(self) -> None:
        """Start accepting connections on a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._accept_loop, name=f"http-accept-{self.address[1]}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop accepting, close every connection and wait (bounded) for the accept thread."""
        self._stopping.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, peer = self._listener.accept()
            except TimeoutError:
                continue
            except OSError as error:
                if self._stopping.is_set():
                    return
                # Out of file descriptors and the like: back off, keep serving.
                log.warning("accept failed on port %d: %s", self.address[1], error)
                time.sleep(0.05)
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve_connection, args=(conn, peer), daemon=True).start()

    def _serve_connection(self, conn: socket.socket, peer: Any) -> None:
        with self._lock:
            self._connections.add(conn)
        connection = _Connection(conn, self)
        try:
            environ = dict(self._environ, REMOTE_ADDR=str(peer[0]), REMOTE_PORT=str(peer[1]))
            while not self._stopping.is_set() and connection.serve_one(environ):
                pass
        except (_Closed, OSError):
            pass
        finally:
            with self._lock:
                self._connections.discard(conn)
            conn.close()


def _listen(host: str, port: int, backlog: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot resolve host {host!r}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(backlog)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise AddressInUse(f"{host}:{port} is already in use by another program") from None
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    # Wake up twice a second so a stop is noticed even if shutdown() cannot wake accept().
    listener.settimeout(0.5)
    return listener


class _Connection:
    """One client connection: reads requests off it and writes the answers."""

    def __init__(self, sock: socket.socket, server: WSGIServer) -> None:
        self.sock = sock
        self.server = server
        self.buffer = bytearray()

    def _recv(self, deadline: float | None) -> bytes:
        timeout = self.server.idle_timeout if deadline is None else deadline - time.monotonic()
        if timeout <= 0:
            raise _Abort(408, f"request not received within {self.server.read_timeout:g} s")
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(_RECV)
        except TimeoutError:
            if deadline is None:
                raise _Closed from None
            raise _Abort(408, f"request not received within {self.server.read_timeout:g} s") from None
        if not data:
            raise _Closed
        return data

    def serve_one(self, base: dict[str, Any]) -> bool:
        """Answer one request; return whether the connection stays open."""
        try:
            environ, keep_alive, deadline = self._read_head(base)
        except _Abort as abort:
            self._send_error(abort.status, abort.message)
            return False
        body = _Body(self, int(environ.get("CONTENT_LENGTH") or 0), deadline, environ.pop("_expect_continue"))
        environ["wsgi.input"] = body
        try:
            status, headers, chunks = self._run_app(environ)
        except _Abort as abort:
            self._send_error(abort.status, abort.message)
            return False
        # Unread body bytes would be taken for the next request: drain a few, else hang up.
        if body.remaining:
            keep_alive = keep_alive and body.remaining <= _DRAIN_LIMIT and body.drain()
        head = [f"HTTP/1.1 {status}"]
        head.extend(f"{name}: {value}" for name, value in headers)
        payload = b"".join(chunks)
        if not any(name.lower() == "content-length" for name, _ in headers):
            head.append(f"Content-Length: {len(payload)}")
        head.append("Connection: keep-alive" if keep_alive else "Connection: close")
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        self.sock.sendall(data if environ["REQUEST_METHOD"] == "HEAD" else data + payload)
        return keep_alive

    def _read_head(self, base: dict[str, Any]) -> tuple[dict[str, Any], bool, float]:
        buffer = self.buffer
        deadline = None
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(buffer) > self.server.max_header_bytes:
                raise _Abort(431, f"request head over the limit of {self.server.max_header_bytes} bytes")
            try:
                buffer += self._recv(deadline)
            except _Closed:
                if buffer:
                    log.debug("client hung up in the middle of a request head")
                raise
            if deadline is None:
                deadline = time.monotonic() + self.server.read_timeout
        if deadline is None:
            deadline = time.monotonic() + self.server.read_timeout
        if end > self.server.max_header_bytes:
            raise _Abort(431, f"request head over the limit of {self.server.max_header_bytes} bytes")
        lines = buffer[:end].decode("latin-1").split("\r\n")
        del buffer[: end + 4]
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _Abort(400, f"malformed request line {lines[0][:80]!r}")
        method, target, version = parts
        path, _, query = target.partition("?")
        environ = dict(base)
        environ["REQUEST_METHOD"] = method
        environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1")
        environ["QUERY_STRING"] = query
        environ["SERVER_PROTOCOL"] = version
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise _Abort(400, f"malformed header line {line[:80]!r}")
            key = name.upper().replace("-", "_")
            value = value.strip()
            if key in ("CONTENT_LENGTH", "CONTENT_TYPE"):
                if key in environ and environ[key] != value:
                    raise _Abort(400, f"conflicting {name} headers")
            else:
                key = "HTTP_" + key
                if key in environ:
                    value = environ[key] + "," + value
            environ[key] = value
        if "HTTP_TRANSFER_ENCODING" in environ:
            raise _Abort(411, "chunked request bodies are not supported: send the body with a Content-Length")
        length = environ.get("CONTENT_LENGTH")
        if length is not None and not length.isdigit():
            raise _Abort(400, f"Content-Length must be a non-negative whole number, not {length[:20]!r}")
        connection = environ.get("HTTP_CONNECTION", "").lower()
        keep_alive = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
        environ["_expect_continue"] = environ.get("HTTP_EXPECT", "").lower() == "100-continue"
        return environ, keep_alive, deadline

    def _run_app(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], list[bytes]]:
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if started and exc_info is None:
                raise AssertionError("start_response called twice without exc_info")
            started[:] = [status, headers]
            return written.append

        try:
            result = self.server.app(environ, start_response)
            try:
                written.extend(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (_Abort, _Closed):
            raise
        except Exception:
            log.exception(
                "the WSGI application raised while answering %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"]
            )
            raise _Abort(500, "the server failed to answer; see the server's log") from None
        if not started:
            raise _Abort(500, "the WSGI application returned without starting a response")
        return started[0], started[1], written

    def _send_error(self, status: int, message: str) -> None:
        body = error_body(status, message)
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        try:
            self.sock.sendall(head.encode("latin-1") + body)
        except OSError:
            pass


class _Body:
    """``wsgi.input``: the request body, read lazily and never past its Content-Length."""

    def __init__(self, connection: _Connection, length: int, deadline: float, expect_continue: bool) -> None:
        self._connection = connection
        self.remaining = length
        self._deadline = deadline
        self._expect_continue = expect_continue

    def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes of the body (all of what is left by default)."""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        if size == 0:
            return b""
        buffer = self._connection.buffer
        if self._expect_continue and not buffer:
            self._connection.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        self._expect_continue = False
        while len(buffer) < size:
            try:
                buffer += self._connection._recv(self._deadline)
            except _Closed:
                raise _Abort(400, "client closed the connection before sending the whole body") from None
        data = bytes(buffer[:size])
        del buffer[:size]
        self.remaining -= size
        return data

    def readline(self, size: int = -1) -> bytes:
        """Read one line of the body, at most ``size`` bytes of it."""
        limit = self.remaining if size is None or size < 0 else min(size, self.remaining)
        buffer = self._connection.buffer
        while True:
            newline = buffer.find(b"\n", 0, limit)
            if newline >= 0:
                return self.read(newline + 1)
            if len(buffer) >= limit:
                return self.read(limit)
            try:
                buffer += self._connection._recv(self._deadline)
            except _Closed:
                raise _Abort(400, "client closed the connection before sending the whole body") from None

    def __iter__(self):  # noqa: ANN204 - WSGI's input protocol
        yield self.read()

    def drain(self) -> bool:
        """Read and drop what is left of the body; return whether that worked."""
        try:
            self.read()
        except (_Abort, _Closed, OSError):
            return False
        return True
