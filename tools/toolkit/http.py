"""One reader of HTTP/1.1 answers off a raw socket, for tests and benchmarks that send bytes of their own.

It reads what a client must (RFC 9112 §6.3): no body for 1xx, 204 and 304
answers or when asked for the head only, a ``Content-Length`` body, a
``chunked`` body, or else everything until the server closes.
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

    def _line(self, deadline: float) -> bytes:
        while b"\r\n" not in self.buffer:
            if not self._fill(deadline):
                raise ConnectionError(f"the connection closed in the middle of a chunked body; got {self.buffer!r}")
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def read(self, *, head_only: bool = False) -> Answer:
        """The next answer; ``ConnectionError`` if the server closes first, ``TimeoutError`` after the timeout."""
        deadline = time.monotonic() + self.timeout
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill(deadline):
                raise ConnectionError(f"the connection closed before a whole answer head; got {self.buffer!r}")
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        answer = parse_head(head)
        if head_only or answer.status < 200 or answer.status in (204, 304):
            return answer
        coding = (answer.header("Transfer-Encoding") or "").lower()
        if coding.endswith("chunked"):
            answer.body = self._chunked(deadline)
        elif answer.header("Content-Length") is not None:
            length = int(answer.header("Content-Length"))
            while len(self.buffer) < length:
                if not self._fill(deadline):
                    raise ConnectionError(f"the connection closed {length - len(self.buffer)} bytes short of the body")
            answer.body, self.buffer = self.buffer[:length], self.buffer[length:]
        else:
            while self._fill(deadline):
                pass
            answer.body, self.buffer = self.buffer, b""
        return answer

    def _chunked(self, deadline: float) -> bytes:
        body = b""
        while True:
            size = int(self._line(deadline).split(b";")[0].strip(), 16)
            if size == 0:
                while self._line(deadline):  # trailers, up to the empty line
                    pass
                return body
            while len(self.buffer) < size + 2:
                if not self._fill(deadline):
                    raise ConnectionError("the connection closed in the middle of a chunk")
            body += self.buffer[:size]
            self.buffer = self.buffer[size + 2 :]


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


def exchange(address: tuple[str, int], data: bytes, timeout: float = 10.0) -> Answer:
    """Send ``data`` on a new connection to ``address`` and read one answer."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(data)
        return AnswerReader(sock, timeout).read()
