"""The runtime's server as a WSGI host (PEP 3333), over a real socket.

Each application that follows PEP 3333 runs twice: as it is, and wrapped in
``wsgiref.validate.validator``, which checks the server's side of the
contract too (the environ, ``wsgi.input``, ``start_response`` and ``write``)
and fails the call on anything wrong. Its warnings are errors here.
"""

from __future__ import annotations

import logging
import socket
import time
import wsgiref.validate

import pytest
from toolkit.http import answers_in
from toolkit.runtime_testkit import WAIT, url_of

pytestmark = pytest.mark.filterwarnings("error::wsgiref.validate.WSGIWarning")


def plain(app):
    return app


@pytest.fixture(params=[plain, wsgiref.validate.validator], ids=["plain", "validated"])
def host(request, http_server):
    """Serve a WSGI application (wrapped in wsgiref's validator in one run): ``server = host(app)``."""

    def start(app, **options):
        return http_server(request.param(app), **options)

    return start


def conversation(server, data: bytes) -> bytes:
    """Send ``data``, say no more is coming, and return all the server sent before it closed."""
    with socket.create_connection(("127.0.0.1", server.address[1]), timeout=WAIT) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while more := sock.recv(65536):
            received += more
        return received


GET = b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n"


def test_write_sends_blocks_before_the_returned_body(host, wire) -> None:
    # PEP 3333: start_response returns write(), which servers must support.
    def app(environ, start_response):
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"hello, ")
        write(b"")
        return [b"world"]

    connection = wire(url_of(host(app)))
    connection.send(GET)
    answer = connection.read_answer()
    assert (answer.status, answer.body) == (200, b"hello, world")
    assert answer.header("Transfer-Encoding") == "chunked"
    connection.send(GET)
    assert connection.read_answer().body == b"hello, world"


def test_write_with_a_declared_length_sends_it_plain(host, wire) -> None:
    def app(environ, start_response):
        write = start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        write(b"hel")
        return iter([b"lo"])

    connection = wire(url_of(host(app)))
    connection.send(GET)
    answer = connection.read_answer()
    assert (answer.body, answer.header("Content-Length"), answer.header("Transfer-Encoding")) == (b"hello", "5", None)


def test_a_generator_body_of_unknown_length_streams_in_chunks_and_http_1_0_by_closing(host, wire) -> None:
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"a"
        yield b"b"

    server = host(app)
    connection = wire(url_of(server))
    connection.send(GET)
    assert connection.read_answer().body == b"ab"
    received = conversation(server, b"GET /x HTTP/1.0\r\n\r\n")
    assert received.endswith(b"\r\n\r\nab")
    assert b"Connection: close" in received


def test_a_body_shorter_than_its_content_length_closes_the_connection_after_it(http_server, caplog) -> None:
    # Sent as it is, the client would take the start of the next answer for the rest of this body.
    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "10")])
        return [b"12345"]

    server = http_server(app)
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        received = conversation(server, GET + GET)
    assert received.endswith(b"\r\n\r\n12345")
    assert received.count(b"HTTP/1.1 200") == 1
    assert "did not match its Content-Length of 10" in caplog.text


def test_a_body_longer_than_its_content_length_is_cut_and_the_connection_closed(http_server, caplog) -> None:
    # Sent as it is, the 7 extra bytes would come before the next status line.
    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "3")])
        return [b"0123456789"]

    server = http_server(app)
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        received = conversation(server, GET + GET)
    [answer] = answers_in(received)
    assert (answer.body, answer.header("Connection")) == (b"012", "close")
    assert received.endswith(b"\r\n\r\n012")
    assert "did not match its Content-Length of 3" in caplog.text


@pytest.mark.parametrize(
    "headers",
    [
        [("X-Split", "a\r\nSet-Cookie: evil=1")],
        [("X-Split", "a\nb")],
        [("X-Nul", "a\x00b")],
        [("Bad Name", "x")],
    ],
)
def test_control_characters_in_an_applications_headers_are_500_and_logged(http_server, wire, caplog, headers) -> None:
    def app(environ, start_response):
        start_response("200 OK", headers)
        return [b"never sent"]

    connection = wire(url_of(http_server(app)))
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(GET)
        answer = connection.read_answer()
    assert (answer.status, answer.header("Set-Cookie")) == (500, None)
    assert b"never sent" not in answer.body
    assert "the WSGI application failed" in caplog.text


