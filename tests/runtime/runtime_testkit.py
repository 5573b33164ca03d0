"""Helpers for the runtime's tests: raw HTTP exchanges, request bytes, a Hello implementation."""

from __future__ import annotations

import json
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# One free_port for the whole suite (tools/toolkit/processes.py); the tests here import it from this module.
from toolkit.processes import free_port as free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "helloRPC"
# Seconds any single wait in these tests may take before the test fails.
WAIT = 5.0

if str(EXAMPLE) not in sys.path:
    sys.path.insert(0, str(EXAMPLE))


def answer_to(text: str) -> str:
    """The result the tutorial's HelloImpl (and :class:`EchoImpl`) gives for a request carrying ``text``."""
    return f"Responding to [{text}] from Python"


class EchoImpl:
    """A Hello implementation like the tutorial's, answering with the request's text."""

    def hello(self, request):
        """Answer ``request`` the way the tutorial's HelloImpl does."""
        import hello

        return hello.Response(result=answer_to(request.text))


def url_of(server: object, path: str = "/hello") -> str:
    """The URL of ``path`` on a started :class:`~quark_threaded_runtime.WSGIServer`."""
    return f"http://127.0.0.1:{server.address[1]}{path}"


def address(url: str) -> tuple[str, int]:
    """The (host, port) of an ``http://host:port/...`` URL."""
    host_port = url.split("/")[2]
    host, _, port = host_port.rpartition(":")
    return host, int(port)


@dataclass
class Answer:
    """An HTTP answer read off a raw socket."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        """The body, decoded as JSON."""
        return json.loads(self.body)

    @property
    def message(self) -> str:
        """The ``error.message`` of a JSON error body."""
        document = self.json()
        assert isinstance(document, dict), document
        assert document["error"]["status"] == self.status
        return document["error"]["message"]


class Wire:
    """A raw client connection, for sending exactly the bytes a test wants."""

    def __init__(self, url: str, timeout: float = WAIT) -> None:
        self.sock = socket.create_connection(address(url), timeout=timeout)
        self.timeout = timeout
        self.buffer = b""

    def send(self, data: bytes) -> None:
        """Send ``data`` as is."""
        self.sock.sendall(data)

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def read_answer(self, *, head_only: bool = False) -> Answer:
        """Read one answer (its body by Content-Length, unless ``head_only``)."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionError(f"connection closed before an answer; got {self.buffer!r}")
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_only else int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            if not self._fill():
                raise ConnectionError("connection closed in the middle of an answer body")
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return Answer(status, headers, body)

    def closed_by_server(self, timeout: float = WAIT) -> bool:
        """Read and drop until the server closes the connection: True if it does within ``timeout``, else False."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.sock.settimeout(remaining)
                if not self._fill():
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


def post(path: str, body: bytes, *, extra: str = "", length: int | None = None) -> bytes:
    """The bytes of a POST request carrying ``body``."""
    size = len(body) if length is None else length
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n{extra}\r\n"
    ).encode() + body


def chunked_post(path: str, body: bytes) -> bytes:
    """The bytes of a POST request carrying ``body`` as one chunk of a chunked body."""
    head = post(path, b"").replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    return head + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"


def call_body(text: str = "hi", **rpc: object) -> bytes:
    """A well-formed call envelope to hello.Hello.hello."""
    argument = {"$class": "hello.Request", "text": text, **rpc}
    return json.dumps({"$method": "hello", "rpc": argument}).encode()


def wait_until_listening(port: int, timeout: float = WAIT, *, check: Callable[[], None] = lambda: None) -> None:
    """Return once 127.0.0.1:``port`` accepts connections; fail the test after ``timeout``.

    ``check`` runs after each refused attempt, to fail early (e.g. if the server's process died).
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=timeout).close()
            return
        except ConnectionRefusedError:
            check()
            assert time.monotonic() < deadline, f"nothing listened on port {port} within {timeout:g} s"
            time.sleep(0.02)


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Poll ``condition`` (bounded); fail the test if it never holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)
