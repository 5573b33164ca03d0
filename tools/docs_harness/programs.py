"""Run example programs the way a reader runs them: a fresh interpreter, in the example's folder.

Programs keep the address their example documents (``127.0.0.1:8910`` for
Hello); the runtime's ``QUARK_RUNTIME_REMAP`` variable moves it to a free
port, so tests run in parallel and pass while that port is taken. Every process started here is stopped
before the function or context manager returns, also when a check fails, and
every wait is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.processes import STOP_TIMEOUT, free_port, listening, start, stop

from .examples import Example

RUN_TIMEOUT = 20.0
"""Seconds a program that should finish may run."""

START_TIMEOUT = 15.0
"""Seconds a server may take to start listening."""

__all__ = [
    "STOP_TIMEOUT",
    "Finished",
    "Running",
    "call",
    "environment",
    "example_copy",
    "free_port",
    "run",
    "started",
    "stop",
    "wait_until_serving",
]


def environment(address: str, port: int) -> dict[str, str]:
    """The environment a program runs with: the documented ``address`` moved to ``port``."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the runtime comes from the installed package, as for a reader
    env.update(
        QUARK_RUNTIME_REMAP=f"{address}=127.0.0.1:{port}",
        PYTHONUNBUFFERED="1",  # so stdout and stderr interleave as on a terminal
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


def example_copy(folder: Path, destination: Path, extra: Path | None = None, name: str | None = None) -> Path:
    """Copy the example ``folder`` to ``destination``; put ``extra`` in it as ``name`` (unmodified)."""
    shutil.copytree(folder, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if extra is not None:
        shutil.copyfile(extra, destination / (name or extra.name))
    return destination


@dataclass
class Finished:
    """A program that ran to its end (or was stopped)."""

    command: list[str]
    returncode: int
    output: str
    """stdout and stderr together, in the order a terminal shows them."""

    def describe(self) -> str:
        """The command, its exit status and output, for failure messages."""
        shown = " ".join(self.command[1:])
        return f"`python {shown}` exited with status {self.returncode}; its output:\n{self.output or '(none)'}"


def _start(args: list[str], cwd: Path, example: Example, port: int) -> subprocess.Popen:
    """Start ``python <args>`` in ``cwd``, no input, stdout and stderr together as on a terminal."""
    return start([sys.executable, *args], cwd, environment(example.address, port))


def run(args: list[str], cwd: Path, example: Example, port: int, timeout: float = RUN_TIMEOUT) -> Finished:
    """Run ``python <args>`` in ``cwd`` to the end; a program still running after ``timeout`` is killed and fails."""
    with _start(args, cwd, example, port) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            raise AssertionError(
                f"`python {' '.join(args)}` in {cwd} did not finish within {timeout:.0f}s "
                f"(does it serve, or wait for input?); it was killed. Its output:\n{output or '(none)'}"
            ) from None
    return Finished(process.args, process.returncode, output)


@dataclass
class Running:
    """A program started in the background; its output is collected as it comes."""

    process: subprocess.Popen
    example: Example
    port: int
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        """Everything the program printed so far."""
        return "".join(self.lines)

    def listening(self) -> bool:
        """Whether something accepts connections on the program's port."""
        return listening(self.port)


def _collect(process: subprocess.Popen, lines: list[str]) -> None:
    for line in process.stdout:
        lines.append(line)


@contextlib.contextmanager
def started(args: list[str], cwd: Path, example: Example, port: int) -> Iterator[Running]:
    """Start ``python <args>`` in ``cwd``; stop it (Ctrl-C, then kill) when the block ends.

    Yields at once; use :func:`wait_until_serving` to wait for it to listen.
    After the block, ``Running.process.returncode`` and ``Running.output``
    hold how it ended.
    """
    process = _start(args, cwd, example, port)
    running = Running(process, example, port)
    reader = threading.Thread(target=_collect, args=(process, running.lines), daemon=True)
    reader.start()
    try:
        yield running
    finally:
        stop(process)
        reader.join(STOP_TIMEOUT)
        process.stdout.close()


def wait_until_serving(running: Running, timeout: float = START_TIMEOUT, label: str = "") -> bool:
    """Wait until the program is serving (``True``) or has exited (``False``); fail after ``timeout``.

    Serving means what a reader waits for: the program listens on its port
    and has printed its first line. Listening alone is not enough: the
    runtime's socket accepts connections a moment before the service is
    mounted on it, and only then prints ``Serving ...``.
    ``label`` starts the failure message (e.g. the page and file being run).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            return False
        if running.lines and running.listening():
            return True
        time.sleep(0.05)
    label = label or " ".join(running.process.args[1:])
    raise AssertionError(
        f"{label} did not start serving (print a line and listen on 127.0.0.1:{running.port}, "
        f"where {running.example.address} is moved) nor exit within {timeout:.0f}s; it was stopped. "
        f"Its output so far:\n{running.output or '(none)'}"
    )


def call(example: Example, port: int, text: str) -> dict:
    """POST the example's call carrying ``text`` to its server on ``port``, as the wire protocol describes.

    Returns the decoded answer; an answer other than 200 fails with its status and body.
    """
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{example.path}",
        data=example.call_body(text),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise AssertionError(f"POST {example.path} answered {error.code}: {error.read()[:500]!r}") from None
