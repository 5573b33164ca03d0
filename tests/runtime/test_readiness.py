"""The leader's readiness wait, with edge-triggered epoll and with the selector used where there is no epoll."""

from __future__ import annotations

import select
import threading
import time

import pytest
from toolkit import http
from toolkit.runtime_testkit import answer_to, call_body, post, url_of

from quark_threaded_runtime.connection import RECV


@pytest.fixture(params=["epoll", "selector"])
def readiness_kind(request, monkeypatch):
    if request.param == "selector":
        monkeypatch.delattr(select, "epoll", raising=False)
    elif not hasattr(select, "epoll"):
        pytest.skip("no epoll here")
    return request.param


def test_trickled_kept_alive_and_pipelined_requests_are_answered(readiness_kind, http_server, wire) -> None:
    server = http_server()
    assert (server._poller._readiness._epoll is not None) == (readiness_kind == "epoll")
    connection = wire(url_of(server))
    request = post("/hello", call_body("trickled"))
    for index in range(0, len(request), 40):
        connection.send(request[index : index + 40])
        time.sleep(0.005)
    assert connection.read_answer().json()["result"] == answer_to("trickled")
    connection.send(post("/hello", call_body("one")) + post("/hello", call_body("two")))
    assert [connection.read_answer().json()["result"] for _ in range(2)] == [answer_to("one"), answer_to("two")]
    others = [wire(url_of(server)) for _ in range(5)]
    for number, other in enumerate(others):
        other.send(post("/hello", call_body(str(number))))
    assert [other.read_answer().json()["result"] for other in others] == [answer_to(str(n)) for n in range(5)]


def test_a_closed_connection_is_forgotten(readiness_kind, http_server, wire) -> None:
    server = http_server()
    for _ in range(3):
        connection = wire(url_of(server))
        connection.send(post("/hello", call_body()))
        assert connection.read_answer().status == 200
        connection.close()
    deadline = time.monotonic() + 5
    while server.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.open_connections == 0
    assert len(server._poller._readiness._items) == 2  # the listener and the waker


def _length_app(answered: threading.Event | None = None):
    """A WSGI app that answers the length of the body it read; the first call waits for ``answered``."""
    calls = []

    def app(environ, start_response):
        body = environ["wsgi.input"].read()
        calls.append(len(body))
        if answered is not None and len(calls) == 1:
            answered.wait(5)
            time.sleep(0.05)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(len(body)).encode()]

    return app


def test_a_request_that_arrives_while_the_one_before_is_answered_is_answered_next(
    readiness_kind, http_server, wire
) -> None:
    # Its bytes come while the connection is not waited on: they must be read once it is again.
    sent = threading.Event()
    server = http_server(_length_app(sent))
    connection = wire(url_of(server, "/"))
    connection.send(post("/", b"one"))
    time.sleep(0.05)
    connection.send(post("/", b"second"))
    sent.set()
    assert [connection.read_answer().body for _ in range(2)] == [b"3", b"6"]


def test_a_request_larger_than_one_read_that_comes_at_once_is_read_whole(readiness_kind, http_server, wire) -> None:
    server = http_server(_length_app())
    connection = wire(url_of(server, "/"))
    body = b"x" * (RECV * 3 + 17)
    # Sent whole before the server looks: more bytes wait than one read takes, with no more to come.
    connection.send(post("/", body) + post("/", b"next"))
    assert [connection.read_answer().body for _ in range(2)] == [str(len(body)).encode(), b"4"]


def test_a_client_that_sends_two_requests_and_hangs_up_at_once_gets_both_answers_and_the_close(
    readiness_kind, http_server
) -> None:
    # The hang-up comes with the bytes: it must be seen once they are answered, not at the idle timeout.
    server = http_server(_length_app(), idle_timeout=30.0)
    started = time.monotonic()
    answers = http.answers_in(
        http.exchange_until_closed(server.address, post("/", b"one") + post("/", b"second"), timeout=5.0)
    )
    assert [answer.body for answer in answers] == [b"3", b"6"]
    assert time.monotonic() - started < 5.0
