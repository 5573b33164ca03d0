"""One client connection of the runtime's HTTP server: its socket, its protocol state, and the WSGI calls on it.

The scheduler (:class:`~quark_threaded_runtime.server.WSGIServer`) feeds a
:class:`Connection`'s :attr:`~Connection.http` state machine what the client
sends; once it yields a request, a thread has the connection answer it
(:meth:`Connection.answer`), calling the WSGI application as PEP 3333 says.
A body too large to collect first is read as the application asks for it,
through :class:`Body`. A connection knows only its socket, its application
and the server's frozen :class:`~quark_threaded_runtime.protocol.Settings`.
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
from typing import Any

from .errors import ClientGoneError, RequestError, ResponseError, shorten
from .http11 import CONTINUE
from .protocol import END_OF_BODY, NEED_DATA, HTTPConnection, RequestReady, Settings
from .response import Response

__all__ = ["DONTWAIT", "RECV", "Body", "Connection"]

log = logging.getLogger("quark_threaded_runtime.server")

RECV = 65536
"""The most bytes read from a socket at once."""
DONTWAIT = getattr(socket, "MSG_DONTWAIT", 0)
"""The flag that keeps a read or write from blocking (the server's leader must never block)."""
# Unread body bytes left after an answer are read and dropped up to this many,
# so the connection can stay open; past it the connection is closed instead.
_DRAIN_LIMIT = 65536
_FAILED = "the server failed to answer; see the server's log"


def _timeval(seconds: float) -> bytes:
    """``seconds`` as the ``struct timeval`` that SO_RCVTIMEO and SO_SNDTIMEO take."""
    if sys.platform == "win32":
        return struct.pack("I", max(1, int(seconds * 1000)))
    whole, fraction = divmod(seconds, 1)
    # A zero timeval would mean "no timeout at all": round a tiny remainder up to 1 µs.
    micro = max(1, int(fraction * 1_000_000)) if whole == 0 else int(fraction * 1_000_000)
    return struct.pack("ll", int(whole), micro)


class Connection:
    """One client connection: its socket, its :class:`~quark_threaded_runtime.protocol.HTTPConnection`, its answers."""

    __slots__ = (
        "_body",
        "_head_sent",
        "_ready",
        "_response",
        "app",
        "dropped",
        "http",
        "lingering",
        "registered",
        "settings",
        "sock",
        "timeout",
        "unread",
    )

    def __init__(self, sock: socket.socket, settings: Settings, app: Callable[..., Any], peer: Any) -> None:
        self.sock = sock
        self.settings = settings
        self.app = app
        base = dict(settings.environ, REMOTE_ADDR=str(peer[0]), REMOTE_PORT=str(peer[1]))
        self.http = HTTPConnection(settings, base)
        """The connection's protocol state: bytes in, events out."""
        # Scheduler state: whether the leader's selector watches it (and whether bytes may have come
        # meanwhile that no event will tell of, see Poller.poll); answered for the last
        # time and waiting for the client to hang up (bytes dropped meanwhile, counted).
        self.registered = False
        self.unread = False
        self.lingering = False
        self.dropped = 0
        self.timeout: float | None = None
        self._response: Response | None = None
        self._head_sent = False
        self._ready: RequestReady | None = None
        self._body: Body | io.BytesIO | None = None
        # Blocking, whatever socket.setdefaulttimeout() says: timeouts are the kernel's (see _set_timeout).
        sock.settimeout(None)
        # An answer the client does not read cannot hold the thread longer than a request may take.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(settings.read_timeout))

    def send_error(self, error: RequestError, *, wait: bool = True) -> None:
        """Answer a refused request with the server's error body; ``wait=False`` sends only what fits at once."""
        data = self.http.error_answer(error)
        with contextlib.suppress(OSError):
            if wait:
                self.sock.sendall(data)
            else:
                self.sock.send(data, DONTWAIT)

    def send_continue(self) -> None:
        """Tell a client waiting with ``Expect: 100-continue`` to send its body (without blocking)."""
        with contextlib.suppress(OSError):
            self.sock.send(CONTINUE, DONTWAIT)

    def answer(self, ready: RequestReady) -> bool:
        """Call the application for a request and send its answer; return whether the connection stays open.

        Raises :class:`~quark_threaded_runtime.errors.RequestError` for an
        answer the server gives itself (the connection then closes), and
        :class:`~quark_threaded_runtime.errors.ClientGoneError` when the
        connection must close without one (its answer was cut short).
        """
        request = ready.request
        environ = request.environ
        self._ready = ready
        self._response = None
        self._head_sent = False
        if ready.body is not None:
            body = io.BytesIO(ready.body)
        else:
            body = Body(self, time.monotonic() + self.settings.read_timeout)
        self._body = body
        environ["wsgi.input"] = body
        try:
            result = self.app(environ, self._start_response)
            try:
                if type(result) is list and not self._head_sent:
                    # The whole body is at hand: one send, with its length.
                    if len(result) == 1 and type(result[0]) is bytes:
                        payload = result[0]
                    else:
                        payload = b"".join(_checked_blocks(result))
                    response = self._response
                    if response is None:
                        raise ResponseError("the WSGI application returned without calling start_response")
                    keep_alive = request.keep_alive
                    if keep_alive and type(body) is Body:
                        keep_alive = self._drained()
                    data = response.whole(payload, environ["REQUEST_METHOD"] == "HEAD", request.http11, keep_alive)
                    self._head_sent = True
                    self._send(data)
                else:
                    for block in _checked_blocks(result):
                        if block:
                            self._write(block)
                    response = self._started()
                    tail = b"" if self._head_sent else self._head(response, 0)
                    self._head_sent = True
                    tail += response.end()
                    if tail:
                        self._send(tail)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (RequestError, ClientGoneError):
            if self._head_sent:
                raise ClientGoneError from None
            raise
        except BaseException as error:
            # SystemExit and KeyboardInterrupt too: they end this call, not the server.
            log.error(
                "the WSGI application failed while answering %s %s",
                environ["REQUEST_METHOD"],
                shorten(environ["PATH_INFO"], 100),
                exc_info=error,
            )
            if self._head_sent:
                # Part of the answer is out: only closing the connection tells the client it is cut short.
                raise ClientGoneError from None
            raise RequestError(500, _FAILED) from None
        finally:
            self._ready = None
            self._body = None
        if response.truncated:
            log.error(
                "the WSGI application's body for %s %s did not match its Content-Length of %d: connection closed",
                environ["REQUEST_METHOD"],
                shorten(environ["PATH_INFO"], 100),
                response.declared,
            )
        return response.keep_alive

    def _started(self) -> Response:
        response = self._response
        if response is None:
            raise ResponseError("the WSGI application returned without calling start_response")
        return response

    def _drained(self) -> bool:
        """Whether a streamed body is read to its end (a little of it is read and dropped if need be).

        Unread body bytes would be taken for the next request: a few are dropped, else the connection
        closes. A client still waiting for 100 Continue may or may not send the body now: that
        connection cannot be reused.
        """
        http = self.http
        if not http.body_pending:
            return True
        left = http.body_left
        return not http.continue_owed and left is not None and left <= _DRAIN_LIMIT and self._body.drain(_DRAIN_LIMIT)

    def _head(self, response: Response, body_length: int | None) -> bytes:
        """The head of an answer sent while the application runs (``write()``, a body of blocks).

        The application may still read its request's body after the head is
        out, so it is not drained here: if it is not all read by now, the
        connection closes after the answer.
        """
        request = self._ready.request
        keep_alive = request.keep_alive and not (type(self._body) is Body and self.http.body_pending)
        head_only = request.environ["REQUEST_METHOD"] == "HEAD"
        return response.head(head_only, request.http11, keep_alive, body_length)

    def _start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., None]:
        if exc_info is not None:
            try:
                if self._head_sent:
                    # Too late to change the answer: PEP 3333 has the error raised again.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self._response is not None:
            raise AssertionError("start_response called twice without exc_info")
        self._response = Response(status, headers)
        return self._write

    def _write(self, data: bytes) -> None:
        """WSGI's ``write()``: send a block of the body now (the head first, if it has not gone)."""
        if type(data) is not bytes:
            raise ResponseError(f"write() takes bytes, not {type(data).__name__}")
        response = self._started()
        if self._head_sent:
            out = response.body(data)
        else:
            head = self._head(response, None)
            self._head_sent = True
            out = head + response.body(data)
        if out:
            self._send(out)

    def _send(self, data: bytes) -> None:
        """Send all of ``data``; a socket error means the client is gone (not the application's failure)."""
        try:
            self.sock.sendall(data)
        except OSError:
            raise ClientGoneError from None

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
                raise RequestError(408, f"request not received within {self.settings.read_timeout:g} s")
            if self.timeout is None or self.timeout > remaining:
                self._set_timeout(remaining)
            try:
                data = self.sock.recv(RECV)
            except (BlockingIOError, TimeoutError):
                continue
            except OSError:
                raise ClientGoneError from None
            if not data:
                raise ClientGoneError
            return data