@pytest.mark.parametrize("status", ["204 No Content", "304 Not Modified"])
def test_204_and_304_have_no_content_length_and_no_body(host, wire, status: str) -> None:
    # RFC 9110 §8.6 and §15.3.5 / §15.4.5: no Content-Length of 0 there, and no body.
    def app(environ, start_response):
        start_response(status, [("Content-Length", "0")] if status.startswith("304") else [])
        return []

    connection = wire(url_of(host(app)))
    connection.send(GET + GET)
    for _ in range(2):
        answer = connection.read_answer()
        assert answer.status == int(status[:3])
        assert answer.header("Content-Length") is None


@pytest.mark.parametrize("body", [["text"], [b"ok", "text"], "text", [None], 5])
def test_a_body_that_is_not_bytes_is_500_not_a_dropped_connection(http_server, wire, caplog, body) -> None:
    def app(environ, start_response):
        start_response("200 OK", [])
        return body

    connection = wire(url_of(http_server(app)))
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(GET)
        answer = connection.read_answer()
    assert answer.status == 500
    assert answer.message == "the server failed to answer; see the server's log"


def test_write_of_a_str_is_500(http_server, wire, caplog) -> None:
    def app(environ, start_response):
        start_response("200 OK", [])("text")
        return []

    connection = wire(url_of(http_server(app)))
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(GET)
        assert connection.read_answer().status == 500


def test_hop_by_hop_headers_from_the_application_are_not_passed_on(http_server, wire) -> None:
    # PEP 3333: hop-by-hop headers are the server's; a Transfer-Encoding passed on would misframe the body.
    def app(environ, start_response):
        start_response("200 OK", [("Keep-Alive", "timeout=99"), ("Transfer-Encoding", "chunked"), ("X-Ok", "1")])
        return [b"plain"]

    connection = wire(url_of(http_server(app)))
    connection.send(GET + GET)
    for _ in range(2):
        answer = connection.read_answer()
        assert (answer.body, answer.header("Keep-Alive"), answer.header("X-Ok")) == (b"plain", None, "1")
        assert answer.header("Transfer-Encoding") is None


def test_an_error_after_start_response_may_replace_the_answer_with_exc_info(host, wire) -> None:
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("late")
        except ValueError:
            import sys

            start_response("503 Service Unavailable", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"sorry"]

    connection = wire(url_of(host(app)))
    connection.send(GET)
    answer = connection.read_answer()
    assert (answer.status, answer.body) == (503, b"sorry")


def test_the_environ_and_input_pass_the_validator_for_a_large_and_a_chunked_body(host, wire) -> None:
    def app(environ, start_response):
        stream = environ["wsgi.input"]
        first = stream.readline()
        rest = stream.read(1000)  # PEP 3333 has read() take a size
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [first, b"|", rest]

    connection = wire(url_of(host(app, max_buffered_body=4)))
    connection.send(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nline\nrest..")
    assert connection.read_answer().body == b"line\n|rest.."
    connection.send(
        b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab\n\r\n2\r\ncd\r\n0\r\n\r\n"
    )
    assert connection.read_answer().body == b"ab\n|cd"


def test_an_application_may_read_its_body_after_write(http_server, wire) -> None:
    # The head goes out with write(); the body is still the application's to read (PEP 3333 sets no order).
    def app(environ, start_response):
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"got: ")
        return [environ["wsgi.input"].read(100)]

    connection = wire(url_of(http_server(app, max_buffered_body=4)))
    connection.send(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n")
    time.sleep(0.05)  # the application is called before the body arrives: it reads it as it comes
    connection.send(b"0123456789")
    answer = connection.read_answer()
    assert answer.body == b"got: 0123456789"
    # The body was not all read when the head went out: the connection does not carry another request.
    assert answer.header("Connection") == "close"


def test_an_oserror_of_the_application_is_500_and_logged_not_taken_for_a_client_gone(http_server, wire, caplog) -> None:
    def app(environ, start_response):
        raise FileNotFoundError("/no/such/file")

    connection = wire(url_of(http_server(app)))
    with caplog.at_level(logging.ERROR, logger="quark_threaded_runtime"):
        connection.send(GET)
        assert connection.read_answer().status == 500
    assert "FileNotFoundError" in caplog.text
