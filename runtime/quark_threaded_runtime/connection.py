"""One client connection of the runtime's HTTP server: its buffered input, the application's answers.

The server's leader thread feeds a :class:`Connection` what the client
sends (:meth:`Connection.frame` says when a request is whole); a thread
then has it answer that request (:meth:`Connection.answer`). A body too
large to collect first is read as the application asks for it, through
:class:`Body`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import struct
import sys
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .http11 import Request, RequestError, head_end, parse_head

if TYPE_CHECKING:
    from .server import WSGIServer

__all__ = ["DONTWAIT", "RECV", "Body", "ClientGoneError", "Connection"]

log = logging.getLogger("quark_threaded_runtime.server")

RECV = 65536
"""The most bytes read from a socket at once."""
DONTWAIT = getattr(socket, "MSG_DONTWAIT", 0)
"""The flag that keeps a read or write from blocking (the server's leader must never block)."""
# Unread body bytes left after an answer are read and dropped up to this many,
# so the connection can stay open; past it the connection is closed instead.
_DRAIN_LIMIT = 65536


class ClientGoneError(Exception):
    """The client hung up or went idle: end the connection without a word."""


def _timeval(seconds: float) -> bytes:
    """``seconds`` as the ``struct timeval`` that SO_RCVTIMEO and SO_SNDTIMEO take."""
    if sys.platform == "win32":
        return struct.pack("I", max(1, int(seconds * 1000)))
    whole, fraction = divmod(seconds, 1)
    # A zero timeval would mean "no timeout at all": round a tiny remainder up to 1 µs.
    micro = max(1, int(fraction * 1_000_000)) if whole == 0 else int(fraction * 1_000_000)
    return struct.pack("ll", int(whole), micro)


class Connection:
    """One client connection: its buffered input, and the answers written to it."""

    def __init__(self, sock: socket.socket, server: WSGIServer, peer: Any) -> None:
        self.sock = sock
        self.server = server
        # Bytes received and not yet used: part of a request, or the start of the next one.
        self.buffer = bytearray()
        # The head of the request being received, once it is whole; where its body starts; how far
        # the buffer was searched for the end of a head; whether 100 Continue was sent.
        self.head: Request | None = None
        self.body_start = 0
        self.searched = 0
        self.continued = False
        # Whether the leader's selector watches it; no request answered on it yet; a request begun;
        # answered for the last time and waiting for the client to hang up (bytes dropped meanwhile).
        self.registered = False
        self.fresh = True
        self.started = False
        self.lingering = False
        self.dropped = 0
        self.timeout: float | None = None
        self.base = dict(server._environ, REMOTE_ADDR=str(peer[0]), REMOTE_PORT=str(peer[1]))
        self.response: tuple[str, list[tuple[str, str]]] | None = None
        # Blocking, whatever socket.setdefaulttimeout() says: timeouts are the kernel's (see _set_timeout).
        sock.settimeout(None)
        # An answer the client does not read cannot hold the thread longer than a request may take.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(server.read_timeout))

    def frame(self) -> Request | None:
        """The request at the start of the buffer if it is whole (or has a body too large to collect).

        Sends ``100 Continue`` when a client waits for it. Raises
        :class:`~quark_threaded_runtime.http11.RequestError` for a malformed head.
        """
        buffer = self.buffer
        request = self.head
        if request is None:
            limit = self.server.max_header_bytes
            end = head_end(buffer, 0, self.searched)
            if end < 0 or end - 4 > limit:
                if end >= 0 or len(buffer) > limit:
                    raise RequestError(431, f"request head over the limit of {limit} bytes")
                self.searched = len(buffer)
                return None
            with memoryview(buffer) as view:
                request = self.head = parse_head(view[: end - 4], self.base)
            self.body_start = end
            self.searched = 0
            self.continued = False
        length = request.content_length
        if length > self.server.max_buffered_body or len(buffer) - self.body_start >= length:
            return request
        if request.expect_continue and not self.continued and len(buffer) == self.body_start:
            self.continued = True
            with contextlib.suppress(OSError):
                self.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n", DONTWAIT)
        return None

    def _take_body(self, request: Request) -> Body | io.BytesIO:
        """The request's ``wsgi.input``: its collected body, or a reader for a body too large to collect."""
        buffer = self.buffer
        start = self.body_start
        length = request.content_length
        self.head = None
        if length <= self.server.max_buffered_body:
            end = start + length
            with memoryview(buffer) as view:
                body = bytes(view[start:end])
                # A new buffer, so that one large request does not leave a large allocation behind.
                self.buffer = bytearray(view[end:])
            return io.BytesIO(body)
        del buffer[:start]
        expect_continue = request.expect_continue and not self.continued and not buffer
        return Body(self, length, time.monotonic() + self.server.read_timeout, expect_continue)

    def answer(self, request: Request) -> bool:
        """Call the application for a whole request and send its answer; return whether the connection stays open.

        Raises :class:`~quark_threaded_runtime.http11.RequestError` for an
        answer the server gives itself (the connection then closes).
        """
        environ = request.environ
        keep_alive = request.keep_alive
        body = self._take_body(request)
        environ["wsgi.input"] = body
        self.response = None
        try:
            result = self.server.app(environ, self._start_response)
            try:
                payload = result[0] if type(result) is list and len(result) == 1 else b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (RequestError, ClientGoneError):
            raise
        except BaseException as error:
            # SystemExit and KeyboardInterrupt too: they end this call, not the server.
            log.error(
                "the WSGI application raised while answering %s %s",
                environ["REQUEST_METHOD"],
                environ["PATH_INFO"][:100],
                exc_info=error,
            )
            raise RequestError(500, "the server failed to answer; see the server's log") from None
        if self.response is None:
            raise RequestError(500, "the WSGI application returned without starting a response")
        status, headers = self.response
        if type(body) is Body and body.remaining:
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
            lowered = name.lower()
            if lowered == "connection":
                # The server owns the connection's fate: one Connection header, and an
                # application's "close" is honoured rather than sent beside "keep-alive".
                if "close" in value.lower():
                    keep_alive = False
                continue
            lines.append(f"{name}: {value}\r\n")
            if not has_length and lowered == "content-length":
                has_length = True
        if not has_length:
            lines.append(f"Content-Length: {len(payload)}\r\n")
        lines.append("Connection: keep-alive\r\n\r\n" if keep_alive else "Connection: close\r\n\r\n")
        try:
            head = "".join(lines).encode("latin-1")
        except UnicodeEncodeError:
            log.error("the WSGI application answered %s with a header that is not latin-1", environ["PATH_INFO"][:100])
            raise RequestError(500, "the server failed to answer; see the server's log") from None
        self.sock.sendall(head if environ["REQUEST_METHOD"] == "HEAD" else head + payload)
        return keep_alive

    def _start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if self.response is not None and exc_info is None:
            raise AssertionError("start_response called twice without exc_info")
        self.response = (status, headers)
        return self._no_write

    @staticmethod
    def _no_write(data: bytes) -> None:
        raise NotImplementedError("this server does not support WSGI's write(); return the body instead")

    def send_error(self, status: int, message: str, *, wait: bool = True) -> None:
        """Answer ``status`` with the server's error body; ``wait=False`` sends only what fits at once."""
        server = self.server
        body = server.error_body(status, message)
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: {server.error_content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            if wait:
                self.sock.sendall(head.encode("latin-1") + body)
            else:
                self.sock.send(head.encode("latin-1") + body, DONTWAIT)

    def _set_timeout(self, seconds: float) -> None:
        # The socket stays blocking, with the kernel's receive timeout: a timed
        # recv() is then one system call instead of three (Python's own timeouts
        # add a poll() per call and an ioctl() per change).
        if seconds != self.timeout:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, _timeval(seconds))
            self.timeout = seconds

    def recv(self, deadline: float) -> bytes:
        """Receive more of a body that must be complete by ``deadline`` (for bodies too large to collect)."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RequestError(408, f"request not received within {self.server.read_timeout:g} s")
            if self.timeout is None or self.timeout > remaining:
                self._set_timeout(remaining)
            try:
                data = self.sock.recv(RECV)
            except (BlockingIOError, TimeoutError):
                continue
            if not data:
                raise ClientGoneError
            return data


class Body:
    """``wsgi.input`` for a body too large to collect first: read as it arrives, never past its Content-Length."""

    def __init__(self, connection: Connection, length: int, deadline: float, expect_continue: bool) -> None:
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
            connection.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        connection.buffer += connection.recv(self._deadline)

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes of the body (all of what is left by default)."""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        if size == 0:
            return b""
        buffer = self._connection.buffer
        while len(buffer) < size:
            self._more()
        data = bytes(buffer[:size])
        del buffer[:size]
        self.expect_continue = False
        self.remaining -= size
        return data

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line of the body, at most ``size`` bytes of it."""
        limit = self.remaining if size is None or size < 0 else min(size, self.remaining)
        buffer = self._connection.buffer
        while True:
            newline = buffer.find(b"\n", 0, limit)
            if newline >= 0:
                return self.read(newline + 1)
            if len(buffer) >= limit:
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
        except (RequestError, ClientGoneError, OSError):
            return False
        return True
