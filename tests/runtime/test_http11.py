"""HTTP/1.1 request framing, tested on plain bytes: no sockets, no server."""

from __future__ import annotations

import pytest

from quark_threaded_runtime.errors import RequestError
from quark_threaded_runtime.http11 import MAX_HEADERS, head_end, parse_head, skip_blank_lines

BASE = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8910"}


def parse(head: bytes):
    return parse_head(head, BASE)


def refused(head: bytes) -> tuple[int, str]:
    with pytest.raises(RequestError) as caught:
        parse(head)
    return caught.value.status, caught.value.message


def test_a_request_head_gives_its_environ_and_framing() -> None:
    request = parse(
        b"POST /hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8910\r\nContent-Type: application/json\r\n"
        b"Content-Length: 12\r\nX-Trace: a\r\nX-Trace: b\r\n\r\n"
    )
    environ = request.environ
    assert (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["QUERY_STRING"]) == ("POST", "/hello", "x=1")
    assert (environ["CONTENT_LENGTH"], environ["CONTENT_TYPE"]) == ("12", "application/json")
    assert (environ["HTTP_HOST"], environ["HTTP_X_TRACE"]) == ("127.0.0.1:8910", "a,b")
    assert environ["SERVER_NAME"] == "127.0.0.1"
    assert (request.content_length, request.keep_alive, request.expect_continue) == (12, True, False)
    assert "HTTP_HOST" not in BASE


@pytest.mark.parametrize(
    ("head", "keep_alive"),
    [
        (b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close", False),
        (b"POST / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive", True),
        (b"POST / HTTP/1.0", False),
        (b"POST / HTTP/1.0\r\nConnection: keep-alive", True),
    ],
)
def test_keep_alive_follows_the_version_and_connection_header(head: bytes, keep_alive: bool) -> None:
    assert parse(head).keep_alive is keep_alive


def test_expect_continue_only_matters_with_a_body() -> None:
    assert parse(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5").expect_continue
    assert not parse(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue").expect_continue
    assert not parse(b"POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5").expect_continue


@pytest.mark.parametrize("character", [b"\x00", b"\x01", b"\x1b", b"\x7f", b"\r", b"\n"])
def test_a_control_character_in_a_header_value_is_400_naming_the_header(character: bytes) -> None:
    head = b"POST /hello HTTP/1.1\r\nHost: x\r\nX-Note: a" + character + b"b\r\n\r\n"
    assert refused(head) == (400, "the value of header X-Note holds a control character")


def test_a_tab_in_a_header_value_is_allowed() -> None:
    assert parse(b"POST / HTTP/1.1\r\nHost: x\r\nX-Note: a\tb").environ["HTTP_X_NOTE"] == "a\tb"


def test_a_control_character_in_the_request_line_is_400() -> None:
    assert refused(b"POST /he\x00llo HTTP/1.1\r\nHost: x")[0] == 400


def test_http_1_1_needs_exactly_one_host_header() -> None:
    assert refused(b"POST /hello HTTP/1.1\r\nContent-Length: 0") == (400, "an HTTP/1.1 request needs a Host header")
    assert refused(b"POST /hello HTTP/1.1\r\nHost: a\r\nHost: b") == (400, "more than one Host header")
    assert refused(b"POST /hello HTTP/1.1\r\nHost: a\r\nhost: a")[1] == "more than one Host header"
    assert "HTTP_HOST" not in parse(b"POST /hello HTTP/1.0").environ


@pytest.mark.parametrize(
    ("target", "path", "query", "host"),
    [
        ("http://127.0.0.1:8910/hello", "/hello", "", "127.0.0.1:8910"),
        ("HTTP://example.com/hello?a=b", "/hello", "a=b", "example.com"),
        ("http://example.com", "/", "", "example.com"),
        ("http://example.com?a", "/", "a", "example.com"),
        ("https://example.com/x%20y", "/x y", "", "example.com"),
    ],
)
def test_an_absolute_form_target_routes_by_its_path(target: str, path: str, query: str, host: str) -> None:
    environ = parse(f"POST {target} HTTP/1.1\r\nHost: other".encode()).environ
    assert (environ["PATH_INFO"], environ["QUERY_STRING"], environ["HTTP_HOST"]) == (path, query, host)


@pytest.mark.parametrize("target", ["hello", "ftp://example.com/hello", "http:/hello", "*"])
def test_a_target_in_no_known_form_is_400(target: str) -> None:
    status, message = refused(f"POST {target} HTTP/1.1\r\nHost: x".encode())
    assert (status, message.split(" in ")[0]) == (400, "malformed request target")


def test_options_may_ask_about_the_whole_server() -> None:
    assert parse(b"OPTIONS * HTTP/1.1\r\nHost: x").environ["PATH_INFO"] == "*"


@pytest.mark.parametrize(
    ("head", "status", "message"),
    [
        (b"POST /hello", 400, "malformed request line 'POST /hello'"),
        (b"P(ST /hello HTTP/1.1", 400, "malformed request line"),
        (b"POST /hello HTTP/2.0", 505, "HTTP/2.0 is not supported: use HTTP/1.1"),
        (b"POST /hello HTTP/1.1\r\nHost x", 400, "malformed header line 'Host x'"),
        (b"POST /hello HTTP/1.1\r\nHost : x", 400, "malformed header name 'Host '"),
        (b"POST /hello HTTP/1.1\r\nHost: x\r\n Folded: y", 400, "malformed header name"),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2", 400, "conflicting Content-Length"),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1", 400, "Content-Length must be a non-negative"),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \xd9\xa1", 400, "Content-Length must be a non-negative"),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 19, 413, "a body of 99999"),
        (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked", 501, "transfer coding 'gzip'"),
        (b"POST / HTTP/1.1\r\n" + b"X: 1\r\n" * (MAX_HEADERS + 1), 431, "more than 100 header lines"),
    ],
)
def test_a_malformed_head_is_refused_with_status_and_reason(head: bytes, status: int, message: str) -> None:
    got_status, got_message = refused(head)
    assert got_status == status
    assert got_message.startswith(message)


def test_a_long_request_line_is_quoted_only_in_part() -> None:
    status, message = refused(b"POST /" + b"a" * 5000)
    assert status == 400
    assert len(message) < 120


def test_the_same_content_length_twice_is_one() -> None:
    assert parse(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3").content_length == 3


def test_a_header_with_an_underscore_is_dropped() -> None:
    environ = parse(b"POST / HTTP/1.1\r\nHost: x\r\nContent_Length: 5").environ
    assert "CONTENT_LENGTH" not in environ


def test_head_end_finds_the_blank_line_even_split_across_reads() -> None:
    data = bytearray(b"POST / HTTP/1.1\r\nHost: x\r\n\r")
    assert head_end(data) == -1
    searched = len(data)
    data += b"\nbody"
    assert head_end(data, 0, searched) == len(data) - 4


def test_blank_lines_before_a_request_are_skipped() -> None:
    assert skip_blank_lines(b"\r\n\r\nPOST") == 4
    assert skip_blank_lines(b"\r\n", 0) == 2
    assert skip_blank_lines(b"POST") == 0
