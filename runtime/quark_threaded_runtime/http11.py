"""HTTP/1.1 message syntax as pure functions over bytes: no sockets, no threads, no clock.

The request side says whether a request head is complete
(:func:`head_end`), whether what has arrived of one can still become a
request (:func:`check_partial_head`), what a whole head asks for
(:func:`parse_head`) and how a chunked body decodes
(:class:`ChunkedDecoder`). The answer side has the one writer of response
heads (:func:`response_head`). Anything a conforming client would not send
is refused with :class:`~quark_threaded_runtime.errors.RequestError`, which
carries the status to answer and a message naming the part at fault.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes

from .errors import RequestError, quote, shorten

__all__ = [
    "CONTINUE",
    "MAX_CHUNK_LINE",
    "MAX_HEADERS",
    "MAX_LENGTH_DIGITS",
    "ChunkedDecoder",
    "Request",
    "check_partial_head",
    "head_end",
    "parse_content_length",
    "parse_head",
    "assemble_head",
    "header_line",
    "response_head",
    "status_line",
    "skip_blank_lines",
    "valid_host",
]

MAX_HEADERS = 100
"""The most header lines a request head (or a chunked body's trailer section) may have."""
MAX_CHUNK_LINE = 4096
"""The longest chunk-size line (size and extensions) of a chunked body, in bytes."""

MAX_LENGTH_DIGITS = 18
"""The most digits a Content-Length may have (a body of 10**18 bytes is over any limit)."""
_MAX_CHUNK_DIGITS = 16
_TOKEN_TEXT = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_METHODS = frozenset({"POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"})
# The methods the server passes on to an application (the Allow of its 405 to CONNECT).
_ALLOWED = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH"
# Control characters a field value may not hold (RFC 9110 §5.5); tab is allowed.
# CR and LF too: within a line, they are a bare CR or LF, not a line end.
_CONTROL_OR_CR = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# The same in a whole head, where CRLF ends a line and only a bare CR or LF is stray (RFC 9112 §2.2).
_STRAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")
# Control characters but CR, LF and tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What can begin a request that is still arriving: a method's token characters, and once a space
# has come, no control character but CR, LF and tab (a TLS hello, NUL bytes, a lone space cannot).
_PARTIAL_METHOD = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]*")
_PARTIAL_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?=[^\n])|(?<!\r)\n")
# How much of a request's start is checked for a method (methods are short; this bounds the work per read).
_METHOD_CHECK = 64
_ABSOLUTE = re.compile(r"[hH][tT][tT][pP][sS]?://([^/?#]*)(.*)", re.DOTALL)
# RFC 3986 §3.2.2 reg-name and IPv4address (both fit this), and the port of RFC 9112 §3.2.
_REG_NAME = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_IP_FUTURE = re.compile(r"v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+")
_PORT = re.compile(r"[0-9]*")
# Chunk extensions (RFC 9112 §7.1.1): ; name[=token or quoted-string], with optional whitespace.
_CHUNK_EXTENSIONS = re.compile(
    r"(?:[ \t]*;[ \t]*[!#$%&\'*+\-.^_`|~0-9A-Za-z]+"
    r'(?:[ \t]*=[ \t]*(?:[!#$%&\'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"))?)*[ \t]*'
)
_HEX = re.compile(r"[0-9A-Fa-f]+")
# A chunk-size line that is a size alone, the common case (at most 16 hex digits: see _size_line).
_HEX_LINE = re.compile(rb"[0-9A-Fa-f]{1,16}")
# Header names seen so far, as environ keys ("" for a name that is dropped).
# Bounded, so a client inventing names cannot grow it without end.
_CACHE_LIMIT = 512
# Host values found valid so far (bounded the same way): most clients send the same one every time.
_valid_hosts: set[str] = set()
_header_keys: dict[str, str] = {
    "Host": "HTTP_HOST",
    "Content-Length": "CONTENT_LENGTH",
    "Content-Type": "CONTENT_TYPE",
}