def _checked_blocks(result: Any) -> Any:
    """The blocks of an application's body, each checked to be bytes (PEP 3333)."""
    for block in result:
        if type(block) is not bytes:
            raise ResponseError(f"the WSGI application's body holds {type(block).__name__}, not bytes")
        yield block


class Body:
    """``wsgi.input`` for a body too large to collect first: read as it arrives, never past its end."""

    def __init__(self, connection: Connection, deadline: float) -> None:
        self._connection = connection
        self._http = connection.http
        self._deadline = deadline

    def _next(self, size: int) -> bytes | None:
        """Up to ``size`` bytes of the body (waiting for them), or None at its end."""
        http = self._http
        while True:
            data = http.read_body(size)
            if data is END_OF_BODY:
                return None
            if data is not NEED_DATA:
                return data
            connection = self._connection
            if http.continue_owed:
                http.continue_sent()
                connection._send(CONTINUE)
            http.receive(connection.recv(self._deadline))

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes of the body (all of what is left by default)."""
        whole = size is None or size < 0
        parts = []
        got = 0
        while whole or got < size:
            data = self._next(RECV if whole else size - got)
            if data is None:
                break
            parts.append(data)
            got += len(data)
        return b"".join(parts)

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line of the body, at most ``size`` bytes of it."""
        parts = []
        got = 0
        limit = -1 if size is None or size < 0 else size
        while limit < 0 or got < limit:
            data = self._next(1)
            if data is None:
                break
            parts.append(data)
            got += 1
            if data == b"\n":
                break
        return b"".join(parts)

    def readlines(self, hint: int | None = None) -> list[bytes]:
        """Read the rest of the body as a list of lines."""
        return self.read().splitlines(keepends=True)

    def __iter__(self):
        yield from self.readlines()

    def drain(self, limit: int) -> bool:
        """Read and drop what is left of the body, up to ``limit`` bytes; return whether it ended within that."""
        try:
            dropped = 0
            while dropped <= limit:
                data = self._next(RECV)
                if data is None:
                    return True
                dropped += len(data)
        except (RequestError, ClientGoneError, OSError):
            return False
        return False
