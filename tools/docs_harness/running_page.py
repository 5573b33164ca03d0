"""What the running page (docs/running.rst) shows: its console blocks, found by ``:name:``."""

from __future__ import annotations

from dataclasses import dataclass

from .build_docs import Block, Build
from .console import Console, parse

PAGE = "running"
SERVER = "output-server"
CLIENT = "output-client"
CLIENT_ARGUMENT = "output-client-argument"
SECOND_SERVER = "output-second-server"
CLIENT_NO_SERVER = "output-client-no-server"
MOVED_SERVER = "output-moved-server"


def console(result: Build, name: str) -> Console:
    """The console block ``name`` of the running page; fails clearly if the page or block is missing."""
    assert not result.crash, f"the docs build crashed, so the running page cannot be checked:\n{result.crash}"
    if PAGE not in result.docnames:
        raise AssertionError(
            f"docs/{PAGE}.rst is missing (pages built: {', '.join(result.docnames)}); "
            f"it must show the console block `:name: {name}`"
        )
    block = result.named_block(name)
    if block is None:
        shown = sorted({n for b in result.blocks if b.page == PAGE for n in b.names})
        raise AssertionError(
            f"docs/{PAGE}.rst has no literal block with `:name: {name}` (named blocks there: {shown or 'none'})"
        )
    if block.page != PAGE:
        raise AssertionError(f"the block `:name: {name}` is on {block.where}, not on docs/{PAGE}.rst")
    return parse(block)


@dataclass(frozen=True)
class Claim:
    """The request the running page's client sends and the answer it shows."""

    block: Block
    request: str
    response: str

    def response_to(self, text: str) -> str:
        """The answer the page implies for another request text."""
        return self.response.replace(self.request, text)


def page_claim(result: Build) -> Claim:
    """Read ``Request:  <text>`` and ``Response: <answer>`` from the client's console block."""
    client = console(result, CLIENT)
    fields = {}
    for line in client.output:
        label, colon, value = line.partition(":")
        if colon and label in ("Request", "Response"):
            fields[label] = value.strip()
    if set(fields) != {"Request", "Response"} or fields["Request"] not in fields["Response"]:
        raise AssertionError(
            f"{client.block.where}: expected a `Request: <text>` line and a `Response: ...<text>...` line "
            f"in the client's output, found {client.output}"
        )
    return Claim(client.block, fields["Request"], fields["Response"])
