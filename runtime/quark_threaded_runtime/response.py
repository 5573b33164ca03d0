"""An application's answer as it goes on the wire: checked (PEP 3333, RFC 9110) and framed (RFC 9112 §6).

Pure over values and bytes, like :mod:`~quark_threaded_runtime.protocol`:
:class:`Response` checks the status and headers a WSGI application gives
``start_response``, then says what to send for its head and for each block
of its body, enforcing the length it declared.

>>> response = Response("200 OK", [("Content-Length", "5"), ("Keep-Alive", "timeout=5")])
>>> response.head(head_only=False, http11=True, keep_alive=True, body_length=None)
b'HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\nConnection: keep-alive\\r\\n\\r\\n'
>>> response.body(b"hello, world"), response.keep_alive
(b'hello', False)
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ResponseError, quote
from .http11 import assemble_head, header_line, status_line

__all__ = ["HOP_BY_HOP", "Response"]

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers"}
    | {"transfer-encoding", "upgrade", "proxy-connection"}
)
"""Headers about one connection, not the answer: the server's alone to send (PEP 3333, RFC 9110 §7.6.1)."""

_STATUS = re.compile(r"([2-5][0-9][0-9]) [^\x00-\x08\x0a-\x1f\x7f]*")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Control characters a field value may not hold (RFC 9110 §5.5), CR and LF first among them.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class Response:
    """The status and headers of an application's answer, checked; and the framing of its body.

    Raises :class:`~quark_threaded_runtime.errors.ResponseError` for what a
    server must not send: a malformed status (or a 1xx, which would leave the
    client waiting for a final answer), a header that is not a pair of
    strings, a malformed name, a control character in a value (which would
    split the answer), or a malformed ``Content-Length``. Hop-by-hop headers
    are dropped (an application's ``Connection: close`` is honoured).
    """

    __slots__ = ("_chunked", "_lines", "_no_body", "_sent", "_status", "code", "declared", "keep_alive", "truncated")

    def __init__(self, status: Any, headers: Any) -> None:
        key = known = None
        if type(headers) is list:
            try:
                key = (status, *headers)
                known = _checked_answers.get(key)
            except TypeError:  # an unhashable header item: checked (and refused) by _check_answer
                key = None
        if known is None:
            known = _check_answer(status, headers)
            if key is not None and len(_checked_answers) < _CACHE_LIMIT:
                _checked_answers[key] = known
        self.code, self._status, lines, declared, self.keep_alive = known
        self._lines = list(lines)
        self.declared: int | None = declared
        """The body length the application declared (``Content-Length``), if it did."""
        self.truncated = False
        """Whether the body sent differs from the declared length (the connection then closes)."""
        self._no_body = self.code == 204 or self.code == 304
        self._chunked = False
        self._sent = 0

    def whole(self, payload: bytes, head_only: bool, http11: bool, keep_alive: bool) -> bytes:
        """The whole answer, head and body, for a body at hand (see :meth:`head`)."""
        head = self.head(head_only, http11, keep_alive, len(payload))
        if self._no_body:
            return head
        declared = self.declared
        if declared is not None and len(payload) != declared:
            self.truncated = True
            payload = payload[:declared]
        return head + payload

    def head(self, head_only: bool, http11: bool, keep_alive: bool, body_length: int | None) -> bytes:
        """The answer's head; ``body_length`` is the whole body's length when it is known before sending.

        The body is framed by the declared ``Content-Length``, else by one
        the server adds from ``body_length``, else (HTTP/1.1) in chunks, else
        by closing the connection. 204 and 304 answers have no body and no
        ``Content-Length`` (RFC 9110 §8.6); a HEAD answer has no body.
        """
        declared = self.declared
        lines = self._lines
        if self._no_body:
            self.declared = None
        elif declared is not None:
            if body_length is not None and body_length != declared:
                # Known now to break its own length: send what was declared, then close.
                self.keep_alive = False
            lines.append(b"Content-Length: %d\r\n" % declared)
        elif body_length is not None:
            lines.append(b"Content-Length: %d\r\n" % body_length)
        elif head_only:
            pass
        elif http11:
            self._chunked = True
            lines.append(b"Transfer-Encoding: chunked\r\n")
        else:
            self.keep_alive = False
        if head_only:
            self._no_body = True
        self.keep_alive = keep_alive = keep_alive and self.keep_alive
        return assemble_head(self._status, lines, not keep_alive)

    def body(self, data: bytes) -> bytes:
        """What to send for one block of the body: cut at the declared length, or as a chunk."""
        if self._no_body or not data:
            return b""
        if self._chunked:
            return b"%x\r\n%b\r\n" % (len(data), data)
        declared = self.declared
        if declared is not None:
            room = declared - self._sent
            if len(data) > room:
                # More than declared: the rest would be read as the next answer. Cut, and close after.
                data = data[:room]
                self.truncated = True
                self.keep_alive = False
        self._sent += len(data)
        return data

    def end(self) -> bytes:
        """What ends the body: the last chunk; a body short of its declared length closes the connection."""
        if self._no_body:
            return b""
        if self._chunked:
            return b"0\r\n\r\n"
        if self.declared is not None and self._sent < self.declared:
            # The client waits for bytes that will not come: only closing tells it the answer ended short.
            self.truncated = True
            self.keep_alive = False
        return b""


