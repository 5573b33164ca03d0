"""The client: calls over a pooled session, and one distinct error class per way a call fails."""

from __future__ import annotations

import errno
import http.client
import os
import socket
import threading

import pytest
import requests
import urllib3
from toolkit.runtime_testkit import WAIT, EchoImpl, answer_to, free_port, url_of

from quark_threaded_runtime import (
    BadResponseError,
    Dispatcher,
    InvalidURLError,
    RemoteError,
    RPCError,
    RPCTimeoutError,
    Runtime,
    ServiceUnavailableError,
)
from quark_threaded_runtime.client import _cause


@pytest.fixture
def runtime():
    runtime = Runtime()
    yield runtime
    runtime.stop()


def test_a_call_returns_the_result(hello, serve, runtime) -> None:
    url = serve()
    with hello.HelloClient(runtime, url) as client:
        request = hello.Request()
        request.text = "Hello from Python!"
        response = client.hello(request)
    assert isinstance(response, hello.Response)
    assert response.result == "Responding to [Hello from Python!] from Python"


def test_consecutive_calls_share_one_connection(hello, http_server, runtime) -> None:
    service = Dispatcher({"/hello": hello.HelloServer(runtime, EchoImpl())})
    client_ports = set()

    def app(environ, start_response):
        client_ports.add(environ["REMOTE_PORT"])
        return service(environ, start_response)

    server = http_server(app)
    with hello.HelloClient(runtime, url_of(server)) as client:
        for text in ("a", "b", "c"):
            assert client.hello(hello.Request(text=text)).result == answer_to(text)
        assert server.open_connections == 1
    assert len(client_ports) == 1, "each call came from a connection of its own"


def test_connection_refused_is_service_unavailable_naming_the_url(hello, runtime) -> None:
    url = f"http://127.0.0.1:{free_port()}/hello"
    with hello.HelloClient(runtime, url) as client, pytest.raises(ServiceUnavailableError) as caught:
        client.hello(hello.Request(text="x"))
    assert str(caught.value) == f"cannot reach {url}: connection refused"
    assert caught.value.url == url


def test_no_answer_in_time_is_a_timeout_naming_the_url(hello, serve, runtime) -> None:
    release = threading.Event()

    class Stuck:
        def hello(self, request):
            release.wait(WAIT)
            return hello.Response()

    url = serve(Stuck())
    try:
        with hello.HelloClient(runtime, url, timeout=0.3) as client, pytest.raises(RPCTimeoutError) as caught:
            client.hello(hello.Request())
    finally:
        release.set()
    assert str(caught.value) == f"{url} did not answer within 0.3 s"
    assert caught.value.url == url


def test_the_timeout_defaults_to_3_seconds_and_can_be_changed(hello, runtime) -> None:
    client = hello.HelloClient(runtime, "http://127.0.0.1:9/hello")
    assert client.timeout == 3.0
    client.timeout = 0.5
    assert client.timeout == 0.5
    client.close()


def test_an_error_answer_is_a_remote_error_with_the_servers_message(hello, serve, runtime) -> None:
    url = serve().replace("/hello", "/nothing")
    with hello.HelloClient(runtime, url) as client, pytest.raises(RemoteError) as caught:
        client.hello(hello.Request())
    error = caught.value
    assert (error.status, error.url) == (404, url)
    assert error.detail == "no service at /nothing (served here: /hello)"
    assert str(error) == f"{url} answered 404: no service at /nothing (served here: /hello)"


def test_an_implementation_failure_reaches_the_client_as_a_500(hello, serve, runtime) -> None:
    class Broken:
        def hello(self, request):
            raise ValueError("nope")

    url = serve(Broken())
    with hello.HelloClient(runtime, url) as client, pytest.raises(RemoteError) as caught:
        client.hello(hello.Request())
    assert caught.value.status == 500
    assert "hello.Hello.hello failed in the server's implementation" in str(caught.value)


def answering(status: str, body: bytes):
    """A WSGI app that answers every request with ``status`` and ``body``."""

    def app(environ, start_response):
        environ["wsgi.input"].read()
        start_response(status, [("Content-Type", "text/plain")])
        return [body]

    return app