@dataclass(slots=True)
class Request:
    """A parsed request head: the WSGI environ it gives, and how to frame what follows it."""

    environ: dict[str, Any]
    """The CGI-style variables of the request (no ``wsgi.input`` yet)."""
    content_length: int
    """The body's length in bytes (0 when the head gives none; unknown, 0, for a chunked body)."""
    keep_alive: bool
    """Whether the connection may carry another request after this one's answer."""
    expect_continue: bool
    """Whether the client waits for ``100 Continue`` before it sends the body."""
    chunked: bool = False
    """Whether the body comes in chunks (``Transfer-Encoding: chunked``) instead of a length."""
    http11: bool = True
    """Whether the request is HTTP/1.1 (else 1.0)."""

    def copy(self) -> Request:
        """The same request with an environ of its own, which an application may change freely."""
        return Request(
            self.environ.copy(), self.content_length, self.keep_alive, self.expect_continue, self.chunked, self.http11
        )


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


def check_partial_head(data: bytes | bytearray, start: int = 0) -> None:
    """Refuse at once a head still arriving that can never become a request.

    A request begins with a method (token characters) and a space, ends its
    lines with CRLF, and holds no other control character but tab: bytes of
    another protocol (a TLS hello), NUL bytes, a leading space or a bare CR
    or LF are answered 400 without waiting for the rest (RFC 9112 §2.2, §3).
    ``start`` skips bytes already checked (the caller passes how far it looked last time).
    """
    method_end = _PARTIAL_METHOD.match(data, 0, _METHOD_CHECK).end()
    if method_end < min(len(data), _METHOD_CHECK) and (method_end == 0 or data[method_end] != 32):
        raise RequestError(400, f"not an HTTP request: it begins {quote(str(bytes(data[:41]), 'latin-1'), 40)}")
    if _PARTIAL_CONTROL.search(data, max(0, start - 1)) is not None:
        raise RequestError(400, "a control character, or a bare CR or LF, in the request head")


def valid_host(value: str) -> bool:
    """Whether ``value`` is a valid Host header value: ``uri-host [ ":" port ]`` (RFC 9112 §3.2, RFC 3986 §3.2.2).

    >>> valid_host("127.0.0.1:8910"), valid_host("[::1]:80"), valid_host("")
    (True, True, True)
    >>> valid_host("a b"), valid_host("user@a"), valid_host("a:80x")
    (False, False, False)
    """
    if value.startswith("["):
        literal, bracket, port = value[1:].partition("]")
        if not bracket or (port and (port[0] != ":" or not _PORT.fullmatch(port, 1))):
            return False
        if literal[:1] in ("v", "V"):
            return _IP_FUTURE.fullmatch(literal) is not None
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return False
        return "%" not in literal
    host, _, port = value.partition(":")
    return _REG_NAME.fullmatch(host) is not None and _PORT.fullmatch(port) is not None


