"""The runtime's server against RFC 9110/9112 over a real socket: framing, targets, hosts, chunked bodies.

The same cases are checked on bytes alone in test_protocol.py; here they go
through the whole server, and the connection must end the way the RFC says.
"""

from __future__ import annotations

import time

import pytest
from toolkit.http import answers_in, exchange_until_closed
from toolkit.runtime_testkit import WAIT, answer_to, call_body, chunked_post, post, url_of


def environ_app(environ, start_response):
    """Answers with the request's environ as text: what an application would see."""
    body = "\n".join(
        f"{key}={environ.get(key)}" for key in ("HTTP_HOST", "PATH_INFO", "QUERY_STRING", "CONTENT_LENGTH")
    )
    data = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body.encode() + b"\nbody=" + data]


def refused_at_once(http_server, wire, data: bytes) -> tuple[int, str]:
    """Send ``data``; the answer must come well before the read timeout, and the connection close."""
    server = http_server(read_timeout=WAIT * 2)
    connection = wire(url_of(server))
    started = time.monotonic()
    connection.send(data)
    answer = connection.read_answer()
    assert time.monotonic() - started < WAIT, "the server waited for more"
    assert answer.header("Connection") == "close"
    assert connection.closed_by_server()
    return answer.status, answer.message


@pytest.mark.parametrize(
    "data",
    [
        b"POST /hello HTTP/1.1\r\nHost: a\r\nFoo: x\n\r\n\r\n",
        b"POST /hello HTTP/1.1\r\nHost: a\r\nFoo: x\r\r\n\r\n",
        b"POST /hello HTTP/1.1\nHost: a\r\n\r\n",
    ],
)
def test_a_bare_cr_or_lf_ending_a_line_is_400(http_server, wire, data: bytes) -> None:
    # RFC 9112 §2.2: a front end that takes a bare LF for a line end would frame these bytes differently.
    assert refused_at_once(http_server, wire, data)[0] == 400


