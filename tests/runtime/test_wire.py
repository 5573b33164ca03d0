"""The wire protocol over a real socket: answers, every error case, keep-alive, timeouts, hang-ups."""

from __future__ import annotations

import json
import logging
import select
import socket
import threading
import time

import pytest
from toolkit.runtime_testkit import WAIT, answer_to, call_body, chunked_post, post, url_of


def wait_until(condition, timeout: float = WAIT) -> None:
    """Poll ``condition`` (bounded); fail the test if it never holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def test_a_call_is_answered_200_with_json(serve, wire) -> None:
    connection = wire(serve())
    connection.send(post("/hello", call_body("Hello from Python!")))
    answer = connection.read_answer()
    assert answer.status == 200
    assert answer.header("content-type") == "application/json"
    assert answer.header("connection") == "keep-alive"
    assert answer.json() == {"$class": "hello.Response", "result": "Responding to [Hello from Python!] from Python"}


BAD_CALLS = [
    (b"{not json", "body is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    (
        b'{"$method": "hello", "rpc": {"$class": "hello.Request", "text": "\xff"}}',
        "body is not UTF-8 (byte 65: invalid start byte)",
    ),
    (b"[" * 50_000 + b"]" * 50_000, "body is nested more than 32 levels deep"),
    (b'["hello"]', "expected a JSON object with $method and rpc, got an array"),
    (b'{"rpc": {"$class": "hello.Request"}}', "the call has no $method"),
    (b'{"$method": "hello"}', "the call to hello has no rpc argument"),
    (b'{"$method": "hello", "rpc": {"text": "x"}}', "rpc: the argument has no $class (expected 'hello.Request')"),
    (call_body(text=7), "rpc.text: expected String, got an int (7)"),
    (call_body(colour="red"), "rpc: hello.Request has no field 'colour' (fields: text)"),
    (b'{"$method": "goodbye", "rpc": {}}', "hello.Hello has no method 'goodbye' (methods: hello)"),
    (b'{"$method": "_call", "rpc": {}}', "hello.Hello has no method '_call' (methods: hello)"),
    (b'{"$method": "__class__", "rpc": {}}', "hello.Hello has no method '__class__' (methods: hello)"),
    (b'{"$method": "__init__", "rpc": {}}', "hello.Hello has no method '__init__' (methods: hello)"),
    (
        b'{"$method": "hello", "rpc": {"$class": "subprocess.Popen", "text": "x"}}',
        "rpc: expected $class 'hello.Request', got 'subprocess.Popen'",
    ),
    (
        b'{"$method": "hello", "rpc": {"$class": "hello.Response", "result": "x"}}',
        "rpc: expected $class 'hello.Request', got 'hello.Response'",
    ),
]


@pytest.mark.parametrize(("body", "cause"), BAD_CALLS, ids=[f"bad{i}" for i in range(len(BAD_CALLS))])
def test_a_bad_call_is_400_with_a_json_error_and_the_connection_serves_on(serve, wire, body, cause) -> None:
    connection = wire(serve())
    connection.send(post("/hello", body))
    answer = connection.read_answer()
    assert answer.status == 400
    assert answer.message.startswith(f"bad call to hello.Hello: {cause}")
    connection.send(post("/hello", call_body("after")))
    assert connection.read_answer().json()["result"] == "Responding to [after] from Python"


def test_an_unknown_path_is_404(serve, wire) -> None:
    connection = wire(serve())
    connection.send(post("/goodbye", call_body()))
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (404, "no service at /goodbye (served here: /hello)")


def test_a_get_is_405_with_allow(serve, wire) -> None:
    connection = wire(serve())
    connection.send(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = connection.read_answer()
    assert (answer.status, answer.header("allow")) == (405, "POST")
    assert answer.message == "/hello takes POST, not GET"


def test_head_gets_the_head_only_and_the_connection_serves_on(serve, wire) -> None:
    connection = wire(serve())
    connection.send(b"HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = connection.read_answer(head_only=True)
    assert answer.status == 405
    assert int(answer.header("content-length")) > 0
    connection.send(post("/hello", call_body("next")))
    # Were the HEAD answer's body sent, it would be read here instead of the 200.
    assert connection.read_answer().status == 200


def test_a_body_over_the_limit_is_refused_413_from_content_length_unread(serve, wire) -> None:
    connection = wire(serve(read_timeout=30))
    started = time.monotonic()
    connection.send(post("/hello", b"", length=2 * 1024 * 1024))
    answer = connection.read_answer()
    assert time.monotonic() - started < 2, "answered without waiting for the body"
    assert answer.status == 413
    assert answer.message == "a body of 2097152 bytes is over the limit of 1048576 bytes"
    assert answer.header("connection") == "close"


def test_the_body_limit_is_configurable(serve, wire) -> None:
    connection = wire(serve(max_body=100))
    connection.send(post("/hello", call_body("x" * 200)))
    assert connection.read_answer().status == 413


def test_a_client_sending_its_body_anyway_still_reads_the_413(serve, wire) -> None:
    connection = wire(serve(max_body=100))
    connection.send(post("/hello", b"x" * 300_000))
    answer = connection.read_answer()
    assert answer.status == 413
    assert connection.closed_by_server()


@pytest.mark.parametrize(
    ("header", "status", "message"),
    [
        ("", 411, "a call needs a body with a Content-Length header"),
        ("Content-Length: -1\r\n", 400, "Content-Length must be a non-negative whole number, not '-1'"),
        ("Content-Length: ten\r\n", 400, "Content-Length must be a non-negative whole number, not 'ten'"),
        ("Content-Length: 1e3\r\n", 400, "Content-Length must be a non-negative whole number, not '1e3'"),
        ("Content-Length: 5\r\nContent-Length: 6\r\n", 400, "conflicting Content-Length headers"),
        ("Content-Length: " + "9" * 40 + "\r\n", 413, "a body of 99999999999999999999... bytes is over any limit"),
        ("Transfer-Encoding: gzip\r\n", 501, "transfer coding 'gzip' is not supported"),
        ("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400, "a request may not have both"),
    ],
)
def test_a_bad_or_missing_content_length_is_answered_at_once(serve, wire, header, status, message) -> None:
    connection = wire(serve(read_timeout=30))
    started = time.monotonic()
    connection.send(f"POST /hello HTTP/1.1\r\nHost: x\r\n{header}\r\n".encode())
    answer = connection.read_answer()
    assert time.monotonic() - started < 2
    assert answer.status == status
    assert answer.message.startswith(message)


def test_a_chunked_body_is_decoded_and_the_connection_serves_on(serve, wire) -> None:
    # RFC 9112 §7.1: an HTTP/1.1 server must be able to parse a chunked body.
    connection = wire(serve())
    connection.send(chunked_post("/hello", call_body("in chunks")) + post("/hello", call_body("after")))
    answer = connection.read_answer()
    assert (answer.status, answer.json()["result"]) == (200, answer_to("in chunks"))
    assert connection.read_answer().json()["result"] == answer_to("after")


def test_a_header_with_an_underscore_is_dropped_not_taken_for_its_dash_twin(serve, wire) -> None:
    connection = wire(serve())
    connection.send(b"POST /hello HTTP/1.1\r\nHost: x\r\nContent_Length: 5\r\n\r\n")
    assert connection.read_answer().status == 411


@pytest.mark.parametrize(
    ("request_bytes", "status", "message"),
    [
        (b"POST /hello\r\n\r\n", 400, "malformed request line"),
        (b"POST /hello HTTP/2.0\r\n\r\n", 505, "HTTP/2.0 is not supported: use HTTP/1.1"),
        (b"POST /hello HTTP/1.1\r\nHost x\r\n\r\n", 400, "malformed header line"),
        (b"POST /hello HTTP/1.1\r\nHost : x\r\n\r\n", 400, "malformed header name"),
        (b"POST /hello HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", 431, "request head over the limit"),
        (b"POST /hello HTTP/1.1\r\n" + b"X: 1\r\n" * 101 + b"\r\n", 431, "more than 100 header lines"),
        (b"\r\n" * 40_000 + b"POST /hello HTTP/1.1\r\nHost: x\r\n\r\n", 411, "a call needs a body"),
    ],
)
def test_a_malformed_request_head_is_refused(serve, wire, request_bytes, status, message) -> None:
    connection = wire(serve())
    connection.send(request_bytes)
    answer = connection.read_answer()
    assert answer.status == status
    assert answer.message.startswith(message)
    if status != 411:
        assert connection.closed_by_server()


def test_an_implementation_that_raises_is_500_logged_and_the_server_serves_on(hello, serve, wire, caplog) -> None:
    class Flaky:
        def hello(self, request):
            if request.text == "fail":
                raise RuntimeError("the implementation broke")
            return hello.Response(result="fine")

    connection = wire(serve(Flaky()))
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(post("/hello", call_body("fail")))
        answer = connection.read_answer()
    assert answer.status == 500
    assert answer.message == "hello.Hello.hello failed in the server's implementation; see the server's log"
    assert "RuntimeError: the implementation broke" in caplog.text
    assert "Traceback" in caplog.text
    connection.send(post("/hello", call_body("again")))
    assert connection.read_answer().json()["result"] == "fine"


def test_keep_alive_reuses_one_connection_and_answers_pipelined_calls_in_order(serve, wire) -> None:
    connection = wire(serve())
    for text in ("one", "two", "three"):
        connection.send(post("/hello", call_body(text)))
        assert connection.read_answer().json()["result"] == answer_to(text)
    connection.send(post("/hello", call_body("four")) + post("/hello", call_body("five")))
    assert connection.read_answer().json()["result"] == answer_to("four")
    assert connection.read_answer().json()["result"] == answer_to("five")


def test_connection_close_and_http_1_0_end_the_connection_after_the_answer(serve, wire) -> None:
    url = serve()
    connection = wire(url)
    connection.send(post("/hello", call_body(), extra="Connection: close\r\n"))
    assert connection.read_answer().header("connection") == "close"
    assert connection.closed_by_server()
    old = wire(url)
    old.send(post("/hello", call_body()).replace(b"HTTP/1.1", b"HTTP/1.0"))
    assert old.read_answer().status == 200
    assert old.closed_by_server()


def test_a_small_unread_body_is_drained_so_the_connection_serves_on(serve, wire) -> None:
    connection = wire(serve())
    connection.send(post("/nothing-here", call_body("x" * 500)))
    assert connection.read_answer().status == 404
    connection.send(post("/hello", call_body("next")))
    assert connection.read_answer().status == 200


def test_expect_100_continue_gets_the_go_ahead_then_the_answer(serve, wire) -> None:
    connection = wire(serve())
    body = call_body("continued")
    connection.send(post("/hello", b"", length=len(body), extra="Expect: 100-continue\r\n"))
    interim = connection.read_answer(head_only=True)
    assert interim.status == 100
    connection.send(body)
    assert connection.read_answer().json()["result"] == answer_to("continued")


def test_expect_100_continue_over_the_limit_gets_413_without_a_go_ahead(serve, wire) -> None:
    connection = wire(serve(max_body=10))
    connection.send(post("/hello", b"", length=1000, extra="Expect: 100-continue\r\n"))
    answer = connection.read_answer()
    assert answer.status == 413
    assert answer.header("connection") == "close"


def test_a_silent_client_is_hung_up_on_after_the_read_timeout(http_server, wire) -> None:
    url = url_of(http_server(read_timeout=0.3))
    # Taken before connecting: the server's clock starts when it accepts, which may come first.
    started = time.monotonic()
    connection = wire(url)
    assert connection.closed_by_server()
    assert 0.2 < time.monotonic() - started < 3


@pytest.mark.parametrize("part", ["head", "body"])
def test_a_trickling_client_gets_408_after_the_read_timeout(http_server, wire, part) -> None:
    connection = wire(url_of(http_server(read_timeout=0.5)))
    body = call_body()
    request = post("/hello", body)
    # Start with all but the last bytes of the head, or all of the head and one byte of body.
    sent = request.index(b"\r\n\r\n") + (2 if part == "head" else 5)
    # Taken before sending, so that a pause in this process cannot make the server look early.
    started = time.monotonic()
    connection.send(request[:sent])
    while not select.select([connection.sock], [], [], 0.05)[0]:
        assert time.monotonic() - started < WAIT, "no answer to a trickling client"
        if part == "head":
            connection.send(b"X-Slow: 1\r\n")
        elif sent < len(request) - 1:
            connection.send(request[sent : sent + 1])
            sent += 1
    answer = connection.read_answer()
    assert answer.status == 408
    assert answer.message == "request not received within 0.5 s"
    assert 0.4 < time.monotonic() - started < 3


def test_a_half_sent_request_does_not_hold_up_other_clients(http_server, wire) -> None:
    url = url_of(http_server(read_timeout=WAIT))
    request = post("/hello", call_body("whole"))
    stalled_head, stalled_body = wire(url), wire(url)
    # One stops inside its head, one inside its body: the server is left waiting for the rest of each.
    stalled_head.send(request[: request.index(b"\r\n\r\n")])
    stalled_body.send(request[:-3])
    time.sleep(0.1)
    started = time.monotonic()
    connection = wire(url)
    connection.send(request)
    assert connection.read_answer().json()["result"] == answer_to("whole")
    assert time.monotonic() - started < 1, "a request was held up by a client that stopped half-way"
    stalled_body.send(request[-3:])
    assert stalled_body.read_answer().json()["result"] == answer_to("whole")


def test_a_pipelined_request_cut_short_gets_the_read_timeout_not_the_idle_timeout(http_server, wire) -> None:
    connection = wire(url_of(http_server(read_timeout=0.5, idle_timeout=30)))
    second = post("/hello", call_body("second"))
    started = time.monotonic()
    connection.send(post("/hello", call_body("first")) + second[:10])
    assert connection.read_answer().json()["result"] == answer_to("first")
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (408, "request not received within 0.5 s")
    assert 0.4 < time.monotonic() - started < 3


def test_accepted_connections_have_tcp_nodelay(http_server, wire) -> None:
    server = http_server()
    connection = wire(url_of(server))
    connection.send(post("/hello", call_body()))
    assert connection.read_answer().status == 200
    [accepted] = server._poller.connections
    assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_an_idle_kept_alive_connection_is_closed_after_the_idle_timeout(http_server, wire) -> None:
    connection = wire(url_of(http_server(idle_timeout=0.3)))
    connection.send(post("/hello", call_body()))
    assert connection.read_answer().status == 200
    started = time.monotonic()
    assert connection.closed_by_server()
    assert time.monotonic() - started < 3


def test_clients_hanging_up_are_not_logged_and_do_not_disturb_the_server(http_server, wire, caplog) -> None:
    server = http_server()
    url = url_of(server)
    with caplog.at_level(logging.DEBUG, logger="quark_threaded_runtime"):
        wire(url).close()  # connects and leaves
        half_head = wire(url)
        half_head.send(b"POST /hello HTTP/1.1\r\nHost: x\r\n")
        half_head.close()
        half_body = wire(url)
        half_body.send(post("/hello", call_body())[:-5])
        half_body.close()
        wait_until(lambda: server.open_connections == 0)
        connection = wire(url)
        connection.send(post("/hello", call_body()))
        assert connection.read_answer().status == 200
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []


def test_a_wsgi_app_that_raises_is_a_500_and_logged(http_server, wire, caplog) -> None:
    def broken(environ, start_response):
        raise KeyError("no")

    connection = wire(url_of(http_server(broken)))
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(post("/hello", call_body()))
        answer = connection.read_answer()
    assert (answer.status, answer.message) == (500, "the server failed to answer; see the server's log")
    assert "KeyError" in caplog.text


def test_percent_encoded_paths_are_decoded(serve, wire) -> None:
    connection = wire(serve(path="/hello world"))
    connection.send(post("/hello%20world", call_body()))
    assert connection.read_answer().status == 200


def test_the_server_answers_many_calls_on_many_connections(serve, wire) -> None:
    url = serve()
    connections = [wire(url) for _ in range(8)]
    for round_number in range(5):
        for index, connection in enumerate(connections):
            connection.send(post("/hello", call_body(f"{round_number}-{index}")))
        for index, connection in enumerate(connections):
            assert connection.read_answer().json()["result"] == answer_to(f"{round_number}-{index}")


def test_unicode_text_crosses_the_wire(serve, wire) -> None:
    connection = wire(serve())
    text = "héllo wörld ✓ 你好"
    envelope = {"$method": "hello", "rpc": {"$class": "hello.Request", "text": text}}
    connection.send(post("/hello", json.dumps(envelope, ensure_ascii=False).encode()))
    assert connection.read_answer().json()["result"] == answer_to(text)


def test_the_runtime_passes_its_timeouts_to_its_server(serve, wire) -> None:
    connection = wire(serve(read_timeout=0.3))
    started = time.monotonic()
    assert connection.closed_by_server()
    assert time.monotonic() - started < 3


def test_concurrent_connections_each_get_their_own_answers(hello, serve, wire) -> None:
    class Mirror:
        def hello(self, request):
            return hello.Response(result=request.text)

    url = serve(Mirror())
    failures = []
    # Filled in by the clients that finish: one that dies of an exception leaves a gap.
    finished = []

    def client(number: int) -> None:
        connection = wire(url)
        for index in range(20):
            connection.send(post("/hello", call_body(f"{number}.{index}")))
            if connection.read_answer().json()["result"] != f"{number}.{index}":
                failures.append((number, index))
        finished.append(number)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert sorted(finished) == list(range(8))


def test_an_applications_connection_close_is_sent_once_and_honoured(http_server) -> None:
    def closing_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Connection", "close")])
        return [b"bye"]

    server = http_server(closing_app)
    with socket.create_connection(("127.0.0.1", server.address[1]), timeout=WAIT) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while more := sock.recv(65536):  # ends only when the server hangs up
            received += more
    head, _, body = received.partition(b"\r\n\r\n")
    connection_headers = [line for line in head.split(b"\r\n") if line.lower().startswith(b"connection:")]
    assert (connection_headers, body) == ([b"Connection: close"], b"bye")
