"""``tox -e live``: the preview server goes when tox goes, also when tox is stopped with SIGTERM.

tox does not pass a SIGTERM on to the command it runs; the live env's launcher asks the kernel to send
sphinx-autobuild SIGINT when its parent ends. Checked here with the launcher exactly as tox.ini has it,
a stand-in for tox that is terminated, and a stand-in server in place of sphinx-autobuild.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from toolkit.processes import free_port, read_line

ROOT = Path(__file__).resolve().parents[2]


def _live_command() -> list[str]:
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    return shlex.split(tox["testenv:live"]["commands"].replace("\\\n", " "))


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_live_env_starts_sphinx_autobuild_through_the_launcher():
    command = _live_command()
    assert command[:2] == ["python", "-c"] and command[3] == "sphinx-autobuild"
    for watched in ("docs/_ext", "tools/toolkit", "examples", "runtime", "conf.py"):
        assert f"{{tox_root}}/{watched}" in command
    doctrees = command[command.index("-d") + 1]
    assert not doctrees.startswith(("{tox_root}/docs", "{tox_root}/examples"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_a_terminated_tox_takes_the_preview_server_with_it():
    launcher = _live_command()[:3]
    port = free_port()
    server = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    tox_like = "import subprocess, sys, time; print(subprocess.Popen(sys.argv[1:]).pid, flush=True); time.sleep(120)"
    parent = subprocess.Popen(
        [sys.executable, "-c", tox_like, sys.executable, *launcher[1:], *server], stdout=subprocess.PIPE, text=True
    )
    child = int(read_line(parent, 30))
    try:
        deadline = time.monotonic() + 30
        while not _listening(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _listening(port), "the stand-in server never started"
        parent.send_signal(signal.SIGTERM)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _listening(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _listening(port), "the server outlived tox"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=30)
        if _listening(port):  # the test failed and the server still runs: stop it
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
