"""Starting, stopping and ports for every test suite: the one place the tests start processes.

``tests/runtime``, ``tests/docs`` and the docs harness start programs only
through :func:`start` and stop them only through :func:`stop`, and take
ports only from :func:`free_port`, so that every process gets no input, text
output, a bounded stop, and a port of its own under ``pytest -n auto``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

STOP_TIMEOUT = 5.0
"""Seconds a program may take to end after Ctrl-C, before it is killed."""


def listening(port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port`` right now."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=timeout).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago (for programs whose port cannot be 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def restore_interrupt() -> None:
    """Give Ctrl-C back to the programs this process starts, where it was started with SIGINT ignored.

    A shell starts a background job (``tox &``, ``nohup``) with SIGINT
    ignored, and an ignored signal stays ignored across ``exec``: the
    programs the tests stop with Ctrl-C would never hear it. A handled signal
    is reset to its default at ``exec``, so installing Python's own handler
    here gives every program started afterwards the Ctrl-C a reader's
    terminal gives it. Only the main thread may set handlers; elsewhere this
    does nothing.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


def start(
    argv: Sequence[str],
    cwd: Path | str,
    env: Mapping[str, str],
    *,
    merge_stderr: bool = True,
    own_group: bool = False,
) -> subprocess.Popen:
    """Start ``argv`` in ``cwd`` with exactly ``env``: no input, text output.

    With ``merge_stderr`` standard error goes into standard output, in the
    order a terminal shows them; otherwise each has its own pipe. With
    ``own_group`` the program gets its own process group, so that :func:`stop`
    reaches whatever it starts too (a shell's children, gunicorn's workers).
    """
    restore_interrupt()
    return subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=own_group,
    )


def stop(process: subprocess.Popen, timeout: float = STOP_TIMEOUT, *, group: bool = False) -> None:
    """Stop ``process`` as a reader would (Ctrl-C); kill it if it has not ended within ``timeout``.

    With ``group``, the signals go to its whole process group (see :func:`start`).
    """
    if process.poll() is not None:
        return

    interrupt = signal.SIGINT if os.name == "posix" else signal.SIGTERM
    with contextlib.suppress(ProcessLookupError):
        if group:
            os.killpg(process.pid, interrupt)
        else:
            process.send_signal(interrupt)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.wait(timeout)


def read_line(process: subprocess.Popen, timeout: float) -> str:
    """The next line of ``process``'s standard output ("" at its end); fail after ``timeout`` seconds."""
    # A thread rather than select(): lines already in the pipe's read buffer do not show up in select().
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        raise TimeoutError(f"{process.args[0]} printed no line within {timeout:g} s")
    return line[0]
