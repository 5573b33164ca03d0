"""The sans-IO connection (RFC 9112 framing), tested on bytes alone: no socket, thread or clock."""

from __future__ import annotations

import pytest

from quark_threaded_runtime.errors import RequestError
from quark_threaded_runtime.http11 import CONTINUE, MAX_CHUNK_LINE, response_head
from quark_threaded_runtime.protocol import (
    CLOSED,
    END_OF_BODY,
    NEED_DATA,
    SEND_CONTINUE,
    HTTPConnection,
    RequestReady,
    Settings,
)

BASE = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8910"}


def connection(**settings) -> HTTPConnection:
    return HTTPConnection(Settings(**settings), dict(BASE))


def events(data: bytes, **settings) -> list:
    """Feed ``data`` byte by byte (the hardest split) and collect every event but NEED_DATA."""
    conn = connection(**settings)
    seen = []
    for index in range(len(data)):
        conn.receive(data[index : index + 1])
        while (event := conn.next_event()) is not NEED_DATA:
            seen.append(event)
            if type(event) is RequestReady:
                conn.start_next()
            elif event is SEND_CONTINUE:
                continue
    return seen


def refused(data: bytes, **settings) -> tuple[int, str]:
    conn = connection(**settings)
    conn.receive(data)
    with pytest.raises(RequestError) as caught:
        while conn.next_event() is not NEED_DATA:
            conn.start_next()
    return caught.value.status, caught.value.message


def head(extra: bytes = b"", target: bytes = b"/hello") -> bytes:
    return b"POST " + target + b" HTTP/1.1\r\nHost: a\r\n" + extra + b"\r\n"


def test_a_request_sent_one_byte_at_a_time_is_ready_once_whole() -> None:
    [ready] = events(head(b"Content-Length: 5\r\n") + b"hello")
    assert (ready.request.environ["PATH_INFO"], ready.body) == ("/hello", b"hello")


def test_pipelined_requests_come_out_in_order_with_blank_lines_between_skipped() -> None:
    one = head(b"Content-Length: 1\r\n") + b"1"
    two = head(b"Content-Length: 1\r\n") + b"2"
    # RFC 9112 §2.2: at least one empty line before a request-line is ignored.
    assert [ready.body for ready in events(b"\r\n" + one + b"\r\n" + two)] == [b"1", b"2"]


def test_expect_100_continue_is_an_event_once_and_only_before_the_body() -> None:
    conn = connection()
    conn.receive(head(b"Expect: 100-continue\r\nContent-Length: 2\r\n"))
    assert conn.next_event() is SEND_CONTINUE
    assert conn.next_event() is NEED_DATA
    conn.receive(b"ok")
    assert conn.next_event().body == b"ok"
    # Body sent with the head: no go-ahead is needed (RFC 9110 §10.1.1).
    conn = connection()
    conn.receive(head(b"Expect: 100-continue\r\nContent-Length: 2\r\n") + b"ok")
    assert conn.next_event().body == b"ok"


def test_a_hang_up_is_the_closed_event() -> None:
    conn = connection()
    conn.receive(b"")
    assert conn.next_event() is CLOSED


def test_a_body_over_the_buffer_limit_is_handed_on_at_once_and_read_as_it_arrives() -> None:
    conn = connection(max_buffered_body=4)
    conn.receive(head(b"Content-Length: 10\r\n") + b"abc")
    ready = conn.next_event()
    assert ready.body is None
    assert conn.read_body(100) == b"abc"
    assert conn.read_body(100) is NEED_DATA
    conn.receive(b"defghijNEXT")
    assert conn.read_body(100) == b"defghij"
    assert conn.read_body(100) is END_OF_BODY
    conn.start_next()
    assert bytes(conn.buffer) == b"NEXT"


# --- framing errors: RFC 9112 §2.2, §3, §3.2 ----------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        head(b"Foo: x\n\r\n"),  # a bare LF ending the last header line, then the blank line
        head(b"Foo: x\r\r\n"),  # a bare CR ending it
        head(b"Foo: x\n"),  # the same, caught before the head ends
        b"POST /hello HTTP/1.1\nHost: a\r\n\r\n",  # a bare LF ending the request line
        b"POST /hello HTTP/1.1\r\nHost: a\nFoo: x\r\n\r\n",
    ],
)
def test_a_bare_cr_or_lf_as_a_line_end_is_400(data: bytes) -> None:
    # RFC 9112 §2.2: a bare CR must be refused or replaced; an LF-tolerant front end would frame these differently.
    assert refused(data)[0] == 400
    assert refused(data + b"Content-Length: 0\r\n\r\n")[0] == 400


