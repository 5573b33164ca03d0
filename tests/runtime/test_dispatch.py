"""The WSGI dispatcher, called directly as a WSGI server would call it."""

from __future__ import annotations

import io
import json
import logging

import pytest
from toolkit.runtime_testkit import EchoImpl, call_body

from quark_threaded_runtime import ContractError, Dispatcher, Runtime


class Unreadable(io.RawIOBase):
    """A body stream that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


def environ_for(body: bytes | None = b"", *, method: str = "POST", path: str = "/hello", **extra: object) -> dict:
    """A WSGI environ for one request."""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "wsgi.input": io.BytesIO(body or b""),
    }
    if body is not None:
        environ["CONTENT_LENGTH"] = str(len(body))
    environ.update(extra)
    return environ


def call(app: Dispatcher, environ: dict) -> tuple[int, dict[str, str], object]:
    """Run the app; return the status code, headers and decoded JSON body."""
    started = []
    chunks = app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
    body = b"".join(chunks)
    status, headers = started[0]
    header_map = dict(headers)
    assert header_map["Content-Type"] == "application/json"
    assert int(header_map["Content-Length"]) == len(body)
    return int(status.split()[0]), header_map, json.loads(body)


@pytest.fixture
def app(hello) -> Dispatcher:
    return Dispatcher({"/hello": hello.HelloServer(Runtime(), EchoImpl())}, max_body=1000)


def test_a_call_is_answered_with_the_result(app) -> None:
    status, _, document = call(app, environ_for(call_body("Hello from Python!")))
    assert status == 200
    assert document == {"$class": "hello.Response", "result": "Responding to [Hello from Python!] from Python"}


def test_script_name_is_part_of_the_path(app) -> None:
    status, _, _ = call(app, environ_for(call_body(), path="/hello", SCRIPT_NAME=""))
    assert status == 200
    mounted = Dispatcher({"/api/hello": app._routes["/hello"]})
    assert call(mounted, environ_for(call_body(), path="/hello", SCRIPT_NAME="/api"))[0] == 200


def test_an_unknown_path_is_404_listing_what_is_served(app) -> None:
    status, _, document = call(app, environ_for(call_body(), path="/goodbye"))
    assert status == 404
    assert document["error"] == {"status": 404, "message": "no service at /goodbye (served here: /hello)"}


@pytest.mark.parametrize("method", ["GET", "PUT", "HEAD", "DELETE"])
def test_other_methods_are_405_with_allow(app, method: str) -> None:
    status, headers, document = call(app, environ_for(None, method=method, **{"wsgi.input": Unreadable()}))
    assert status == 405
    assert headers["Allow"] == "POST"
    assert document["error"]["message"] == f"/hello takes POST, not {method}"


def test_a_body_over_the_limit_is_413_unread(app) -> None:
    status, _, document = call(app, environ_for(None, CONTENT_LENGTH="1001", **{"wsgi.input": Unreadable()}))
    assert status == 413
    assert document["error"]["message"] == "a body of 1001 bytes is over the limit of 1000 bytes"


def test_a_huge_content_length_is_413_not_a_crash(app) -> None:
    status, _, _ = call(app, environ_for(None, CONTENT_LENGTH="9" * 5000, **{"wsgi.input": Unreadable()}))
    assert status == 413


@pytest.mark.parametrize("length", ["-1", "abc", "1.5", "²", "+5"])
def test_a_content_length_that_is_not_a_whole_number_is_400(app, length: str) -> None:
    status, _, document = call(app, environ_for(None, CONTENT_LENGTH=length, **{"wsgi.input": Unreadable()}))
    assert status == 400
    assert "Content-Length must be a non-negative whole number" in document["error"]["message"]


def test_a_missing_content_length_is_411(app) -> None:
    status, _, document = call(app, environ_for(None, **{"wsgi.input": Unreadable()}))
    assert status == 411
    assert document["error"]["message"] == "a call needs a body with a Content-Length header"


def test_a_chunked_body_decoded_by_the_server_is_read_within_the_limit(app) -> None:
    body = call_body("chunked")
    status, _, document = call(
        app, environ_for(None, HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": io.BytesIO(body)})
    )
    assert (status, document["result"]) == (200, "Responding to [chunked] from Python")
    big = io.BytesIO(b" " * 2000)
    status, _, document = call(app, environ_for(None, HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": big}))
    assert status == 413
    assert big.tell() == 1001, "read one byte past the limit, no more"


def test_a_bad_call_is_400_naming_the_service_and_cause(app) -> None:
    status, _, document = call(app, environ_for(b'{"$method": "nope", "rpc": {}}'))
    assert status == 400
    assert document["error"]["message"] == "bad call to hello.Hello: hello.Hello has no method 'nope' (methods: hello)"


def test_an_implementation_that_raises_is_500_naming_the_method(hello, caplog) -> None:
    class Broken:
        def hello(self, request):
            raise ZeroDivisionError("boom")

    app = Dispatcher({"/hello": hello.HelloServer(Runtime(), Broken())})
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime.server"):
        status, _, document = call(app, environ_for(call_body()))
    assert status == 500
    assert document["error"]["message"] == (
        "hello.Hello.hello failed in the server's implementation; see the server's log"
    )
    [record] = caplog.records
    assert record.getMessage().endswith("Broken.hello raised while answering a call to /hello")
    assert record.exc_info[0] is ZeroDivisionError
    # And the next call is served.
    assert call(app, environ_for(call_body()))[0] == 500


def test_mounting_checks_the_server_and_path(hello) -> None:
    app = Dispatcher()
    server = hello.HelloServer(Runtime(), EchoImpl())
    with pytest.raises(ContractError, match="can only serve a server adapter"):
        app.mount("/x", EchoImpl())
    with pytest.raises(ContractError, match="must start with '/'"):
        app.mount("x", server)
    app.mount("/x", server)
    app.mount("/x", server)  # the same server again is fine
    with pytest.raises(ContractError, match="a service is already served at /x"):
        app.mount("/x", hello.HelloServer(Runtime(), EchoImpl()))
    assert app.paths == ["/x"]


def test_the_runtime_makes_a_wsgi_application_with_its_limit(hello) -> None:
    runtime = Runtime(max_body=10)
    app = runtime.wsgi_application({"/hello": hello.HelloServer(runtime, EchoImpl())})
    assert isinstance(app, Dispatcher)
    assert call(app, environ_for(call_body()))[0] == 413


class Trickle(io.RawIOBase):
    """A body stream that hands out a few bytes per read, as some WSGI servers' streams do."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        size = 3 if size is None or size < 0 else min(size, 3)
        part, self.data = self.data[:size], self.data[size:]
        return part


def test_the_body_is_read_whole_from_a_stream_that_returns_little_at_a_time(app) -> None:
    body = call_body("in pieces")
    status, _, document = call(app, environ_for(body, **{"wsgi.input": Trickle(body)}))
    assert (status, document["result"]) == (200, "Responding to [in pieces] from Python")


def test_a_body_shorter_than_its_content_length_is_400_and_not_executed(hello) -> None:
    calls = []

    class Counting:
        def hello(self, request):
            calls.append(request)
            return hello.Response()

    app = Dispatcher({"/hello": hello.HelloServer(Runtime(), Counting())})
    body = call_body()
    environ = environ_for(body, CONTENT_LENGTH=str(len(body) + 5))
    status, _, document = call(app, environ)
    message = f"the body ended after {len(body)} of its {len(body) + 5} bytes (Content-Length)"
    assert (status, document["error"]["message"]) == (400, message)
    assert calls == []
