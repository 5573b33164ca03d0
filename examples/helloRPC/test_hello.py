"""Tests of pyserver.py: HelloImpl on its own, and served by the runtime as a client reaches it."""

import pytest
from pyserver import HelloImpl

from quark_threaded_runtime import Runtime

import hello


def test_hello_answers_with_the_request_text():
    response = HelloImpl().hello(hello.Request(text="Good morning"))
    assert response.result == "Responding to [Good morning] from Python"


@pytest.fixture
def client():
    """A client of HelloImpl, served by the runtime on a free port while one test runs."""
    runtime = Runtime()
    server = hello.HelloServer(runtime, HelloImpl())
    url = runtime.serveHTTP("http://127.0.0.1:0/hello", server, block=False)
    yield hello.HelloClient(runtime, url)
    runtime.stop()


def test_a_client_gets_the_answer_over_http(client):
    response = client.hello(hello.Request(text="Hello from a test"))
    assert response.result == "Responding to [Hello from a test] from Python"
