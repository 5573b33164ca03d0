"""The server side of one HTTP/1.1 connection as a state machine over bytes (sans-IO, as h11 is).

:class:`HTTPConnection` holds no socket, thread or clock. Its owner hands
it the bytes a client sends (:meth:`~HTTPConnection.receive`) and asks what
they mean (:meth:`~HTTPConnection.next_event`): :data:`NEED_DATA`,
:data:`SEND_CONTINUE` (the client waits for ``100 Continue``), a
:class:`RequestReady` (a whole request, or one whose body is too large to
collect first and is read with :meth:`~HTTPConnection.read_body`), or
:data:`CLOSED` (the client hung up). A malformed request raises
:class:`~quark_threaded_runtime.errors.RequestError`, whose answer
:meth:`~HTTPConnection.error_answer` writes. The server's settings come as
one frozen :class:`Settings`.

>>> connection = HTTPConnection(Settings(), {"SERVER_NAME": "127.0.0.1"})
>>> connection.receive(b"POST /hello HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\n\\r\\nhel")
>>> connection.next_event()
NEED_DATA
>>> connection.receive(b"lo")
>>> event = connection.next_event()
>>> event.request.environ["PATH_INFO"], event.body
('/hello', b'hello')
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from .errors import RequestError
from .http11 import ChunkedDecoder, Request, check_partial_head, parse_head, response_head, skip_blank_lines

__all__ = [
    "CLOSED",
    "END_OF_BODY",
    "NEED_DATA",
    "SEND_CONTINUE",
    "HTTPConnection",
    "RequestReady",
    "Settings",
    "plain_error_body",
    "server_environ",
]

# The largest body collected before the application sees the request (1 MiB; the server's default too).
DEFAULT_MAX_BUFFERED_BODY = 1024 * 1024


def plain_error_body(status: int, message: str) -> bytes:
    """An error answer's body when the server is given no other format: the message as a line of text."""
    return f"{status} {HTTPStatus(status).phrase}: {message}\n".encode()


def server_environ(host: str, port: int) -> dict[str, Any]:
    """The WSGI variables every request to a server on ``host`` and ``port`` shares (PEP 3333)."""
    return {
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SCRIPT_NAME": "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }


@dataclass(frozen=True, slots=True)
class Settings:
    """What a server tells each of its connections: timeouts, limits and the format of its own answers.

    ``environ`` holds the WSGI variables every request on the server shares.
    """

    read_timeout: float = 10.0
    idle_timeout: float = 30.0
    max_header_bytes: int = 65536
    max_buffered_body: int = DEFAULT_MAX_BUFFERED_BODY
    error_body: Callable[[int, str], bytes] = plain_error_body
    error_content_type: str = "text/plain; charset=utf-8"
    environ: Mapping[str, Any] = field(default_factory=dict)


class _Event:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NEED_DATA = _Event("NEED_DATA")
"""Nothing to act on until more bytes arrive."""
SEND_CONTINUE = _Event("SEND_CONTINUE")
"""The client waits for ``100 Continue`` (:data:`~quark_threaded_runtime.http11.CONTINUE`) before it sends the body."""
END_OF_BODY = _Event("END_OF_BODY")
"""The body being read has no more bytes."""
CLOSED = _Event("CLOSED")
"""The client hung up."""


@dataclass(slots=True)
class RequestReady:
    """A request to answer: its head, and its body if it was collected (else None: read it with ``read_body``)."""

    request: Request
    body: bytes | None


_BLANK = b"\r\n"
# A connection remembers its last request head up to this size, parsed: a client calling the
# same method again sends the same head, which is then not parsed and checked a second time.
_REMEMBERED_HEAD = 2048
# States of a connection.
_HEAD = "head"  # waiting for (the rest of) a request head
_BODY = "body"  # collecting a body
_STREAM = "stream"  # a request handed on whose body is read as it arrives
_ANSWER = "answer"  # a request handed on with its whole body
_CLOSED = "closed"


