"""Fixtures for the runtime's tests: the Hello contract, servers on free ports, raw HTTP exchanges.

Every server listens on 127.0.0.1 on a port the kernel picks, and is stopped
when its test ends (also when it fails); every wait is bounded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from toolkit.processes import start as start_process
from toolkit.runtime_testkit import EXAMPLE, WAIT, EchoImpl, Wire, load_hello

from quark_threaded_runtime import Dispatcher, Runtime, WSGIServer
from quark_threaded_runtime.dispatch import error_body


@pytest.fixture(scope="session")
def hello() -> ModuleType:
    """The example's contract library, ``examples/helloRPC/hello.py``."""
    return load_hello()


@pytest.fixture
def serve(hello: ModuleType) -> Iterator[Callable[..., str]]:
    """Serve a Hello implementation on a free port: ``url = serve(impl, path="/hello", **runtime_options)``.

    Returns the URL served. Every runtime started is stopped after the test.
    """
    runtimes: list[Runtime] = []

    def start(implementation: object | None = None, *, path: str = "/hello", runtime: Runtime | None = None, **options):
        if runtime is None:
            runtime = Runtime(**options)
            runtimes.append(runtime)
        server = hello.HelloServer(runtime, implementation or EchoImpl())
        return runtime.serveHTTP(f"http://127.0.0.1:0{path}", server, block=False)

    yield start
    for runtime in runtimes:
        runtime.stop()


@pytest.fixture
def http_server(hello: ModuleType) -> Iterator[Callable[..., WSGIServer]]:
    """Start the runtime's HTTP server on a free port: ``server = http_server(app=None, **options)``.

    The default app serves :class:`EchoImpl` at ``/hello``; every server is stopped after the test.
    """
    servers: list[WSGIServer] = []

    def start(app: Callable[..., Any] | None = None, **options: Any) -> WSGIServer:
        if app is None:
            app = Dispatcher({"/hello": hello.HelloServer(Runtime(), EchoImpl())})
        # The error body the runtime gives its servers, so tests read messages as clients do.
        options.setdefault("error_body", error_body)
        server = WSGIServer("127.0.0.1", 0, app, **options)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def wire() -> Iterator[Callable[..., Wire]]:
    """Open raw connections: ``conn = wire(url)``; all are closed after the test."""
    opened: list[Wire] = []

    def connect(url: str, timeout: float = WAIT) -> Wire:
        connection = Wire(url, timeout)
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        connection.close()


@dataclass
class Program:
    """A Python program running in a subprocess."""

    process: subprocess.Popen
    lines: list[str]

    def wait_for_line(self, timeout: float = WAIT) -> str:
        """The first line the program prints on stdout (fails the test after ``timeout``)."""
        ready = threading.Event()

        def read() -> None:
            self.lines.append(self.process.stdout.readline())
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        assert ready.wait(timeout), "the program printed nothing in time"
        return self.lines[-1]


@pytest.fixture
def run_program() -> Iterator[Callable[..., Program]]:
    """Start ``python <args>`` in a directory with extra environment; stopped (killed) after the test."""
    started: list[subprocess.Popen] = []

    def start(*args: str, cwd: Path = EXAMPLE, env: dict[str, str] | None = None) -> Program:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        process = start_process([sys.executable, *args], cwd, environment, merge_stderr=False)
        started.append(process)
        return Program(process, [])

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=WAIT)
