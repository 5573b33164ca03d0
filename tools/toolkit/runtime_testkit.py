"""Helpers for the runtime's tests: raw HTTP exchanges, request bytes, the Hello contract and an implementation."""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from toolkit import http

# One free_port for the whole suite (tools/toolkit/processes.py); the tests import it from this module.
from toolkit.processes import free_port as free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "helloRPC"
# Seconds any single wait in these tests may take before the test fails.
WAIT = 5.0


def load_hello() -> ModuleType:
    """The example's contract library, ``examples/helloRPC/hello.py``, imported once as ``hello``.

    Loaded from its file, not from a path put on ``sys.path``, so nothing else there becomes importable.
    """
    module = sys.modules.get("hello")
    if module is None:
        spec = importlib.util.spec_from_file_location("hello", EXAMPLE / "hello.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["hello"] = module
        spec.loader.exec_module(module)
    return module


def answer_to(text: str) -> str:
    """The result the tutorial's HelloImpl (and :class:`EchoImpl`) gives for a request carrying ``text``."""
    return f"Responding to [{text}] from Python"


class EchoImpl:
    """A Hello implementation like the tutorial's, answering with the request's text."""

    def hello(self, request):
        """Answer ``request`` the way the tutorial's HelloImpl does."""
        return load_hello().Response(result=answer_to(request.text))


def url_of(server: object, path: str = "/hello") -> str:
    """The URL of ``path`` on a started :class:`~quark_threaded_runtime.WSGIServer`."""
    return f"http://127.0.0.1:{server.address[1]}{path}"


def address(url: str) -> tuple[str, int]:
    """The (host, port) of an ``http://host:port/...`` URL."""
    host_port = url.split("/")[2]
    host, _, port = host_port.rpartition(":")
    return host, int(port)


class Wire(http.Wire):
    """A raw client connection to a service URL (see :class:`toolkit.http.Wire`)."""

    def __init__(self, url: str, timeout: float = WAIT) -> None:
        super().__init__(address(url), timeout)


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