def parse_head(head: bytes | bytearray | memoryview, base: dict[str, Any]) -> Request:
    """Parse a complete request head (request line and header lines, with or without the blank line).

    ``base`` holds the environ variables every request of the connection
    shares; the result's environ is a copy of it with this request's.
    Raises :class:`~quark_threaded_runtime.errors.RequestError` for anything malformed or unsupported.
    """
    text = str(head, "latin-1")
    # Exactly the CRLF CRLF that ends a head: a bare CR or LF before it is stray, not a line end.
    if text.endswith("\r\n\r\n"):
        text = text[:-4]
    lines = text.split("\r\n")
    # One look at the whole head for the common case; the lines are examined only if it finds something.
    # (Counting CRs and LFs against CRLFs finds a bare one faster than a regex with lookarounds.)
    crlf = text.count("\r\n")
    suspect = _CONTROL.search(text) is not None or text.count("\r") != crlf or text.count("\n") != crlf
    request_line = lines[0]
    parts = request_line.split(" ")
    if len(parts) != 3 or (suspect and _CONTROL_OR_CR.search(request_line)):
        raise RequestError(400, f"malformed request line {quote(request_line)}")
    method, target, version = parts
    if method not in _METHODS and not _TOKEN_TEXT.fullmatch(method):
        raise RequestError(400, f"malformed request line {quote(request_line)}")
    if version != "HTTP/1.1" and version != "HTTP/1.0":
        if version.startswith("HTTP/"):
            raise RequestError(505, f"{shorten(version, 20)} is not supported: use HTTP/1.1")
        raise RequestError(400, f"malformed request line {quote(request_line)}")
    if method == "CONNECT":
        # A tunnel is a proxy's business, not an origin server's (RFC 9110 §9.3.6).
        raise RequestError(405, "CONNECT is not supported: this is not a proxy", [("Allow", _ALLOWED)])
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
            raise RequestError(400, f"malformed header line {quote(line)}")
        key = keys.get(name)
        if key is None:
            key = _environ_key(name)
        value = value.strip(" \t")
        if suspect and _CONTROL_OR_CR.search(value):
            raise RequestError(400, f"the value of header {shorten(name, 40)} holds a control character")
        if not key:
            continue
        if key == "HTTP_HOST":
            hosts += 1
            if hosts > 1:
                raise RequestError(400, "more than one Host header")
            if value not in _valid_hosts:
                if not valid_host(value):
                    raise RequestError(400, f"malformed Host header {quote(value)}")
                if len(_valid_hosts) < _CACHE_LIMIT:
                    _valid_hosts.add(value)
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
    length = environ.get("CONTENT_LENGTH")
    chunked = False
    if "HTTP_TRANSFER_ENCODING" in environ:
        chunked = _check_transfer_coding(environ, version, length)
    if length is None:
        content_length = 0
    elif length.isdigit() and length.isascii() and len(length) <= MAX_LENGTH_DIGITS:
        content_length = int(length)
    else:
        content_length = parse_content_length(length)
    connection = environ.get("HTTP_CONNECTION")
    if version == "HTTP/1.1":
        keep_alive = connection is None or "close" not in connection.lower()
        expect = environ.get("HTTP_EXPECT")
        expect_continue = expect is not None and expect.lower() == "100-continue" and (content_length > 0 or chunked)
    else:
        keep_alive = connection is not None and "keep-alive" in connection.lower()
        expect_continue = False
    return Request(environ, content_length, keep_alive, expect_continue, chunked, version == "HTTP/1.1")


def parse_content_length(value: str) -> int:
    """A Content-Length value as a number (RFC 9110 §8.6): 400 if it is not digits, 413 if it is absurdly large.

    >>> parse_content_length("80")
    80
    """
    if not (value.isdigit() and value.isascii()):
        raise RequestError(400, f"Content-Length must be a non-negative whole number, not {quote(value, 20)}")
    # Digits counted first: int() refuses numbers of thousands of digits.
    if len(value) > MAX_LENGTH_DIGITS:
        raise RequestError(413, f"a body of {shorten(value, 23)} bytes is over any limit")
    return int(value)


def _check_transfer_coding(environ: dict[str, Any], version: str, length: str | None) -> bool:
    """Check a request's Transfer-Encoding (RFC 9112 §6.1, §6.3): True for a chunked body, else refuse it."""
    if version != "HTTP/1.1":
        raise RequestError(400, "Transfer-Encoding in an HTTP/1.0 request")
    if length is not None:
        # Two framings for one body is how requests are smuggled past a front end (RFC 9112 §6.3).
        raise RequestError(400, "a request may not have both Transfer-Encoding and Content-Length")
    value = environ["HTTP_TRANSFER_ENCODING"]
    codings = [coding.strip(" \t").lower() for coding in value.split(",")]
    for coding in codings:
        name = coding.partition(";")[0].strip(" \t")
        if not _TOKEN_TEXT.fullmatch(name):
            raise RequestError(400, f"malformed Transfer-Encoding {quote(value)}")
        if name != "chunked":
            raise RequestError(501, f"transfer coding {quote(name, 40)} is not supported: send chunked or a length")
    if codings != ["chunked"]:
        raise RequestError(400, f"malformed Transfer-Encoding {quote(value)}: chunked once, and last")
    # The decoded body has no length: the application reads wsgi.input to its end (wsgi.input_terminated).
    return True


