"""The running page's named console blocks: servers and clients side by side, each compared with a real run.

Each block (``:name: output-server``, ``output-client``...) starts with the
reader's commands (``cd <folder>``, ``export NAME=value``, ``python ...``)
followed by exactly what the program prints. The harness runs the finished
programs of the example the ``cd`` names, in a copy of its folder, each
address moved to a free port that reads as the page's in the output.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.processes import free_port

from .. import REPO_ROOT
from ..examples import Example, example_of
from ..programs import Running, call, example_copy, run, started, wait_until_serving
from ..records import Block, Build
from ..sessions import PROMPT
from .base import Check, Context, Drift, Item

SERVER = "output-server"
CLIENT = "output-client"
CLIENT_ARGUMENT = "output-client-argument"
SECOND_SERVER = "output-second-server"
CLIENT_NO_SERVER = "output-client-no-server"
MOVED_SERVER = "output-moved-server"
RUNNING_BLOCKS = (SERVER, CLIENT, CLIENT_ARGUMENT, SECOND_SERVER, CLIENT_NO_SERVER, MOVED_SERVER)
"""The named blocks this check runs; the page session check leaves them to it."""

REMAP_VARIABLE = "QUARK_RUNTIME_REMAP"


@dataclass(frozen=True)
class Console:
    """A console block split into the reader's commands and the output they see."""

    block: Block
    commands: list[list[str]]
    output: list[str]

    @property
    def program(self) -> list[str]:
        """The arguments of the block's last ``python`` command, e.g. ``["pyclient.py"]``."""
        return self.commands[-1][1:]

    @property
    def exports(self) -> dict[str, str]:
        """The variables the block's ``export`` commands set."""
        return dict(command[1].split("=", 1) for command in self.commands if command[0] == "export")


def parse(block: Block) -> Console:
    """Split ``block`` into commands and output; fail clearly if it does not have that shape."""
    lines = block.text.splitlines()
    commands = []
    while lines and lines[0].startswith(PROMPT):
        commands.append(shlex.split(lines.pop(0)[len(PROMPT) :]))
    assert commands and commands[-1][0] in ("python", "python3"), (
        f"{block.where}: console block {block.names} should end its commands with `python ...`"
    )
    return Console(block, commands, lines)


class RunningCheck(Check):
    """Runs the running page's servers and clients side by side and compares what each prints."""

    name = "running"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.language == "console" and bool(set(block.names) & set(RUNNING_BLOCKS))

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        named = {name: block for block in blocks for name in block.names}
        plans = {
            SERVER: (SERVER,),
            CLIENT: (SERVER, CLIENT),
            CLIENT_ARGUMENT: (SERVER, CLIENT_ARGUMENT),
            SECOND_SERVER: (SERVER, SECOND_SERVER),
            CLIENT_NO_SERVER: (CLIENT_NO_SERVER,),
            MOVED_SERVER: (MOVED_SERVER, CLIENT),
        }
        items = []
        for name, needs in plans.items():
            if name in named:
                missing = [need for need in needs if need not in named]
                assert not missing, f"{named[name].where}: the running page needs the blocks {missing} too"
                items.append(Item(self.name, f"{self.name}:{name}", tuple(named[need] for need in needs), data=name))
        return items

    def verify(self, item: Item, context: Context) -> None:
        consoles = [parse(block) for block in item.blocks]
        folder = _folder(consoles[0])
        example = example_of(folder, context.examples)
        if example is None:  # no `cd`: the reader is still in the folder of the example whose program it runs
            program = consoles[0].program[0]
            example = next((e for e in context.examples if (e.folder / program).is_file()), None)
        assert example is not None, f"{consoles[0].block.where}: no example folder holds {consoles[0].program[0]}"
        copy = example_copy(example.folder, context.tmp_path / example.name)
        getattr(self, "_" + item.data.replace("output-", "").replace("-", "_"))(consoles, example, copy)

    # One method per block: what a reader does to see it.

    def _server(self, consoles, example, copy):
        server = consoles[0]
        with _serving(server, example, copy) as running:
            pass
        assert running.process.returncode == 0, f"Ctrl-C ended the server with status {running.process.returncode}"
        _compare(server, running.output, example, running.port)

    def _client(self, consoles, example, copy):
        server, client = consoles
        with _serving(server, example, copy) as running:
            finished = run(client.program, copy, example, running.port)
        assert finished.returncode == 0, finished.describe()
        _compare(client, finished.output, example, running.port)

    _client_argument = _client

    def _second_server(self, consoles, example, copy):
        server, second = consoles
        with _serving(server, example, copy) as running:
            finished = run(second.program, copy, example, running.port)
            assert example.answer_text(call(example, running.port, "still there?")), "the first server stopped"
        assert finished.returncode == 1, finished.describe()
        _compare(second, finished.output, example, running.port)

    def _client_no_server(self, consoles, example, copy):
        client = consoles[0]
        port = free_port()
        finished = run(client.program, copy, example, port)
        assert finished.returncode == 1, finished.describe()
        _compare(client, finished.output, example, port)

    def _moved_server(self, consoles, example, copy):
        moved, client = consoles
        remap = moved.exports.get(REMAP_VARIABLE, "")
        documented, _, target = remap.partition("=")
        assert documented == example.address and target.startswith("127.0.0.1:"), (
            f"{moved.block.where}: expected `export {REMAP_VARIABLE}={example.address}=127.0.0.1:<port>`, got {remap!r}"
        )
        with _serving(moved, example, copy) as running:
            finished = run(client.program, copy, example, running.port)
        assert finished.returncode == 0, finished.describe()
        _compare(moved, running.output, example, running.port, shown=target)
        _compare(client, finished.output, example, running.port)


def _folder(console: Console) -> Path:
    folder = REPO_ROOT
    for command in console.commands:
        if command[0] == "cd":
            folder = (folder / command[1]).resolve()
    return folder


@contextlib.contextmanager
def _serving(server: Console, example: Example, copy: Path) -> Iterator[Running]:
    with started(server.program, copy, example, free_port()) as running:
        assert wait_until_serving(running, label=server.block.where), (
            f"{server.block.where}: the server exited before serving; its output:\n{running.output or '(none)'}"
        )
        yield running


def _compare(console: Console, output: str, example: Example, port: int, shown: str = "") -> None:
    lines = output.replace(f"127.0.0.1:{port}", shown or example.address).splitlines()
    if lines != console.output:
        block = console.block
        commands = block.text.splitlines()[: len(console.commands)]
        raise Drift(
            f"{block.where}: the block `:name: {block.names[0]}` shows\n"
            + "\n".join(f"    {line}" for line in console.output)
            + f"\nbut `{' '.join(console.commands[-1])}` printed\n"
            + "\n".join(f"    {line}" for line in lines),
            block,
            "\n".join([*commands, *lines]),
        )