@pytest.mark.parametrize(
    "value", [b"a b", b"user@a", b"a:80x", b"a:b:c", b"[::1", b"[zz::1]", b"a/b", b"a\\b", b"[::1]x", b"\xe9"]
)
def test_an_invalid_host_is_400(value: bytes) -> None:
    # RFC 9112 §3.2: a Host with an invalid value must be answered 400; its grammar is RFC 3986 §3.2.2.
    status, message = refused(b"POST /hello HTTP/1.1\r\nHost: " + value + b"\r\n\r\n")
    assert (status, message.split(" '")[0]) == (400, "malformed Host header")


@pytest.mark.parametrize("value", [b"a", b"127.0.0.1:8910", b"[::1]:80", b"[v1.x]", b"ex-ample.com.", b"%41", b""])
def test_a_valid_host_is_taken(value: bytes) -> None:
    [ready] = events(b"GET / HTTP/1.1\r\nHost: " + value + b"\r\n\r\n")
    assert ready.request.environ["HTTP_HOST"] == value.decode()


@pytest.mark.parametrize(
    ("target", "cause"),
    [
        (b"http:///hello", "malformed host"),  # RFC 9110 §4.2.1: an http URI's host must not be empty
        (b"http://:80/hello", "malformed host"),
        (b"http://user@a/hello", "userinfo"),  # RFC 9110 §4.2.4
        (b"http://user:pw@a/hello", "userinfo"),
        (b"http://a b/hello", "malformed"),
        (b"/hello#frag", "fragment"),  # RFC 9112 §3.2: no form of target has a fragment
        (b"/hello?x=1#frag", "fragment"),
        (b"http://a/hello#frag", "fragment"),
    ],
)
def test_a_target_with_no_host_userinfo_or_a_fragment_is_400(target: bytes, cause: str) -> None:
    status, message = refused(b"POST " + target + b" HTTP/1.1\r\nHost: a\r\n\r\n")
    assert status == 400
    assert cause in message


@pytest.mark.parametrize(
    "data",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS ClientHello
        b"\x00\x00\x00\x00",
        b" ",
        b"GET\x00/",
        b"GET /hello\x00",
        b"P\xc3\xb6ST /",
    ],
)
def test_bytes_that_cannot_become_a_request_are_400_before_the_head_ends(data: bytes) -> None:
    assert refused(data)[0] == 400


@pytest.mark.parametrize("data", [b"P", b"POST", b"POST /hel", b"POST /hello HTTP/1.1\r\nHo"])
def test_the_start_of_a_request_waits_for_more(data: bytes) -> None:
    conn = connection()
    conn.receive(data)
    assert conn.next_event() is NEED_DATA


