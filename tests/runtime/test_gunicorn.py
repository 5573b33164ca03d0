"""Hosting the Hello service under a real gunicorn, from examples/helloRPC/wsgi.py."""

from __future__ import annotations

import signal
import socket
import time

import pytest
from runtime_testkit import WAIT, call_body, free_port, post

from quark_threaded_runtime import RemoteError, Runtime

pytest.importorskip("gunicorn")


@pytest.fixture
def gunicorn(run_program) -> str:
    """Start ``gunicorn wsgi:application`` on a free port; return the service URL (stopped after the test)."""
    port = free_port()
    program = run_program(
        "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--graceful-timeout", "1", "wsgi:application"
    )
    deadline = time.monotonic() + 2 * WAIT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
            break
        except ConnectionRefusedError:
            assert program.process.poll() is None, program.process.communicate(timeout=WAIT)[1]
            assert time.monotonic() < deadline, "gunicorn did not start listening in time"
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/hello"
    program.process.send_signal(signal.SIGTERM)
    program.process.communicate(timeout=WAIT)
    assert program.process.returncode == 0


def test_the_hello_client_calls_the_service_under_gunicorn(hello, gunicorn) -> None:
    with hello.HelloClient(Runtime(), gunicorn) as client:
        for text in ("Hello from Python!", "again"):
            assert client.hello(hello.Request(text=text)).result == f"Python server responding to: {text}"


def test_errors_under_gunicorn_are_the_same_json_errors(hello, gunicorn) -> None:
    elsewhere = gunicorn.replace("/hello", "/nothing")
    with hello.HelloClient(Runtime(), elsewhere) as client, pytest.raises(RemoteError) as caught:
        client.hello(hello.Request())
    assert (caught.value.status, caught.value.detail) == (404, "no service at /nothing (served here: /hello)")

    port = int(gunicorn.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(post("/hello", call_body(text=5), extra="Connection: close\r\n"))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"rpc.text: expected String, got an int (5)" in answer


def _chunked_call(port: int, body: bytes) -> bytes:
    head = (
        b"POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(head + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_chunked_body_under_gunicorn_is_read_within_the_limit(gunicorn) -> None:
    port = int(gunicorn.split(":")[2].split("/")[0])
    answer = _chunked_call(port, call_body(text="in chunks"))
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b'"result":"Python server responding to: in chunks"}')

    over_limit = _chunked_call(port, call_body(text="x" * (1024 * 1024)))
    assert over_limit.startswith(b"HTTP/1.1 413 ")
    assert b"chunked body is over the limit of 1048576 bytes" in over_limit
