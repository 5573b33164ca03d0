"""One reader of HTTP/1.1 answers, for tests and benchmarks that send bytes of their own.

It reads what a client must (RFC 9112 §6.3): no body for 1xx, 204 and 304
answers or when asked for the head only, a ``Content-Length`` body, a
``chunked`` body, or else everything until the server closes. The parsing
is pure (:func:`split_answer`, :func:`take_answers`, :func:`answers_in`);
:class:`AnswerReader` feeds it from a socket, :class:`Wire` is a raw
client connection around one, and :func:`exchange` and
:func:`exchange_until_closed` are one-shot conversations.
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field


@dataclass
class Answer:
    """One HTTP answer: status line parts, headers in order, body."""

    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    version: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        """The value of the first header called ``name`` (any case), if any."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def header_map(self) -> dict[str, str]:
        """The headers by lower-cased name (the last value wins)."""
        return {key.lower(): value for key, value in self.headers}

    @property
    def status_line(self) -> str:
        """``HTTP/1.1 200 OK``."""
        return f"{self.version} {self.status} {self.reason}".rstrip()

    def json(self) -> object:
        """The body, decoded as JSON."""
        return json.loads(self.body)

    @property
    def message(self) -> str:
        """The ``error.message`` of a JSON error body ``{"error": {"status": ..., "message": ...}}``."""
        document = self.json()
        assert isinstance(document, dict), document
        assert document["error"]["status"] == self.status, document
        return document["error"]["message"]


class IncompleteAnswerError(ValueError):
    """Bytes that end in the middle of an answer."""


def parse_head(head: bytes) -> Answer:
    """The status line and headers of an answer head (without its blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    status, _, reason = rest.partition(" ")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return Answer(int(status), reason, headers, b"", version)


def split_answer(
    data: bytes | bytearray, *, closed: bool = False, head_only: bool = False
) -> tuple[Answer, int] | None:
    """The answer at the start of ``data`` and how many bytes it takes, or None if it has not all arrived.

    ``closed`` says the server has closed, so a body with no length ends with ``data``.
    """
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    answer = parse_head(bytes(data[:end]))
    start = end + 4
    if head_only or answer.status < 200 or answer.status in (204, 304):
        return answer, start
    coding = (answer.header("Transfer-Encoding") or "").lower()
    if coding.endswith("chunked"):
        return _split_chunked(data, start, answer)
    length = answer.header("Content-Length")
    if length is not None:
        size = int(length)
        if len(data) < start + size:
            return None
        answer.body = bytes(data[start : start + size])
        return answer, start + size
    if not closed:
        return None
    answer.body = bytes(data[start:])
    return answer, len(data)


def _split_chunked(data: bytes | bytearray, at: int, answer: Answer) -> tuple[Answer, int] | None:
    parts = []
    while True:
        line_end = data.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(data[at:line_end]).split(b";")[0].strip(), 16)
        at = line_end + 2
        if size == 0:
            while True:  # trailers, up to the empty line
                line_end = data.find(b"\r\n", at)
                if line_end < 0:
                    return None
                empty = line_end == at
                at = line_end + 2
                if empty:
                    answer.body = b"".join(parts)
                    return answer, at
        if len(data) < at + size + 2:
            return None
        parts.append(bytes(data[at : at + size]))
        at += size + 2


def take_answers(buffer: bytearray) -> list[Answer]:
    """Remove the whole answers at the start of ``buffer`` (each with a length or chunked); return them."""
    answers = []
    while (found := split_answer(buffer)) is not None:
        answer, used = found
        del buffer[:used]
        answers.append(answer)
    return answers


def answers_in(data: bytes) -> list[Answer]:
    """Every answer in ``data``, all a server sent before it closed; ``IncompleteAnswerError`` if one is cut short."""
    answers = []
    while data:
        found = split_answer(data, closed=True)
        if found is None:
            raise IncompleteAnswerError(f"an answer cut short: {data[:200]!r}")
        answer, used = found
        answers.append(answer)
        data = data[used:]
    return answers


class AnswerReader:
    """Reads answers one after another from ``sock``, keeping what arrives beyond an answer for the next one."""

    def __init__(self, sock: socket.socket, timeout: float = 10.0) -> None:
        self.sock = sock
        self.timeout = timeout
        self.buffer = b""

    def _fill(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no whole answer within {self.timeout:g} s; got {self.buffer[:200]!r}")
        self.sock.settimeout(remaining)
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def read(self, *, head_only: bool = False) -> Answer:
        """The next answer; ``ConnectionError`` if the server closes first, ``TimeoutError`` after the timeout."""
        deadline = time.monotonic() + self.timeout
        closed = False
        while (found := split_answer(self.buffer, closed=closed, head_only=head_only)) is None:
            if closed:
                raise ConnectionError(f"the connection closed before a whole answer; got {self.buffer[:300]!r}")
            closed = not self._fill(deadline)
        answer, used = found
        self.buffer = self.buffer[used:]
        return answer


class Wire:
    """A raw client connection, for sending exactly the bytes a test wants and reading each answer."""

    def __init__(self, address: tuple[str, int], timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(address, timeout=timeout)
        self.timeout = timeout
        self.reader = AnswerReader(self.sock, timeout)

    def send(self, data: bytes) -> None:
        """Send ``data`` as is."""
        self.sock.sendall(data)

    def read_answer(self, *, head_only: bool = False) -> Answer:
        """Read the next answer (only its head if ``head_only``, as for a HEAD request)."""
        return self.reader.read(head_only=head_only)

    def closed_by_server(self, timeout: float | None = None) -> bool:
        """Read and drop until the server closes the connection: True if it does within ``timeout``, else False."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.sock.settimeout(remaining)
                if not self.sock.recv(65536):
                    return True
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False
        finally:
            self.sock.settimeout(self.timeout)

    def close(self) -> None:
        """Close the connection."""
        self.sock.close()


def exchange(address: tuple[str, int], data: bytes, timeout: float = 10.0) -> Answer:
    """Send ``data`` on a new connection to ``address`` and read one answer."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(data)
        return AnswerReader(sock, timeout).read()


def exchange_until_closed(address: tuple[str, int], data: bytes, timeout: float = 10.0) -> bytes:
    """Send ``data`` on a new connection, say no more is coming, and read until the server closes."""
    with socket.create_connection(address, timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            # The server refused the head and closed before the rest went out: its answer is still there to read.
            pass
        received = b""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the server did not close within {timeout:g} s; got {received[:200]!r}")
            sock.settimeout(remaining)
            try:
                more = sock.recv(65536)
            except ConnectionResetError:
                return received
            if not more:
                return received
            received += more