@pytest.mark.parametrize("host", [b"a b", b"user@a", b"a:8o", b"[::1"])
def test_an_invalid_host_header_is_400(http_server, wire, host: bytes) -> None:
    # RFC 9112 §3.2: an invalid Host value must be answered 400.
    status, message = refused_at_once(http_server, wire, b"GET /hello HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
    assert status == 400
    assert message.startswith("malformed Host header")


@pytest.mark.parametrize(
    "target", [b"http:///hello", b"http://user@127.0.0.1/hello", b"/hello#part", b"http://a/hello?x#part"]
)
def test_an_absolute_target_without_host_or_with_userinfo_and_any_fragment_is_400(http_server, wire, target) -> None:
    # RFC 9110 §4.2.1 (no empty host), §4.2.4 (userinfo is an error), RFC 9112 §3.2 (no fragment in a target).
    assert refused_at_once(http_server, wire, b"POST " + target + b" HTTP/1.1\r\nHost: a\r\n\r\n")[0] == 400


def test_an_absolute_target_gives_its_host_without_anything_else(http_server, wire) -> None:
    connection = wire(url_of(http_server(environ_app)))
    connection.send(b"GET http://example.com:80/p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n")
    body = connection.read_answer().body.decode()
    assert "HTTP_HOST=example.com:80\nPATH_INFO=/p\nQUERY_STRING=q=1\n" in body


@pytest.mark.parametrize(
    "data",
    [
        bytes.fromhex("160301020001000001fc0303") + bytes(range(32)),  # the start of a TLS ClientHello
        b"\x00" * 8,
        b" ",
        b"GET /hello\x00",
    ],
)
def test_bytes_that_can_never_be_a_request_are_answered_400_at_once(http_server, wire, data: bytes) -> None:
    assert refused_at_once(http_server, wire, data)[0] == 400


def test_connect_is_405_with_allow(http_server, wire) -> None:
    # RFC 9110 §9.3.6: CONNECT is for proxies; an origin server answers 405 (with Allow, §15.5.6) or 501.
    server = http_server()
    connection = wire(url_of(server))
    connection.send(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    answer = connection.read_answer()
    assert answer.status == 405
    assert "POST" in answer.header("Allow")


# --- chunked request bodies (RFC 9112 §7.1) ----------------------------------------------------------


def test_a_chunked_call_is_answered_like_one_with_a_length(serve, wire) -> None:
    connection = wire(serve())
    connection.send(chunked_post("/hello", call_body("chunked")))
    assert connection.read_answer().json()["result"] == answer_to("chunked")


def test_a_chunked_body_sent_in_pieces_with_extensions_and_trailers_is_decoded(http_server, wire) -> None:
    connection = wire(url_of(http_server(environ_app)))
    connection.send(b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
    for piece in [b"4;ext=1\r\nab", b"cd\r", b"\n3\r\nef", b"g\r\n0\r\nTrailer-Field: 1\r\n", b"\r\n"]:
        time.sleep(0.02)
        connection.send(piece)
    answer = connection.read_answer()
    assert answer.body.endswith(b"CONTENT_LENGTH=7\nbody=abcdefg")
    assert answer.header("Connection") == "keep-alive"
    connection.send(post("/y", b"next"))
    assert connection.read_answer().body.endswith(b"body=next")


def test_a_chunked_body_over_the_buffer_limit_is_read_by_the_application_as_it_arrives(http_server, wire) -> None:
    connection = wire(url_of(http_server(environ_app, max_buffered_body=10)))
    chunk = b"x" * 1000
    connection.send(b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
    for _ in range(20):
        connection.send(b"%x\r\n%b\r\n" % (len(chunk), chunk))
    connection.send(b"0\r\n\r\n")
    answer = connection.read_answer()
    assert answer.body.endswith(b"CONTENT_LENGTH=None\nbody=" + chunk * 20)


def test_a_chunked_body_over_the_dispatchers_limit_is_413(serve, wire) -> None:
    connection = wire(serve(max_body=100))
    connection.send(chunked_post("/hello", call_body("x" * 200)))
    answer = connection.read_answer()
    assert answer.status == 413
    assert answer.message.endswith("is over the limit of 100 bytes")


def test_a_chunked_body_waiting_for_100_continue_gets_it(serve, wire) -> None:
    connection = wire(serve())
    body = call_body("go")
    connection.send(b"POST /hello HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert connection.read_answer().status == 100
    connection.send(b"%x\r\n%b\r\n0\r\n\r\n" % (len(body), body))
    assert connection.read_answer().json()["result"] == answer_to("go")


@pytest.mark.parametrize(
    ("chunks", "status"),
    [
        (b"zz\r\nab\r\n0\r\n\r\n", 400),
        (b"2\r\nabXX0\r\n\r\n", 400),
        (b"2\nab\r\n0\r\n\r\n", 400),
        (b"2;=x\r\nab\r\n0\r\n\r\n", 400),
        (b"2\r\nab\r\n0\r\nno colon\r\n\r\n", 400),
        (b"1" + b"0" * 16 + b"\r\n", 413),
    ],
)
def test_chunk_syntax_errors_are_refused(http_server, wire, chunks: bytes, status: int) -> None:
    head = b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert refused_at_once(http_server, wire, head + chunks)[0] == status


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", 400),
        (b"Transfer-Encoding: gzip\r\n", 501),
        (b"Transfer-Encoding: gzip, chunked\r\n", 501),
    ],
)
def test_transfer_encoding_with_a_length_or_another_coding_is_refused(http_server, wire, headers, status) -> None:
    # RFC 9112 §6.3 (both framings: refuse, close), §6.1 (a coding not understood: 501).
    data = b"POST /x HTTP/1.1\r\nHost: a\r\n" + headers + b"\r\n3\r\nabc\r\n0\r\n\r\n"
    assert refused_at_once(http_server, wire, data)[0] == status


def test_no_smuggled_request_hides_behind_a_refused_framing(http_server) -> None:
    server = http_server(environ_app)
    smuggled = b"GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"
    data = b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
    answers = answers_in(exchange_until_closed(("127.0.0.1", server.address[1]), data, WAIT))
    assert [answer.status for answer in answers] == [400]
