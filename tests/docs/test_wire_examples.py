"""Every HTTP example on the pages is what a live server really exchanges.

Items are named after the page and the line of the request block. The server
runs the finished example's ``HelloImpl`` with the runtime, in this process,
on a free port. Each request's line and headers are also compared with what
the finished client really sends (recorded by a small standard-library
server); a request shown without an answer must be, byte for byte, the call
the client sends for the running page's text.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import sys
import threading
from dataclasses import dataclass, field

import pytest
from docs_harness.example import HELLO
from docs_harness.programs import DOCUMENTED_ADDRESS
from docs_harness.running_page import page_claim
from docs_harness.wire import Message, exchange

EXAMPLE = HELLO.folder


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def live_server():
    """The finished server's ``HelloImpl``, served on a free port; yields (port, the hello module)."""
    from quark_threaded_runtime import Runtime

    saved = sys.modules.get("hello")
    hello = _module("hello")
    sys.modules["hello"] = hello  # pyserver imports it
    try:
        implementation = _module("pyserver").HelloImpl()
    finally:
        if saved is None:
            sys.modules.pop("hello", None)
        else:
            sys.modules["hello"] = saved
    runtime = Runtime()
    url = runtime.serveHTTP("http://127.0.0.1:0/hello", hello.HelloServer(runtime, implementation), block=False)
    try:
        yield int(url.split("/")[2].rpartition(":")[2]), hello
    finally:
        runtime.stop()


@dataclass
class Sent:
    """What the finished client really sends: request line, headers, body."""

    start: str = ""
    headers: dict = field(default_factory=dict)
    body: bytes = b""


@pytest.fixture(scope="module")
def client_request(live_server, built_docs) -> Sent:
    """The request ``hello.HelloClient`` sends for the running page's text, as a server receives it."""
    from quark_threaded_runtime import Runtime

    _, hello = live_server
    sent = Sent()
    answer = b'{"$class":"hello.Response","result":"seen"}'

    class Recorder(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            sent.start = self.requestline
            sent.headers = dict(self.headers.items())
            sent.body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass  # the test reports what matters

    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    try:
        port = recorder.server_address[1]
        with hello.HelloClient(Runtime(), f"http://127.0.0.1:{port}/hello") as client:
            client.hello(hello.Request(text=page_claim(built_docs).request))
    finally:
        recorder.shutdown()
        recorder.server_close()
        thread.join(5)
    sent.headers["Host"] = sent.headers.get("Host", "").replace(f"127.0.0.1:{port}", DOCUMENTED_ADDRESS)
    return sent


def _check_as_sent(request: Message, response: Message | None, sent: Sent) -> None:
    """The request line and every header shown are what the client sends; a lone request is the client's call."""
    where = request.shown.where
    assert request.start == sent.start, f"{where}: the client sends `{sent.start}`, not `{request.start}`"
    for name, value in request.headers:
        if name.lower() == "content-length":
            continue  # checked against the body shown
        assert sent.headers.get(name) == value, (
            f"{where}: the client sends {name}: {sent.headers.get(name)!r}, not {value!r} (it sends {sent.headers})"
        )
    if response is None:
        assert request.body == sent.body, (
            f"{where}: for the running page's text the client sends the body\n    {sent.body.decode()}\n"
            f"not\n    {request.body.decode()}"
        )


def _check_request(request: Message, hello) -> None:
    from quark_threaded_runtime import codec
    from quark_threaded_runtime.errors import DecodeError

    where = request.shown.where
    length = request.header("Content-Length")
    assert length == str(len(request.body)), (
        f"{where}: Content-Length is {length}, but the body shown is {len(request.body)} bytes"
    )
    try:
        method, value = codec.decode_call(request.body, hello.Hello)
    except DecodeError:
        return  # an example of a bad call: the answer shown says what is wrong with it
    encoded = codec.encode_call(method, value)
    assert encoded == request.body, (
        f"{where}: the codec encodes this call as\n    {encoded.decode()}\nnot as the page shows"
    )


def test_wire_example(wire_pair, live_server, client_request):
    """The request's bytes get the answer the page shows (status line, every header, body)."""
    assert wire_pair is not None, "no page of the docs build shows an http example"
    request, response = wire_pair
    port, hello = live_server
    _check_request(request, hello)
    _check_as_sent(request, response, client_request)
    status, headers, body = exchange(port, request)
    got = "\n".join([status, *(f"{k}: {v}" for k, v in headers), "", body.decode()])
    if response is None:
        assert status == "HTTP/1.1 200 OK", f"{request.shown.where}: the server answered\n{got}"
        assert json.loads(body)["$class"] == "hello.Response", f"{request.shown.where}: the server answered\n{got}"
        return
    expected = "\n".join([response.start, *(f"{k}: {v}" for k, v in response.headers), "", response.body.decode()])
    assert got == expected, (
        f"{response.shown.where}: the page shows the answer\n{expected}\nbut the server answered\n{got}"
    )
