"""The leader's readiness wait, with epoll's one-shot arming and with the selector used where there is no epoll."""

from __future__ import annotations

import select
import time

import pytest
from toolkit.runtime_testkit import answer_to, call_body, post, url_of


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
