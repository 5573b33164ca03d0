"""Hosting the Hello service under a real gunicorn, from examples/helloRPC/wsgi.py."""

from __future__ import annotations

import signal
import socket

import pytest
from toolkit.runtime_testkit import WAIT, call_body, chunked_post, free_port, post, wait_until_listening

from quark_threaded_runtime import RemoteError, Runtime

pytest.importorskip("gunicorn")


@pytest.fixture
def gunicorn(run_program) -> str:
    """Start ``gunicorn wsgi:application`` on a free port; return the service URL (stopped after the test)."""
    port = free_port()
    program = run_program(
        "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--graceful-timeout", "1", "wsgi:application"
    )

    def still_running() -> None:
        assert program.process.poll() is None, program.process.communicate(timeout=WAIT)[1]

    wait_until_listening(port, 2 * WAIT, check=still_running)
    yield f"http://127.0.0.1:{port}/hello"
    program.process.send_signal(signal.SIGTERM)
    program.process.communicate(timeout=WAIT)
    assert program.process.returncode == 0


def test_the_hello_client_calls_the_service_under_gunicorn(hello, gunicorn) -> None:
    with hello.HelloClient(Runtime(), gunicorn) as client:
        for text in ("Hello from Python!", "again"):
            assert client.hello(hello.Request(text=text)).result == f"Responding to [{text}] from Python"


def test_errors_under_gunicorn_are_the_same_json_errors(hello, gunicorn, wire) -> None:
    elsewhere = gunicorn.replace("/hello", "/nothing")
    with hello.HelloClient(Runtime(), elsewhere) as client, pytest.raises(RemoteError) as caught:
        client.hello(hello.Request())
    assert (caught.value.status, caught.value.detail) == (404, "no service at /nothing (served here: /hello)")

    connection = wire(gunicorn)
    connection.send(post("/hello", call_body(text=5)))
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (
        400,
        "bad call to hello.Hello: rpc.text: expected String, got an int (5)",
    )


def test_a_chunked_body_under_gunicorn_is_read_within_the_limit(gunicorn, wire) -> None:
    connection = wire(gunicorn)
    connection.send(chunked_post("/hello", call_body(text="in chunks")))
    answer = connection.read_answer()
    assert answer.status == 200
    assert answer.body == b'{"$class":"hello.Response","result":"Responding to [in chunks] from Python"}'

    over_limit = wire(gunicorn)
    over_limit.send(chunked_post("/hello", call_body(text="x" * (1024 * 1024))))
    answer = over_limit.read_answer()
    assert (answer.status, answer.message) == (413, "chunked body is over the limit of 1048576 bytes")


def test_a_lone_surrogate_under_gunicorn_is_400_naming_the_field(gunicorn, wire) -> None:
    connection = wire(gunicorn)
    connection.send(post("/hello", b'{"$method": "hello", "rpc": {"$class": "hello.Request", "text": "\\udfff"}}'))
    answer = connection.read_answer()
    assert answer.status == 400
    assert answer.message.startswith("bad call to hello.Hello: rpc.text: holds a lone surrogate")


def test_a_body_shorter_than_its_content_length_under_gunicorn_is_400_not_executed(gunicorn, wire) -> None:
    connection = wire(gunicorn)
    body = call_body("cut short")
    connection.send(post("/hello", body, length=len(body) + 10))
    # No more is coming: the body ends here.
    connection.sock.shutdown(socket.SHUT_WR)
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (
        400,
        f"the body ended after {len(body)} of its {len(body) + 10} bytes (Content-Length)",
    )
