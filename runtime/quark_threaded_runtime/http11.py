"""HTTP/1.1 request framing as pure functions over bytes: no sockets, no threads, no clock.

The server feeds these the bytes a client has sent so far; they say whether
a request head is complete (:func:`head_end`), what it asks for
(:func:`parse_head`), and whether its body has arrived. Anything a
conforming client would not send is refused with :class:`RequestError`,
which carries the status to answer and a message naming the part at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from .errors import QuarkError

__all__ = ["MAX_HEADERS", "Request", "RequestError", "head_end", "parse_head", "skip_blank_lines"]

MAX_HEADERS = 100
"""The most header lines a request head may have."""

_MAX_LENGTH_DIGITS = 18
# How much of what the client sent a message quotes.
_QUOTE = 80
_TOKEN_TEXT = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_METHODS = frozenset({"POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"})
# Control characters a field value may not hold (RFC 9110 §5.5); tab is allowed.
# CR and LF too: within a line, they are a bare CR or LF, not a line end.
_CONTROL_OR_CR = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# The same in a whole head, where CRLF ends a line and only a bare CR or LF is stray.
_STRAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")
_ABSOLUTE = re.compile(r"[hH][tT][tT][pP][sS]?://([^/?#]*)(.*)", re.DOTALL)
# Header names seen so far, as environ keys ("" for a name that is dropped).
# Bounded, so a client inventing names cannot grow it without end.
_CACHE_LIMIT = 512
_header_keys: dict[str, str] = {
    "Host": "HTTP_HOST",
    "Content-Length": "CONTENT_LENGTH",
    "Content-Type": "CONTENT_TYPE",
}


class RequestError(QuarkError):
    """A request the server refuses before any application sees it: ``status`` and ``message`` to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class Request:
    """A parsed request head: the WSGI environ it gives, and how to frame what follows it."""

    environ: dict[str, Any]
    """The CGI-style variables of the request (no ``wsgi.input`` yet)."""
    content_length: int
    """The body's length in bytes (0 when the head gives none)."""
    keep_alive: bool
    """Whether the connection may carry another request after this one's answer."""
    expect_continue: bool
    """Whether the client waits for ``100 Continue`` before it sends the body."""


def skip_blank_lines(data: bytes | bytearray, start: int = 0) -> int:
    """The offset of the first byte at or after ``start`` that is not CR or LF.

    Clients may send a stray CRLF after a body (RFC 9112 §2.2); it is not a request.
    """
    end = len(data)
    while start < end and data[start] in (13, 10):
        start += 1
    return start


def head_end(data: bytes | bytearray, start: int = 0, search_from: int = 0) -> int:
    """The offset just past the blank line that ends the head beginning at ``start``, or -1 if none yet.

    ``search_from`` skips bytes already searched (the caller passes how far it looked last time).
    """
    found = data.find(b"\r\n\r\n", max(start, search_from - 3))
    return -1 if found < 0 else found + 4