def test_a_non_json_error_answer_is_a_remote_error_with_its_reason(hello, http_server, runtime) -> None:
    url = url_of(http_server(answering("503 Service Unavailable", b"down for maintenance")))
    with hello.HelloClient(runtime, url) as client, pytest.raises(RemoteError) as caught:
        client.hello(hello.Request())
    assert (caught.value.status, caught.value.detail) == (503, None)
    assert str(caught.value) == f"{url} answered 503: Service Unavailable"


def test_a_redirect_is_not_followed(hello, http_server, runtime) -> None:
    url = url_of(http_server(answering("307 Temporary Redirect", b"")))
    with hello.HelloClient(runtime, url) as client, pytest.raises(RemoteError) as caught:
        client.hello(hello.Request())
    assert caught.value.status == 307


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        (b"<html>hello</html>", "body is not valid JSON"),
        (b'{"$class": "hello.Request", "text": "x"}', "expected $class 'hello.Response', got 'hello.Request'"),
        (b'{"result": "x"}', "the answer has no $class"),
        (b'{"$class": "hello.Response", "result": 5}', "result: expected String, got an int (5)"),
    ],
)
def test_an_undecodable_answer_is_a_bad_response_naming_the_url(hello, http_server, runtime, body, cause) -> None:
    url = url_of(http_server(answering("200 OK", body)))
    with hello.HelloClient(runtime, url) as client, pytest.raises(BadResponseError) as caught:
        client.hello(hello.Request())
    assert str(caught.value).startswith(f"{url} answered with no valid hello.Response: ")
    assert cause in str(caught.value)


def test_a_server_that_hangs_up_without_answering_is_service_unavailable(hello, runtime) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/hello"

    def hang_up() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        with hello.HelloClient(runtime, url) as client, pytest.raises(ServiceUnavailableError) as caught:
            client.hello(hello.Request())
    finally:
        thread.join(WAIT)
        listener.close()
    assert str(caught.value) == f"cannot reach {url}: the server closed the connection without answering"


def test_the_error_classes_are_distinct_members_of_one_hierarchy() -> None:
    classes = [ServiceUnavailableError, RPCTimeoutError, RemoteError, BadResponseError]
    assert all(issubclass(cls, RPCError) for cls in classes)
    assert all(not issubclass(a, b) for a in classes for b in classes if a is not b)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://127.0.0.1:8910/hello",
            "https://127.0.0.1:8910/hello: https is not supported by this runtime; serve plain http behind a TLS proxy",
        ),
        ("ftp://127.0.0.1/hello", "invalid service URL 'ftp://127.0.0.1/hello': it must start with http://"),
        ("http:///hello", "invalid service URL 'http:///hello': it names no host"),
        ("http://127.0.0.1:99999/hello", "invalid service URL 'http://127.0.0.1:99999/hello': Port out of range"),
        ("http://127.0.0.1/hello?x=1", "a service URL has no query or fragment"),
    ],
)
def test_a_url_the_runtime_cannot_use_is_refused_clearly(hello, runtime, url, message) -> None:
    with pytest.raises(InvalidURLError) as caught:
        hello.HelloClient(runtime, url)
    assert message in str(caught.value)
    with pytest.raises(InvalidURLError):
        runtime.serveHTTP(url, hello.HelloServer(runtime, EchoImpl()), block=False)


@pytest.mark.parametrize(
    ("inner", "cause"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, ""), "connection refused"),
        (ConnectionResetError(errno.ECONNRESET, ""), "connection reset"),
        (http.client.RemoteDisconnected(""), "the server closed the connection without answering"),
        (socket.gaierror(socket.EAI_NONAME, ""), "unknown host"),
        (OSError(errno.EHOSTUNREACH, ""), os.strerror(errno.EHOSTUNREACH).lower()),
    ],
)
def test_failures_are_told_apart_by_exception_type_not_message_text(inner, cause) -> None:
    # Wrapped the way requests wraps urllib3's errors, with messages that name nothing.
    wrapped = urllib3.exceptions.ProtocolError("", inner)
    error = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason=wrapped))
    assert _cause(error) == cause
