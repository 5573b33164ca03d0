"""The running page shows exactly what the finished server and client print.

Each console block (``:name:`` output-server, output-client,
output-second-server, output-client-no-server) starts with the reader's
``$ `` command lines; the harness runs that command in a copy of the example
folder and compares the program's output, line for line, with the rest of
the block.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from docs_harness.console import Console
from docs_harness.programs import (
    DOCUMENTED_ADDRESS,
    Running,
    call_hello,
    example_copy,
    free_port,
    run,
    started,
    wait_until_serving,
)
from docs_harness.running_page import CLIENT, CLIENT_NO_SERVER, SECOND_SERVER, SERVER, console


@pytest.fixture
def example(tutorials, tmp_path) -> Path:
    """A copy of the example folder that holds the finished server."""
    server = next(t for t in tutorials if t.name == "server")
    return example_copy(server.folder, tmp_path / server.folder.name)


@contextlib.contextmanager
def _serving(server: Console, example: Path) -> Iterator[Running]:
    """Run the server block's command in ``example`` on a free port until the block ends."""
    with started(server.program, example, free_port()) as running:
        assert wait_until_serving(running, label=server.block.where), (
            f"{server.block.where}: the server exited before serving; its output:\n{running.output or '(none)'}"
        )
        yield running


def _compare(block, output: str) -> None:
    lines = output.splitlines()
    assert lines == block.output, (
        f"{block.block.where}: the block `:name: {block.block.names[0]}` shows\n"
        + "\n".join(f"    {line}" for line in block.output)
        + f"\nbut `{' '.join(block.commands[-1])}` printed\n"
        + "\n".join(f"    {line}" for line in lines)
    )


def test_server_output(built_docs, example):
    """The finished server prints what the page shows while it serves, and nothing more when stopped."""
    server = console(built_docs, SERVER)
    with _serving(server, example) as running:
        pass
    assert running.process.returncode == 0, f"Ctrl-C ended the server with status {running.process.returncode}"
    _compare(server, running.output)


def test_client_output(built_docs, example):
    """With the finished server running, the finished client prints what the page shows."""
    server, client = console(built_docs, SERVER), console(built_docs, CLIENT)
    with _serving(server, example) as running:
        finished = run(client.program, example, running.port)
    assert finished.returncode == 0, finished.describe()
    _compare(client, finished.output)


def test_second_server_output(built_docs, example):
    """A second server on the same port prints what the page shows and exits with status 1."""
    server, second = console(built_docs, SERVER), console(built_docs, SECOND_SERVER)
    with _serving(server, example) as running:
        finished = run(second.program, example, running.port)
        # The first server keeps serving.
        assert call_hello(running.port, "still there?")["$class"] == "hello.Response"
    assert finished.returncode == 1, finished.describe()
    _compare(second, finished.output)


def test_client_without_server_output(built_docs, example):
    """With no server running, the client prints what the page shows and exits with status 1."""
    client = console(built_docs, CLIENT_NO_SERVER)
    finished = run(client.program, example, free_port())
    assert finished.returncode == 1, finished.describe()
    _compare(client, finished.output)


def test_examples_run_while_8910_is_taken(example, tutorials):
    """The harness never needs the documented port: the finished example works while 8910 is held."""
    host, port = DOCUMENTED_ADDRESS.split(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        try:
            holder.bind((host, int(port)))
            holder.listen()
        except OSError:
            pass  # taken already, by another program: the condition this test sets up
        finished_files = {t.name: t.finished.name for t in tutorials}
        moved = free_port()
        with started([finished_files["server"]], example, moved) as running:
            assert wait_until_serving(running), f"the server could not serve while 8910 was taken:\n{running.output}"
            finished = run([finished_files["client"], "port test"], example, moved)
    assert finished.returncode == 0, finished.describe()
    assert finished.output.splitlines()[-1] == "Response: Responding to [port test] from Python", finished.describe()
