"""The suite's one reader of HTTP answers (toolkit.http), on bytes: framed as RFC 9112 §6.3 says a client must."""

from __future__ import annotations

import pytest
from toolkit.http import IncompleteAnswerError, answers_in, split_answer, take_answers

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"


def test_answers_are_framed_by_length_chunks_status_or_close() -> None:
    data = (
        OK
        + b"HTTP/1.1 100 Continue\r\n\r\n"
        + b"HTTP/1.1 204 No Content\r\n\r\n"
        + b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=1\r\nab\r\n1\r\nc\r\n0\r\nT: 1\r\n\r\n"
        + b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nto the end"
    )
    answers = answers_in(data)
    assert [(answer.status, answer.body) for answer in answers] == [
        (200, b"hi"),
        (100, b""),
        (204, b""),
        (200, b"abc"),
        (200, b"to the end"),
    ]
    assert answers[0].header("content-length") == "2"


def test_a_partial_answer_is_left_for_later() -> None:
    buffer = bytearray(OK + OK[:-1])
    assert [answer.body for answer in take_answers(buffer)] == [b"hi"]
    assert bytes(buffer) == OK[:-1]
    assert split_answer(buffer) is None
    with pytest.raises(IncompleteAnswerError):
        answers_in(bytes(buffer))


def test_a_head_answer_has_no_body() -> None:
    answer, used = split_answer(OK[:-2] + b"NEXT", head_only=True)
    assert (answer.status, answer.body, used) == (200, b"", len(OK) - 2)