class HTTPConnection:
    """The state of one server connection: bytes in, events out (see the module's documentation)."""

    __slots__ = (
        "_body_start",
        "_continued",
        "_decoder",
        "_last_head",
        "_last_request",
        "_max_head",
        "_parts",
        "_pending",
        "_remaining",
        "_request",
        "_searched",
        "_state",
        "base",
        "buffer",
        "fresh",
        "settings",
        "started",
    )

    def __init__(self, settings: Settings, base: dict[str, Any]) -> None:
        self.settings = settings
        self._max_head = settings.max_header_bytes
        self.base = base
        """The environ variables the connection's requests share."""
        self.buffer = bytearray()
        """Bytes received and not yet used: part of a request, or the start of the next one."""
        self.fresh = True
        """No request has been answered on the connection yet."""
        self.started = False
        """A request has begun to arrive (its first byte other than a blank line)."""
        self._state = _HEAD
        self._request: Request | None = None
        self._body_start = 0
        self._searched = 0
        self._continued = False
        self._decoder: ChunkedDecoder | None = None
        self._parts: list[bytes] = []
        self._pending = b""
        self._remaining = 0
        # The last head parsed (bytes) and its Request, whose environ no application has seen.
        self._last_head = b""
        self._last_request: Request | None = None

    def receive(self, data: bytes) -> None:
        """Take bytes the client sent; ``b""`` means it hung up."""
        if data:
            self.buffer += data
        else:
            self._state = _CLOSED

    def next_event(self) -> Any:
        """What the bytes so far mean: NEED_DATA, SEND_CONTINUE, a :class:`RequestReady` or CLOSED.

        Raises :class:`~quark_threaded_runtime.errors.RequestError` for a request to refuse.
        """
        state = self._state
        if state is _HEAD:
            buffer = self.buffer
            if not self.started:
                if buffer and buffer[0] in _BLANK:
                    # Blank lines before a request are skipped (RFC 9112 §2.2).
                    del buffer[: skip_blank_lines(buffer)]
                if not buffer:
                    return NEED_DATA
                self.started = True
            limit = self._max_head
            end = buffer.find(b"\r\n\r\n", max(0, self._searched - 3))
            if end < 0 or end > limit:
                if end >= 0 or len(buffer) > limit:
                    raise RequestError(431, f"request head over the limit of {limit} bytes")
                check_partial_head(buffer, self._searched)
                self._searched = len(buffer)
                return NEED_DATA
            last = self._last_head
            if last and end == len(last) and buffer.startswith(last):
                # parse_head is a pure function of the head's bytes: the same head means the same request.
                request = self._last_request.copy()
            else:
                with memoryview(buffer) as view:
                    request = parse_head(view[:end], self.base)
                if end <= _REMEMBERED_HEAD:
                    self._last_head = bytes(buffer[:end])
                    self._last_request = request.copy()
            end += 4
            self._request = request
            self._searched = 0
            self._continued = False
            if request.chunked:
                del buffer[:end]
                self._body_start = 0
                self._decoder = ChunkedDecoder(limit)
                self._parts = []
            else:
                stop = end + request.content_length
                if len(buffer) >= stop:
                    # The common case: the whole body came with the head.
                    body = bytes(buffer[end:stop])
                    del buffer[:stop]
                    self._state = _ANSWER
                    return RequestReady(request, body)
                self._body_start = end
            self._state = state = _BODY
        if state is _BODY:
            return self._collect()
        if state is _CLOSED:
            return CLOSED
        return NEED_DATA

    def _collect(self) -> Any:
        request = self._request
        buffer = self.buffer
        start = self._body_start
        limit = self.settings.max_buffered_body
        decoder = self._decoder
        if decoder is None:
            length = request.content_length
            if len(buffer) - start >= length:
                end = start + length
                body = bytes(buffer[start:end])
                del buffer[:end]
                self._state = _ANSWER
                return RequestReady(request, body)
            if length > limit:
                del buffer[:start]
                self._remaining = length
                self._state = _STREAM
                return RequestReady(request, None)
            received = len(buffer) - start
        else:
            data = decoder.decode(buffer)
            if data:
                self._parts.append(data)
            if decoder.done:
                body = b"".join(self._parts)
                self._parts = []
                self._decoder = None
                # Collected whole, the body has a length like any other.
                request.environ["CONTENT_LENGTH"] = str(len(body))
                self._state = _ANSWER
                return RequestReady(request, body)
            if decoder.received > limit:
                self._pending = b"".join(self._parts)
                self._parts = []
                self._state = _STREAM
                return RequestReady(request, None)
            received = decoder.received
        if request.expect_continue and not self._continued and not received and len(buffer) == start:
            self._continued = True
            return SEND_CONTINUE
        return NEED_DATA

    @property
    def continue_owed(self) -> bool:
        """Whether the client of a streamed body still waits for ``100 Continue`` (none sent, nothing read)."""
        return (
            self._state is _STREAM
            and self._request.expect_continue
            and not self._continued
            and not self.buffer
            and not self._pending
            and (self._decoder.received == 0 if self._decoder is not None else True)
        )

    def continue_sent(self) -> None:
        """Note that ``100 Continue`` went out."""
        self._continued = True

    @property
    def body_pending(self) -> bool:
        """Whether a streamed body has bytes the application has not read."""
        return self._state is _STREAM and (
            bool(self._pending) or (self._remaining > 0 if self._decoder is None else not self._decoder.done)
        )

    @property
    def body_left(self) -> int | None:
        """How many bytes of a streamed body are still to come, if its length says (None for chunks)."""
        return self._remaining if self._decoder is None else None

    def read_body(self, size: int) -> Any:
        """Up to ``size`` bytes of a streamed body, :data:`NEED_DATA` or :data:`END_OF_BODY`."""
        decoder = self._decoder
        buffer = self.buffer
        if decoder is None:
            if not self._remaining:
                return END_OF_BODY
            if not buffer:
                return NEED_DATA
            take = min(size, self._remaining, len(buffer))
            data = bytes(buffer[:take])
            del buffer[:take]
            self._remaining -= take
            self._continued = True
            return data
        if not self._pending:
            if decoder.done:
                return END_OF_BODY
            self._pending = decoder.decode(buffer)
            if not self._pending:
                return END_OF_BODY if decoder.done else NEED_DATA
        self._continued = True
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def start_next(self) -> None:
        """After an answer that keeps the connection open: expect the next request (the body must have been read)."""
        if self.body_pending:
            raise RequestError(500, "the body of the last request was not read to its end")
        self._state = _HEAD
        self._request = None
        self._decoder = None
        self.fresh = False
        self.started = False

    def error_answer(self, error: RequestError) -> bytes:
        """The server's own answer to a refused request: head and body; it closes the connection."""
        settings = self.settings
        body = settings.error_body(error.status, error.message)
        headers = [
            ("Content-Type", settings.error_content_type),
            *error.headers,
            ("Content-Length", str(len(body))),
        ]
        return response_head(error.status, headers, close=True) + body