# Statuses and header items already checked, with what the head needs of them: most answers repeat them.
# Bounded, so an application inventing values cannot grow them without end.
_CACHE_LIMIT = 4096
_checked_statuses: dict[str, tuple[int, bytes]] = {}
_checked_headers: dict[tuple[str, str], tuple[str, bytes]] = {}
# Whole answers' status and headers, checked: their code, status line, header lines, declared length and
# whether they let the connection live (an application answering the same way skips every check).
_checked_answers: dict[tuple[Any, ...], tuple[int, bytes, tuple[bytes, ...], int | None, bool]] = {}


def _check_answer(status: Any, headers: Any) -> tuple[int, bytes, tuple[bytes, ...], int | None, bool]:
    """An answer's code, status line, header lines, declared length and whether it lets the connection live."""
    checked = _checked_statuses.get(status) if type(status) is str else None
    if checked is None:
        checked = _check_status(status)
    if type(headers) is not list:
        raise ResponseError(f"the WSGI application gave headers as {type(headers).__name__}, not a list")
    keep_alive = True
    declared = None
    lines = []
    cache = _checked_headers
    for item in headers:
        found = cache.get(item) if type(item) is tuple else None
        lowered, line = found or _check_header(item)
        if lowered in HOP_BY_HOP:
            # The server frames the answer and owns the connection's fate.
            if lowered == "connection" and "close" in item[1].lower():
                keep_alive = False
            continue
        if lowered == "content-length":
            value = item[1]
            if not (value.isascii() and value.isdigit() and len(value) <= 18):
                raise ResponseError(f"the WSGI application gave a malformed Content-Length {quote(value)}")
            if declared is not None:
                if declared != int(value):
                    raise ResponseError("the WSGI application gave two different Content-Lengths")
                continue
            declared = int(value)
            continue
        lines.append(line)
    return (*checked, tuple(lines), declared, keep_alive)


def _check_status(status: Any) -> tuple[int, bytes]:
    if type(status) is not str or (match := _STATUS.fullmatch(status)) is None:
        raise ResponseError(f"the WSGI application gave a malformed status {quote(str(status))}")
    try:
        checked = int(match.group(1)), status_line(status)
    except UnicodeEncodeError:
        raise ResponseError(f"the WSGI application gave a status that is not latin-1: {quote(status)}") from None
    if len(_checked_statuses) < _CACHE_LIMIT:
        _checked_statuses[status] = checked
    return checked


def _check_header(item: Any) -> tuple[str, bytes]:
    """A header item's lower-cased name and line, once it is checked (PEP 3333, RFC 9110 §5)."""
    if type(item) is not tuple or len(item) != 2 or type(item[0]) is not str or type(item[1]) is not str:
        raise ResponseError(f"the WSGI application gave a header that is not a pair of strings: {item!r:.80}")
    name, value = item
    if not _TOKEN.fullmatch(name):
        raise ResponseError(f"the WSGI application gave a malformed header name {quote(name)}")
    if _CONTROL.search(value):
        raise ResponseError(f"the WSGI application's header {name} holds a control character (CR, LF, ...)")
    try:
        checked = name.lower(), header_line(name, value)
    except UnicodeEncodeError:
        raise ResponseError(f"the WSGI application's header {name} is not latin-1") from None
    if len(_checked_headers) < _CACHE_LIMIT:
        _checked_headers[item] = checked
    return checked