def _set_target(environ: dict[str, Any], target: str, request_line: str) -> str | None:
    """Set PATH_INFO and QUERY_STRING from the request target; return its authority if it is absolute-form."""
    authority = None
    if target == "*" and environ["REQUEST_METHOD"] == "OPTIONS":
        # Asterisk-form (RFC 9112 §3.2.4): about the server as a whole, which no service is.
        environ["PATH_INFO"], environ["QUERY_STRING"] = "*", ""
        return None
    if "#" in target:
        # A fragment is for the client alone; no form of request target has one (RFC 9112 §3.2).
        raise RequestError(400, f"a request target may not hold a fragment ('#'): {quote(request_line)}")
    if not target.startswith("/"):
        absolute = _ABSOLUTE.fullmatch(target)
        if absolute is None:
            raise RequestError(400, f"malformed request target in {quote(request_line)}")
        authority, target = absolute.group(1), absolute.group(2) or "/"
        if not target.startswith(("/", "?")):
            raise RequestError(400, f"malformed request target in {quote(request_line)}")
        if "@" in authority:
            # Userinfo is deprecated in http URIs, and a way to mislead a reader of logs (RFC 9110 §4.2.4).
            raise RequestError(400, f"a request target may not hold userinfo: {quote(request_line)}")
        host = authority if authority.startswith("[") else authority.partition(":")[0]
        if not host or not valid_host(authority):
            # An http URI with an empty host is invalid (RFC 9110 §4.2.1).
            raise RequestError(400, f"malformed host in request target {quote(request_line)}")
        if target.startswith("?"):
            target = "/" + target
    path, _, query = target.partition("?")
    environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1") if "%" in path else path
    environ["QUERY_STRING"] = query
    return authority


def _environ_key(name: str) -> str:
    if not _TOKEN_TEXT.fullmatch(name):
        raise RequestError(400, f"malformed header name {quote(name, 40)}")
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


