"""Every HTTP example on the pages is what a live server really exchanges.

Items are named after the page and the line of the request block. The server
runs the finished example's ``HelloImpl`` with the runtime, in this process,
on a free port.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from docs_harness.example import HELLO
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


def test_wire_example(wire_pair, live_server):
    """The request's bytes get the answer the page shows (status line, every header, body)."""
    assert wire_pair is not None, "no page of the docs build shows an http example"
    request, response = wire_pair
    port, hello = live_server
    _check_request(request, hello)
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
