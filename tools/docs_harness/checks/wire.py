"""Wire examples: each ``http`` request block is sent byte for byte to a live server, and answered as shown.

A request followed on its page by a response block is a pair: the answer must
be the response block (status line, every header in order, body). A request
with no response after it must be answered ``200`` with the declared result.
Every request's ``Content-Length`` must be its body's length; a call the codec
decodes must be what the codec encodes; and the request line and headers must
be what the example's real client sends (recorded by a standard-library
server). The server runs the example's finished implementation in this
process, on a free port.
"""

from __future__ import annotations

import json

from ..examples import Example
from ..records import Block, Build
from ..wire import Message, exchange, pairs, show
from .base import Check, Context, Drift, Item

WIRE_LANGUAGES = ("http",)

CLIENT = "output-client"
"""The console block of the running page whose ``Request:`` line gives the client's text."""


class WireCheck(Check):
    """Exchanges each HTTP example with a live server of the finished example."""

    name = "wire"
    tally = "compared"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "literal" and block.language in WIRE_LANGUAGES and not block.exempt

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        pages: dict[str, list[Block]] = {}
        for block in blocks:
            pages.setdefault(block.page, []).append(block)
        return [
            Item(
                self.name,
                f"{self.name}:{request.shown.where}",
                (request.shown, *([response.shown] if response else [])),
                data=(request, response),
            )
            for shown in pages.values()
            for request, response in pairs(shown)
        ]

    def verify(self, item: Item, context: Context) -> None:
        request, response = item.data
        example = _example_for(request, context.examples)
        live = context.servers.live(example)
        _check_request(request, live.library)
        _check_as_sent(request, response, live.sent(request_text(context, example)))
        answer = exchange(live.port, request)
        got = show(answer)
        if response is None:
            assert answer.status == 200, f"{request.shown.where}: the server answered\n{got}"
            assert json.loads(answer.body).get("$class") == example.call.result, (
                f"{request.shown.where}: the server answered\n{got}"
            )
            return
        expected = "\n".join([response.start, *(f"{k}: {v}" for k, v in response.headers), "", response.body.decode()])
        if got != expected:
            raise Drift(
                f"{response.shown.where}: the page shows the answer\n{expected}\nbut the server answered\n{got}",
                response.shown,
                got,
            )


def request_text(context: Context, example: Example) -> str:
    """The text the running page's client sends (its ``Request:`` line), or the finished client's default."""
    block = context.build.named(CLIENT)
    if block is not None:
        for line in block.text.splitlines():
            label, colon, value = line.partition(":")
            if colon and label == "Request":
                return value.strip()
    return "Hello from Python!"


def _example_for(request: Message, examples: tuple[Example, ...]) -> Example:
    host = request.header("Host") or ""
    path = request.start.split(" ")[1] if " " in request.start else ""
    by_host = [example for example in examples if example.address == host]
    by_path = [example for example in by_host or examples if path.endswith(example.path)]
    return (by_path or by_host or list(examples))[0]


def _check_as_sent(request: Message, response: Message | None, sent) -> None:
    where = request.shown.where
    assert request.start == sent.start, f"{where}: the client sends `{sent.start}`, not `{request.start}`"
    for name, value in request.headers:
        if name.lower() == "content-length":
            continue  # checked against the body shown
        assert sent.headers.get(name) == value, (
            f"{where}: the client sends {name}: {sent.headers.get(name)!r}, not {value!r} (it sends {sent.headers})"
        )
    if response is None:
        assert request.body == sent.body, (
            f"{where}: for the running page's text the client sends the body\n    {sent.body.decode()}\n"
            f"not\n    {request.body.decode()}"
        )


def _check_request(request: Message, library) -> None:
    from quark_threaded_runtime import codec
    from quark_threaded_runtime.errors import DecodeError

    where = request.shown.where
    length = request.header("Content-Length")
    assert length == str(len(request.body)), (
        f"{where}: Content-Length is {length}, but the body shown is {len(request.body)} bytes"
    )
    service = next(
        value
        for value in vars(library).values()
        if isinstance(value, type) and getattr(value, "__methods__", None) and value.__module__ == library.__name__
    )
    try:
        method, value = codec.decode_call(request.body, service)
    except DecodeError:
        return  # an example of a bad call: the answer shown says what is wrong with it
    encoded = codec.encode_call(method, value)
    assert encoded == request.body, (
        f"{where}: the codec encodes this call as\n    {encoded.decode()}\nnot as the page shows"
    )