class ChunkedDecoder:
    """Decodes a chunked request body (RFC 9112 §7.1) from a buffer, as much as has arrived.

    :meth:`decode` takes bytes off the front of the buffer it is given and
    returns the body data in them; ``done`` turns true after the last
    chunk and the trailer section (whose fields are read, checked and
    dropped). ``max_trailer`` bounds the trailer section in bytes.

    >>> decoder = ChunkedDecoder(max_trailer=1024)
    >>> buffer = bytearray(b"5;x=1\\r\\nhello\\r\\n0\\r\\nNote: done\\r\\n\\r\\nNEXT")
    >>> decoder.decode(buffer), decoder.done, bytes(buffer)
    (b'hello', True, b'NEXT')
    """

    __slots__ = ("_remaining", "_state", "_trailer", "done", "max_trailer", "received")

    def __init__(self, max_trailer: int) -> None:
        self.max_trailer = max_trailer
        self.done = False
        self.received = 0
        """Body bytes decoded so far."""
        # "size": a chunk-size line is next; "data": _remaining bytes of a chunk; "end": the CRLF after
        # a chunk's data; "trailer": the trailer section, _trailer bytes of it seen so far.
        self._state = "size"
        self._remaining = 0
        self._trailer = 0

    def decode(self, buffer: bytearray) -> bytes:
        """Decode what ``buffer`` holds of the body, taking it off the buffer's front; return the data."""
        out = []
        at = 0
        size = len(buffer)
        try:
            while not self.done:
                state = self._state
                if state == "data":
                    take = min(self._remaining, size - at)
                    if not take:
                        break
                    out.append(buffer[at : at + take])
                    at += take
                    self._remaining -= take
                    self.received += take
                    if not self._remaining:
                        self._state = "end"
                    continue
                if state == "end":
                    if size - at < 2:
                        break
                    if buffer[at] != 13 or buffer[at + 1] != 10:
                        raise RequestError(400, "malformed chunked body: a chunk's data does not end with CRLF")
                    at += 2
                    self._state = "size"
                    continue
                limit = MAX_CHUNK_LINE if state == "size" else self.max_trailer - self._trailer
                end = buffer.find(b"\r\n", at, at + limit + 2)
                if end < 0:
                    if size - at >= limit + 2:
                        if state == "size":
                            raise RequestError(400, f"malformed chunked body: a chunk-size line over {limit} bytes")
                        raise RequestError(
                            431, f"the trailer section of a chunked body is over {self.max_trailer} bytes"
                        )
                    break
                line = buffer[at:end]
                at = end + 2
                if state == "size":
                    if _HEX_LINE.fullmatch(line):
                        self._remaining = int(line, 16)
                        self._state = "data" if self._remaining else "trailer"
                    else:
                        self._size_line(str(line, "latin-1"))
                    continue
                self._trailer += len(line) + 2
                if not line:
                    self.done = True
                else:
                    self._trailer_line(str(line, "latin-1"))
        finally:
            del buffer[:at]
        return b"".join(out)

    def _size_line(self, line: str) -> None:
        """A chunk-size line with extensions, or one to refuse."""
        size = _HEX.match(line)
        if _STRAY_CONTROL.search(line) or size is None or not _CHUNK_EXTENSIONS.fullmatch(line, size.end()):
            raise RequestError(400, f"malformed chunk-size line {quote(line)}")
        if size.end() > _MAX_CHUNK_DIGITS:
            raise RequestError(413, f"a chunk of {quote(size.group(), 20)} (hex) bytes is over any limit")
        self._remaining = int(size.group(), 16)
        self._state = "data" if self._remaining else "trailer"

    def _trailer_line(self, line: str) -> None:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN_TEXT.fullmatch(name) or _CONTROL_OR_CR.search(value):
            raise RequestError(400, f"malformed trailer field {quote(line)}")


def status_line(status: int | str) -> bytes:
    """The status line of an answer, from a code or a WSGI status string (``"200 OK"``)."""
    if type(status) is int:
        status = f"{status} {HTTPStatus(status).phrase}"
    return f"HTTP/1.1 {status}\r\n".encode("latin-1")


def header_line(name: str, value: str) -> bytes:
    """One header line of an answer (the caller has checked name and value)."""
    return f"{name}: {value}\r\n".encode("latin-1")


_CONNECTION = {True: b"Connection: close\r\n\r\n", False: b"Connection: keep-alive\r\n\r\n", None: b"\r\n"}


def assemble_head(status: bytes, lines: Iterable[bytes], close: bool | None = None) -> bytes:
    """Lay out an answer's head: the status line, the header lines and, unless ``close`` is None, Connection.

    Every head the server writes, its own answers' and applications', is laid out here.
    """
    return status + b"".join(lines) + _CONNECTION[close]


def response_head(status: int | str, headers: Iterable[tuple[str, str]], close: bool | None = None) -> bytes:
    """The head of an answer: status line, ``headers`` and, unless ``close`` is None, the Connection header.

    ``status`` is a code or a WSGI status string (``"200 OK"``).

    >>> response_head(204, [("X-Note", "a")], close=False)
    b'HTTP/1.1 204 No Content\\r\\nX-Note: a\\r\\nConnection: keep-alive\\r\\n\\r\\n'
    """
    return assemble_head(status_line(status), [header_line(name, value) for name, value in headers], close)


CONTINUE = response_head(100, ())
"""The interim answer that tells a client waiting with ``Expect: 100-continue`` to send its body."""