def parse_head(head: bytes | bytearray | memoryview, base: dict[str, Any]) -> Request:
    """Parse a complete request head (request line and header lines, with or without the blank line).

    ``base`` holds the environ variables every request of the connection
    shares; the result's environ is a copy of it with this request's.
    Raises :class:`RequestError` for anything malformed or unsupported.
    """
    text = str(head, "latin-1").rstrip("\r\n")
    lines = text.split("\r\n")
    # One look at the whole head for the common case; the lines are examined only if it finds something.
    suspect = _STRAY_CONTROL.search(text) is not None
    request_line = lines[0]
    parts = request_line.split(" ")
    if len(parts) != 3 or (suspect and _CONTROL_OR_CR.search(request_line)):
        raise RequestError(400, f"malformed request line {_quote(request_line)}")
    method, target, version = parts
    if method not in _METHODS and not _TOKEN_TEXT.fullmatch(method):
        raise RequestError(400, f"malformed request line {_quote(request_line)}")
    if version != "HTTP/1.1" and version != "HTTP/1.0":
        if version.startswith("HTTP/"):
            raise RequestError(505, f"{version[:20]} is not supported: use HTTP/1.1")
        raise RequestError(400, f"malformed request line {_quote(request_line)}")
    if len(lines) > MAX_HEADERS + 1:
        raise RequestError(431, f"more than {MAX_HEADERS} header lines")
    environ = base.copy()
    environ["REQUEST_METHOD"] = method
    environ["SERVER_PROTOCOL"] = version
    authority = _set_target(environ, target, request_line)
    keys = _header_keys
    hosts = 0
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise RequestError(400, f"malformed header line {_quote(line)}")
        key = keys.get(name)
        if key is None:
            key = _environ_key(name)
        value = value.strip(" \t")
        if suspect and _CONTROL_OR_CR.search(value):
            raise RequestError(400, f"the value of header {name[:40]} holds a control character")
        if not key:
            continue
        if key == "HTTP_HOST":
            hosts += 1
            if hosts > 1:
                raise RequestError(400, "more than one Host header")
        if key in environ:
            if key == "CONTENT_LENGTH" or key == "CONTENT_TYPE":
                if environ[key] != value:
                    raise RequestError(400, f"conflicting {name} headers")
                continue
            value = environ[key] + "," + value
        environ[key] = value
    if version == "HTTP/1.1" and not hosts:
        raise RequestError(400, "an HTTP/1.1 request needs a Host header")
    if authority is not None:
        # An absolute-form target's authority overrides any Host header (RFC 9112 §3.2.2).
        environ["HTTP_HOST"] = authority
    if "HTTP_TRANSFER_ENCODING" in environ:
        raise RequestError(411, "chunked request bodies are not supported: send the body with a Content-Length")
    length = environ.get("CONTENT_LENGTH")
    content_length = 0
    if length is not None:
        if not (length.isdigit() and length.isascii()):
            raise RequestError(400, f"Content-Length must be a non-negative whole number, not {length[:20]!r}")
        if len(length) > _MAX_LENGTH_DIGITS:
            raise RequestError(413, f"a body of {length[:20]}... bytes is over any limit")
        content_length = int(length)
    connection = environ.get("HTTP_CONNECTION")
    if version == "HTTP/1.1":
        keep_alive = connection is None or "close" not in connection.lower()
        expect = environ.get("HTTP_EXPECT")
        expect_continue = expect is not None and expect.lower() == "100-continue" and content_length > 0
    else:
        keep_alive = connection is not None and "keep-alive" in connection.lower()
        expect_continue = False
    return Request(environ, content_length, keep_alive, expect_continue)


def _set_target(environ: dict[str, Any], target: str, request_line: str) -> str | None:
    """Set PATH_INFO and QUERY_STRING from the request target; return its authority if it is absolute-form."""
    authority = None
    if target == "*" and environ["REQUEST_METHOD"] == "OPTIONS":
        # Asterisk-form (RFC 9112 §3.2.4): about the server as a whole, which no service is.
        environ["PATH_INFO"], environ["QUERY_STRING"] = "*", ""
        return None
    if not target.startswith("/"):
        absolute = _ABSOLUTE.fullmatch(target)
        if absolute is None:
            raise RequestError(400, f"malformed request target in {_quote(request_line)}")
        authority, target = absolute.group(1), absolute.group(2) or "/"
        if not target.startswith(("/", "?")):
            raise RequestError(400, f"malformed request target in {_quote(request_line)}")
        if target.startswith("?"):
            target = "/" + target
    path, _, query = target.partition("?")
    environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1") if "%" in path else path
    environ["QUERY_STRING"] = query
    return authority


def _environ_key(name: str) -> str:
    if not _TOKEN_TEXT.fullmatch(name):
        raise RequestError(400, f"malformed header name {name[:40]!r}")
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


def _quote(text: str) -> str:
    return repr(text[:_QUOTE]) + ("..." if len(text) > _QUOTE else "")