def test_connect_is_405_with_allow() -> None:
    # RFC 9110 §9.3.6: an origin server answers CONNECT 405 or 501; 405 must carry Allow (§15.5.6).
    conn = connection()
    conn.receive(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    with pytest.raises(RequestError) as caught:
        conn.next_event()
    assert caught.value.status == 405
    assert dict(caught.value.headers)["Allow"].startswith("GET, HEAD, POST")
    answer = conn.error_answer(caught.value)
    assert answer.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n")
    assert b"\r\nAllow: GET, HEAD, POST" in answer
    assert b"\r\nConnection: close\r\n" in answer


# --- chunked bodies: RFC 9112 §7.1, §6.1, §6.3 ---------------------------------------------------

CHUNKED = b"Transfer-Encoding: chunked\r\n"


@pytest.mark.parametrize(
    ("body", "decoded"),
    [
        (b"5\r\nhello\r\n0\r\n\r\n", b"hello"),
        (b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", b"hello world"),
        (b"A\r\n0123456789\r\n0\r\n\r\n", b"0123456789"),
        (b"a\r\n0123456789\r\n0000\r\n\r\n", b"0123456789"),
        (b"0\r\n\r\n", b""),
        (b"5;name=value\r\nhello\r\n0;last\r\n\r\n", b"hello"),  # §7.1.1 extensions, ignored
        (b'5 ; a = "q \\" s" ; b\r\nhello\r\n0\r\n\r\n', b"hello"),
        (b"5\r\nhello\r\n0\r\nChecksum: abc\r\nX-Other: 1\r\n\r\n", b"hello"),  # §7.1.2 trailers
    ],
)
def test_a_chunked_body_is_decoded_even_one_byte_at_a_time(body: bytes, decoded: bytes) -> None:
    [ready] = events(head(CHUNKED) + body)
    assert ready.body == decoded
    assert ready.request.environ["CONTENT_LENGTH"] == str(len(decoded))


def test_a_request_after_a_chunked_body_is_framed_where_the_body_ends() -> None:
    data = head(CHUNKED) + b"3\r\nabc\r\n0\r\n\r\n" + head(b"Content-Length: 2\r\n") + b"ok"
    assert [ready.body for ready in events(data)] == [b"abc", b"ok"]


@pytest.mark.parametrize(
    "body",
    [
        b"x\r\n",  # not hex
        b"-5\r\nhello\r\n",
        b"5\nhello\r\n0\r\n\r\n",  # a bare LF ending the size line
        b"5\r\nhello\n0\r\n\r\n",  # data not followed by CRLF
        b"5\r\nhelloXX0\r\n\r\n",
        b"5;\r\nhello\r\n0\r\n\r\n",  # an extension with no name
        b'5;a="unterminated\r\nhello\r\n0\r\n\r\n',
        b"0\r\nno colon\r\n\r\n",  # a malformed trailer
        b"0\r\nBad Name: x\r\n\r\n",
        b"0x5\r\nhello\r\n0\r\n\r\n",
        b" 5\r\nhello\r\n0\r\n\r\n",
    ],
)
def test_chunk_syntax_errors_are_400(body: bytes) -> None:
    assert refused(head(CHUNKED) + body)[0] == 400


def test_chunked_limits_come_from_the_same_settings_as_content_length() -> None:
    # A chunk-size line without end: refused once over its limit.
    assert refused(head(CHUNKED) + b"5;" + b"x" * (MAX_CHUNK_LINE + 10))[0] == 400
    # More than 16 hex digits of size: over any limit, as a Content-Length of more than 18 digits is.
    assert refused(head(CHUNKED) + b"1" + b"0" * 16 + b"\r\n")[0] == 413
    # The trailer section is bounded by the head limit.
    assert refused(head(CHUNKED) + b"0\r\n" + b"X: " + b"y" * 300 + b"\r\n\r\n", max_header_bytes=256)[0] == 431
    # A body over the buffer limit goes to the application as it arrives, as with Content-Length.
    conn = connection(max_buffered_body=4)
    conn.receive(head(CHUNKED) + b"3\r\nabc\r\n3\r\ndef\r\n")
    ready = conn.next_event()
    assert ready.body is None and "CONTENT_LENGTH" not in ready.request.environ
    assert conn.read_body(4) == b"abcd"
    assert conn.read_body(4) == b"ef"
    assert conn.read_body(4) is NEED_DATA
    conn.receive(b"1\r\ng\r\n0\r\n\r\n")
    assert conn.read_body(4) == b"g"
    assert conn.read_body(4) is END_OF_BODY


def test_a_chunked_body_waiting_for_100_continue_gets_the_event() -> None:
    conn = connection()
    conn.receive(head(CHUNKED + b"Expect: 100-continue\r\n"))
    assert conn.next_event() is SEND_CONTINUE


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        (CHUNKED + b"Content-Length: 5\r\n", 400),  # §6.3: both framings is how requests are smuggled
        (b"Content-Length: 5\r\n" + CHUNKED, 400),
        (b"Transfer-Encoding: gzip\r\n", 501),  # §6.1: a coding the server does not understand
        (b"Transfer-Encoding: gzip, chunked\r\n", 501),
        (b"Transfer-Encoding: chunked, gzip\r\n", 501),
        (b"Transfer-Encoding: chunked, chunked\r\n", 400),
        (b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400),
        (b"Transfer-Encoding: ,\r\n", 400),
    ],
)
def test_transfer_codings_other_than_one_chunked_are_refused(extra: bytes, status: int) -> None:
    assert refused(head(extra))[0] == status


def test_transfer_encoding_in_http_1_0_is_400() -> None:
    # RFC 9112 §6.1: a 1.0 request with Transfer-Encoding has faulty framing.
    assert refused(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")[0] == 400


# --- the one writer of heads ---------------------------------------------------------------------


def test_every_head_comes_from_one_writer() -> None:
    assert CONTINUE == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert response_head("200 OK", [("A", "b")], close=True) == b"HTTP/1.1 200 OK\r\nA: b\r\nConnection: close\r\n\r\n"
    answer = connection().error_answer(RequestError(400, "bad"))
    assert answer == (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n"
        b"Connection: close\r\n\r\n400 Bad Request: bad\n"
    )


def test_a_repeated_head_gives_a_request_of_its_own_and_a_changed_head_is_parsed_again() -> None:
    # A connection remembers its last head parsed; what an application does to one request's
    # environ must not reach the next, and a head that differs (even by a line more) is a new request.
    conn = connection()
    call = b"POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
    conn.receive(call + b"\r\nhi" + call + b"\r\nhi" + call + b"\r\nhi")
    seen = []
    for _ in range(3):
        ready = conn.next_event()
        assert (ready.request.environ["PATH_INFO"], ready.request.content_length, ready.body) == ("/hello", 2, b"hi")
        assert "wsgi.input" not in ready.request.environ
        assert all(ready.request.environ is not other for other in seen)
        seen.append(ready.request.environ)
        ready.request.environ["PATH_INFO"] = "/changed"
        ready.request.environ["wsgi.input"] = object()
        conn.start_next()
    conn.receive(call + b"Connection: close\r\n\r\nhi")
    last = conn.next_event()
    assert (last.request.environ["PATH_INFO"], last.request.keep_alive, last.body) == ("/hello", False, b"hi")
