"""The example programs as a reader runs them, in subprocesses, moved to a free port by remapping."""

from __future__ import annotations

import signal
import time

import pytest
from toolkit.runtime_testkit import WAIT, free_port

from quark_threaded_runtime.runtime import REMAP_VARIABLE


def serving(env: dict[str, str]) -> str:
    """The line a server prints when ``env`` moved it: it names the address actually used."""
    moved = env[REMAP_VARIABLE].partition("=")[2]
    return f"Serving hello.Hello at http://{moved}/hello (press Ctrl-C to stop)\n"


def remapped() -> dict[str, str]:
    """Environment that moves the examples' 127.0.0.1:8910 to a free port."""
    return {REMAP_VARIABLE: f"127.0.0.1:8910=127.0.0.1:{free_port()}"}


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_pyserver_serves_pyclient_and_stops_cleanly_on_a_signal(run_program, signal_number) -> None:
    env = remapped()
    server = run_program("pyserver.py", env=env)
    assert server.wait_for_line() == serving(env)
    client = run_program("pyclient.py", "Hi there", env=env)
    out, err = client.process.communicate(timeout=WAIT)
    assert (client.process.returncode, err) == (0, "")
    assert out == "Request:  Hi there\nResponse: Responding to [Hi there] from Python\n"

    started = time.monotonic()
    server.process.send_signal(signal_number)
    out, err = server.process.communicate(timeout=WAIT)
    assert time.monotonic() - started < 1.0
    assert server.process.returncode == 0
    assert "Traceback" not in err
    assert err == ""


def test_a_second_server_on_a_taken_port_exits_with_one_line(run_program) -> None:
    env = remapped()
    first = run_program("pyserver.py", env=env)
    assert first.wait_for_line() == serving(env)
    second = run_program("pyserver.py", env=env)
    out, err = second.process.communicate(timeout=WAIT)
    assert second.process.returncode == 1
    assert out == ""
    moved = env[REMAP_VARIABLE].partition("=")[2]
    assert (
        err
        == f"error: cannot serve http://{moved}/hello: {moved} is already in use (is another server running there?)\n"
    )
    first.process.send_signal(signal.SIGINT)
    first.process.communicate(timeout=WAIT)
    assert first.process.returncode == 0


def test_pyclient_without_a_server_exits_with_one_line(run_program) -> None:
    env = remapped()
    client = run_program("pyclient.py", env=env)
    out, err = client.process.communicate(timeout=WAIT)
    assert client.process.returncode == 1
    assert out == "Request:  Hello from Python!\n"
    moved = env[REMAP_VARIABLE].partition("=")[2]
    assert err == f"error: cannot reach http://{moved}/hello: connection refused\n"


def test_serving_an_https_url_is_refused_clearly(run_program) -> None:
    program = (
        "import hello, pyserver\n"
        "from quark_threaded_runtime import get_runtime\n"
        "runtime = get_runtime()\n"
        "runtime.serveHTTP('https://127.0.0.1:8910/hello', hello.HelloServer(runtime, pyserver.HelloImpl()))\n"
    )
    server = run_program("-c", program)
    out, err = server.process.communicate(timeout=WAIT)
    assert (server.process.returncode, out) == (1, "")
    assert err == (
        "error: https://127.0.0.1:8910/hello: https is not supported by this runtime; "
        "serve plain http behind a TLS proxy\n"
    )
