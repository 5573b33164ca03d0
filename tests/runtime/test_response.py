"""An application's answer as it goes on the wire (PEP 3333, RFC 9110/9112), tested on values and bytes alone."""

from __future__ import annotations

import pytest

from quark_threaded_runtime.errors import ResponseError
from quark_threaded_runtime.response import Response


def head(response: Response, *, body_length: int | None = None, version: str = "HTTP/1.1", method: str = "POST"):
    return response.head(method == "HEAD", version == "HTTP/1.1", True, body_length)


def test_a_body_at_hand_is_sent_whole_and_cut_to_its_declared_length() -> None:
    response = Response("200 OK", [("Content-Length", "3")])
    assert response.whole(b"12345", False, True, True).endswith(b"Connection: close\r\n\r\n123")
    assert (response.truncated, response.keep_alive) == (True, False)
    response = Response("204 No Content", [])
    assert response.whole(b"junk", False, True, True).endswith(b"keep-alive\r\n\r\n")


def test_a_known_body_gets_its_content_length() -> None:
    response = Response("200 OK", [("Content-Type", "text/plain")])
    assert head(response, body_length=5) == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n"
    )
    assert response.body(b"hello") + response.end() == b"hello"
    assert response.keep_alive


def test_a_body_longer_than_declared_is_cut_and_the_connection_closed() -> None:
    # PEP 3333: the server must not send more than the Content-Length; the rest would be taken for the next answer.
    response = Response("200 OK", [("Content-Length", "3")])
    assert b"Connection: keep-alive" in head(response)
    assert response.body(b"0123456789") == b"012"
    assert response.body(b"more") == b""
    response.end()
    assert (response.truncated, response.keep_alive) == (True, False)


def test_a_body_shorter_than_declared_closes_the_connection_after_it() -> None:
    response = Response("200 OK", [("Content-Length", "10")])
    head(response)
    assert response.body(b"12345") == b"12345"
    response.end()
    assert (response.truncated, response.keep_alive) == (True, False)


@pytest.mark.parametrize("code", ["204 No Content", "304 Not Modified"])
def test_204_and_304_get_no_content_length_and_no_body(code: str) -> None:
    # RFC 9110 §8.6: no Content-Length in a 204 (nor in a 304 it would not match); RFC 9112 §6.3: no body.
    response = Response(code, [("Content-Length", "0"), ("ETag", '"x"')])
    written = head(response, body_length=4)
    assert b"Content-Length" not in written
    assert b'ETag: "x"' in written
    assert response.body(b"junk") + response.end() == b""
    assert response.keep_alive


def test_a_head_answer_has_the_length_and_no_body() -> None:
    response = Response("200 OK", [])
    assert b"Content-Length: 5" in head(response, body_length=5, method="HEAD")
    assert response.body(b"hello") + response.end() == b""


def test_a_body_of_unknown_length_is_chunked_for_http_1_1_and_ends_the_connection_for_1_0() -> None:
    response = Response("200 OK", [])
    assert b"Transfer-Encoding: chunked\r\n" in head(response)
    assert response.body(b"hello") + response.body(b"") + response.end() == b"5\r\nhello\r\n0\r\n\r\n"
    assert response.keep_alive
    old = Response("200 OK", [])
    written = head(old, version="HTTP/1.0")
    assert b"Transfer-Encoding" not in written and b"Content-Length" not in written
    assert b"Connection: close" in written
    assert old.body(b"hello") == b"hello"


@pytest.mark.parametrize(
    "name", ["Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Connection"]
)
def test_hop_by_hop_headers_from_the_application_are_dropped(name: str) -> None:
    # PEP 3333: applications must not send hop-by-hop headers; the server frames and owns the connection.
    response = Response("200 OK", [(name, "chunked"), ("X-Kept", "1")])
    written = head(response, body_length=2)
    assert f"{name}: chunked".encode() not in written
    assert b"X-Kept: 1" in written


def test_an_applications_connection_close_is_honoured() -> None:
    response = Response("200 OK", [("Connection", "close")])
    assert head(response, body_length=0).count(b"Connection") == 1
    assert not response.keep_alive


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        ("200 OK", [("X-Split", "a\r\nSet-Cookie: evil=1")]),  # response splitting
        ("200 OK", [("X-Split", "a\nb")]),
        ("200 OK", [("X-Nul", "a\x00b")]),
        ("200 OK", [("Bad Name", "x")]),
        ("200 OK", [("X:Y", "x")]),
        ("200 OK\r\nX-Evil: 1", []),
        ("200", []),
        ("OK", []),
        ("100 Continue", []),  # a final answer cannot be interim
        (b"200 OK", []),
        ("200 OK", [("Content-Length", "ten")]),
        ("200 OK", [("Content-Length", "-1")]),
        ("200 OK", [("Content-Length", "5"), ("Content-Length", "6")]),
        ("200 OK", [("X-Bytes", b"x")]),
        ("200 OK", [["X-List", "x"]]),
        ("200 OK", (("X-Tuple", "x"),)),
    ],
)
def test_what_a_server_must_not_send_is_refused(status: object, headers: object) -> None:
    with pytest.raises(ResponseError):
        Response(status, headers)


def test_a_tab_in_a_header_value_is_allowed() -> None:
    assert b"X-Tab: a\tb" in head(Response("200 OK", [("X-Tab", "a\tb")]), body_length=0)


def test_a_header_that_is_not_latin_1_is_refused() -> None:
    with pytest.raises(ResponseError):
        Response("200 OK", [("X-Name", "\u4f60")])


def test_an_answer_given_again_is_checked_once_and_framed_afresh_each_time() -> None:
    # Status and headers seen before skip their checks; each answer is still framed on its own.
    headers = [("Content-Type", "text/plain"), ("Connection", "close"), ("X-Note", "a")]
    for length in (5, 7, 7):
        response = Response("201 Created", list(headers))
        assert head(response, body_length=length) == (
            b"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nX-Note: a\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % length
        )
        assert (response.code, response.declared, response.keep_alive, response.truncated) == (201, None, False, False)
    for _ in range(2):
        response = Response("200 OK", [("Content-Length", "3")])
        assert response.whole(b"12345", False, True, True).endswith(
            b"Content-Length: 3\r\nConnection: close\r\n\r\n123"
        )
        assert (response.declared, response.truncated, response.keep_alive) == (3, True, False)
    # An item that cannot be remembered (a list) is still checked, and refused.
    with pytest.raises(ResponseError, match="not a pair of strings"):
        Response("200 OK", [["Content-Type", "text/plain"]])
