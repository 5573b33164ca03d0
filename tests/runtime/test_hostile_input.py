"""No client input gets a 500: what the runtime refuses over the wire, and how it says so."""

from __future__ import annotations

import json
import logging

import pytest
from toolkit.runtime_testkit import answer_to, call_body, post, url_of, wait_until

from quark_threaded_runtime import Dispatcher, Runtime

SURROGATE_TEXT = b'{"$method": "hello", "rpc": {"$class": "hello.Request", "text": "a\\ud800b"}}'


def test_a_lone_surrogate_in_a_string_is_400_naming_the_field(serve, wire, caplog) -> None:
    connection = wire(serve())
    with caplog.at_level(logging.WARNING, logger="quark_threaded_runtime"):
        connection.send(post("/hello", SURROGATE_TEXT))
        answer = connection.read_answer()
    assert answer.status == 400
    assert answer.message.startswith("bad call to hello.Hello: rpc.text: holds a lone surrogate")
    assert caplog.records == []
    connection.send(post("/hello", call_body("after")))
    assert connection.read_answer().json()["result"] == answer_to("after")


@pytest.mark.parametrize("raised", [SystemExit, KeyboardInterrupt])
def test_an_implementation_raising_systemexit_or_keyboardinterrupt_gets_500_and_a_closed_connection(
    hello, http_server, wire, caplog, raised
) -> None:
    class Quitting:
        def hello(self, request):
            if request.text == "quit":
                raise raised()
            return hello.Response(result="fine")

    server = http_server(Dispatcher({"/hello": hello.HelloServer(Runtime(), Quitting())}))
    url = url_of(server)
    connection = wire(url)
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(post("/hello", call_body("quit")))
        answer = connection.read_answer()
    assert (answer.status, answer.header("connection")) == (500, "close")
    assert answer.message == "the server failed to answer; see the server's log"
    assert raised.__name__ in caplog.text
    assert connection.closed_by_server()
    # The server's end is closed too, not left half-open.
    wait_until(lambda: server.open_connections == 0)
    again = wire(url)
    again.send(post("/hello", call_body("hi")))
    assert again.read_answer().json()["result"] == "fine"


@pytest.mark.parametrize(
    ("extra_header", "message"),
    [
        ("X-Note: a\x01b\r\n", "the value of header X-Note holds a control character"),
        ("X-Note: a\x00b\r\n", "the value of header X-Note holds a control character"),
        ("X-Note: a\nb\r\n", "the value of header X-Note holds a control character"),
        ("Host: second\r\n", "more than one Host header"),
    ],
)
def test_malformed_headers_are_400_and_the_connection_closed(serve, wire, extra_header, message) -> None:
    connection = wire(serve())
    connection.send(post("/hello", call_body(), extra=extra_header))
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (400, message)
    assert connection.closed_by_server()


def test_http_1_1_without_host_is_400(serve, wire) -> None:
    connection = wire(serve())
    connection.send(post("/hello", call_body()).replace(b"Host: 127.0.0.1\r\n", b""))
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (400, "an HTTP/1.1 request needs a Host header")


def test_an_absolute_form_target_is_routed_by_its_path(serve, wire) -> None:
    url = serve()
    connection = wire(url)
    connection.send(post("/hello", call_body("absolute")).replace(b"POST /hello", f"POST {url}".encode(), 1))
    assert connection.read_answer().json()["result"] == answer_to("absolute")


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        (b'{"$method": "hello", "$method": "goodbye", "rpc": {}}', "the key '$method' appears twice in one object"),
        (
            b'{"$method": "hello", "rpc": {"$class": "hello.Request", "text": "a", "text": "b"}}',
            "the key 'text' appears twice in one object",
        ),
        (
            b'{"$method": "hello", "rpc": {"$class": "hello.Request"}, "id": 1}',
            "the call has an unknown member 'id' (members: $method, rpc)",
        ),
        (b'{"$method": "hello", "rpc": ' + b"[" * 40 + b"]" * 40 + b"}", "body is nested more than 32 levels deep"),
    ],
)
def test_the_envelope_is_strict(serve, wire, body, cause) -> None:
    connection = wire(serve())
    connection.send(post("/hello", body))
    answer = connection.read_answer()
    assert (answer.status, answer.message) == (400, f"bad call to hello.Hello: {cause}")


def test_brackets_inside_strings_do_not_count_towards_the_nesting_limit(serve, wire) -> None:
    connection = wire(serve())
    text = "[{" * 100
    connection.send(post("/hello", call_body(text)))
    assert connection.read_answer().json()["result"] == answer_to(text)


def test_404_and_405_quote_at_most_about_100_characters(serve, wire) -> None:
    connection = wire(serve())
    long_path = "/" + "a" * 5000
    connection.send(post(long_path, call_body()))
    answer = connection.read_answer()
    assert answer.status == 404
    assert len(answer.message) < 200
    assert "/" + "a" * 96 + "..." in answer.message
    connection.send(f"{'M' * 300} /hello HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    answer = connection.read_answer()
    assert answer.status == 405
    assert len(answer.message) < 200


def test_an_error_body_is_valid_json_whatever_the_client_sent(serve, wire) -> None:
    connection = wire(serve())
    connection.send(post("/\u00ff\u00fe%FF%00", call_body()))
    answer = connection.read_answer()
    assert answer.status == 404
    assert json.loads(answer.body)["error"]["status"] == 404
