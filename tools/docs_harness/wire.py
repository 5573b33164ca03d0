"""Wire examples: the ``http`` blocks of the pages, parsed, sent to a live server, and compared.

A request block (``POST /hello HTTP/1.1`` ...) followed on the same page by a
response block (``HTTP/1.1 200 OK`` ...) is a pair: the harness sends the
request's exact bytes to a server running the finished example, and the
answer must be the response block: the same status line, the same headers
with the same values, the same body. A request block without a response
block after it must be a call the server answers with ``200``. Every
request's ``Content-Length`` must be its body's length, and a call the codec
can decode must be what the codec encodes from the decoded value, byte for byte.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from toolkit.http import Answer, AnswerReader

from .records import Block


@dataclass(frozen=True)
class Message:
    """An HTTP message as a page shows it."""

    shown: Block
    start: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def is_request(self) -> bool:
        """Whether this is a request (a response starts with ``HTTP/``)."""
        return not self.start.startswith("HTTP/")

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), if the message has it."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def raw(self) -> bytes:
        """The bytes that go over the wire (CRLF line ends)."""
        head = [self.start, *(f"{key}: {value}" for key, value in self.headers)]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + self.body


def parse(shown: Block) -> Message:
    """Read the start line, headers and body of an ``http`` block; fail with its page:line if malformed."""
    head, _, body = shown.text.partition("\n\n")
    lines = head.splitlines()
    if not lines:
        raise AssertionError(f"{shown.where}: the http block is empty")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise AssertionError(f"{shown.where}: {line!r} is not an HTTP header line")
        headers.append((name, value.strip()))
    return Message(shown, lines[0], tuple(headers), body.encode())


def pairs(blocks: list[Block]) -> list[tuple[Message, Message | None]]:
    """The requests of one page's http blocks, each with the response shown right after it (if any)."""
    messages = [parse(block) for block in blocks]
    result: list[tuple[Message, Message | None]] = []
    for index, message in enumerate(messages):
        if message.is_request:
            following = messages[index + 1] if index + 1 < len(messages) else None
            result.append((message, following if following and not following.is_request else None))
        elif index == 0 or not messages[index - 1].is_request:
            raise AssertionError(f"{message.shown.where}: a response block must follow the request it answers")
    return result


def exchange(port: int, request: Message, timeout: float = 10.0) -> Answer:
    """Send ``request``'s bytes to 127.0.0.1:``port``; return the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request.raw())
        return AnswerReader(connection, timeout).read()


def show(answer: Answer) -> str:
    """An answer as a page shows it: status line, headers, a blank line, the body."""
    return "\n".join([answer.status_line, *(f"{k}: {v}" for k, v in answer.headers), "", answer.body.decode()])
