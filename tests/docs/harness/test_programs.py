"""The harness's own process handling: when a started program counts as serving, and that it is stopped."""

from __future__ import annotations

import pytest
from docs_harness.examples import find_examples
from docs_harness.programs import free_port, started, wait_until_serving

EXAMPLE = find_examples()[0]

# Listens on the port given as argv[1]; prints its ready line only when argv[2] says so; then waits.
LISTENER = """
import socket, sys, time
listener = socket.create_server(("127.0.0.1", int(sys.argv[1])))
if sys.argv[2] == "print":
    print("Serving test at", sys.argv[1], flush=True)
time.sleep(60)
"""


def test_listening_and_printed_is_serving(tmp_path):
    """A program that listens and has printed its first line is serving; leaving the block stops it."""
    port = free_port()
    with started(["-c", LISTENER, str(port), "print"], tmp_path, EXAMPLE, port) as running:
        assert wait_until_serving(running, timeout=10) is True
    assert running.process.returncode is not None


def test_listening_without_a_word_is_not_yet_serving(tmp_path):
    """Listening alone is not serving (the runtime's socket listens before its service is mounted)."""
    port = free_port()
    with (
        started(["-c", LISTENER, str(port), "silent"], tmp_path, EXAMPLE, port) as running,
        pytest.raises(AssertionError, match=r"did not start serving .* within 1s"),
    ):
        wait_until_serving(running, timeout=1, label="silent listener")
    assert running.process.returncode is not None


def test_a_program_that_exits_is_not_serving(tmp_path):
    """A program that ends before serving (e.g. its port is taken) returns False, with its output kept."""
    with started(["-c", "print('error: no'); raise SystemExit(1)"], tmp_path, EXAMPLE, free_port()) as running:
        assert wait_until_serving(running, timeout=10) is False
    assert running.process.returncode == 1
    assert running.output == "error: no\n"
