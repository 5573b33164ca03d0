"""Slow clients and slow calls do not shut other clients out.

Bounded versions of the attacks in bench/: fewer connections, short
timeouts. They assert what must happen (a legitimate call is answered
while the attack goes on), never how fast; speed is measured in bench/.
"""

from __future__ import annotations

import select
import socket
import threading
import time

import pytest
from toolkit.runtime_testkit import WAIT, answer_to, call_body, post, url_of, wait_until

ATTACKERS = 200


def open_attackers(url: str, opening: bytes, count: int = ATTACKERS) -> list[socket.socket]:
    """``count`` connections that each sent ``opening`` and nothing more."""
    host, port = url.split("/")[2].split(":")
    socks = []
    for _ in range(count):
        sock = socket.create_connection((host, int(port)), timeout=WAIT)
        sock.sendall(opening)
        socks.append(sock)
    return socks


@pytest.fixture
def attackers():
    """Collects attack sockets; all are closed after the test."""
    opened: list[socket.socket] = []
    yield opened
    for sock in opened:
        sock.close()


@pytest.mark.parametrize("part", ["head", "body"])
def test_calls_are_answered_while_many_connections_trickle_their_requests(http_server, wire, attackers, part) -> None:
    server = http_server(read_timeout=WAIT * 4)
    url = url_of(server)
    kept = wire(url)
    kept.send(post("/hello", call_body("before")))
    assert kept.read_answer().json()["result"] == answer_to("before")
    request = post("/hello", call_body("attack"))
    # A head cut short in a header line, or a whole head and all but the last byte of its body.
    opening = request[: request.index(b"\r\n\r\n") - 3] if part == "head" else request[:-1]
    attackers.extend(open_attackers(url, opening))
    wait_until(lambda: server.open_connections >= ATTACKERS + 1)
    if part == "head":
        for sock in attackers[::20]:
            # A byte more now and then, as a trickling client sends.
            sock.sendall(b"a")
    for round_number in range(3):
        fresh = wire(url)
        fresh.send(post("/hello", call_body(f"fresh {round_number}")))
        assert fresh.read_answer().json()["result"] == answer_to(f"fresh {round_number}")
        kept.send(post("/hello", call_body(f"kept {round_number}")))
        assert kept.read_answer().json()["result"] == answer_to(f"kept {round_number}")
    # Partial requests wait in the server's buffers, not in threads of their own.
    assert server.threads < ATTACKERS // 4
    if part == "body":
        # A trickled body that arrives whole is answered.
        attackers[0].sendall(request[-1:])
        attackers[0].settimeout(WAIT)
        assert b"HTTP/1.1 200 OK" in attackers[0].recv(65536)


def test_a_fast_call_is_answered_while_many_slow_calls_are_in_progress(hello, http_server, wire) -> None:
    from quark_threaded_runtime import Dispatcher, Runtime

    release = threading.Event()
    waiting = []
    finished = []

    class SlowWhenAsked:
        def hello(self, request):
            if request.text == "slow":
                waiting.append(request)
                release.wait(WAIT * 2)
                finished.append(request)
            return hello.Response(result=request.text)

    server = http_server(Dispatcher({"/hello": hello.HelloServer(Runtime(), SlowWhenAsked())}))
    url = url_of(server)
    slow = [wire(url, timeout=WAIT * 3) for _ in range(20)]
    try:
        for connection in slow:
            connection.send(post("/hello", call_body("slow")))
        wait_until(lambda: len(waiting) == len(slow))
        fast = wire(url)
        fast.send(post("/hello", call_body("fast")))
        assert fast.read_answer().json()["result"] == "fast"
        assert finished == [], "the fast call was answered only after slow calls ended"
    finally:
        release.set()
    for connection in slow:
        assert connection.read_answer().json()["result"] == "slow"


def test_an_attack_connection_gets_408_at_its_deadline_and_the_server_forgets_it(http_server, wire) -> None:
    server = http_server(read_timeout=0.3)
    url = url_of(server)
    stalled = wire(url)
    stalled.send(b"POST /hello HTTP/1.1\r\nHost: x\r\n")
    answer = stalled.read_answer()
    assert (answer.status, answer.message) == (408, "request not received within 0.3 s")
    assert stalled.closed_by_server()
    wait_until(lambda: server.open_connections == 0)


def test_a_new_connection_has_read_timeout_from_being_accepted_not_from_its_first_byte(http_server, wire) -> None:
    connection = wire(url_of(http_server(read_timeout=3.0)))
    time.sleep(2.0)
    connection.send(b"POST /hello HTTP/1.1\r\nHost: x\r\n")
    # Counted from acceptance the 408 is due 1 s after the first byte; counted from the first
    # byte, 3 s after it. Waiting 2 s tells them apart with a second of slack either way.
    readable, _, _ = select.select([connection.sock], [], [], 2.0)
    assert readable, "no answer by the deadline counted from acceptance"
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (408, "request not received within 3 s")
