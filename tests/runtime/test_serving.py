"""Serving: concurrency, several services on one port, stopping, ports in use, address remapping."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from toolkit.runtime_testkit import WAIT, EchoImpl, address, answer_to, call_body, free_port, post, wait_until_listening

from quark_threaded_runtime import (
    AddressInUseError,
    ContractError,
    InvalidURLError,
    Runtime,
    ServiceUnavailableError,
)
from quark_threaded_runtime.contract import Client, Server, Service, String, Value, field, method
from quark_threaded_runtime.runtime import REMAP_VARIABLE


def test_32_concurrent_clients_are_not_held_up_by_a_slow_call(hello, serve) -> None:
    slow_started = threading.Event()
    release_slow = threading.Event()
    # The 31 quick calls only return once all 31 are inside the server at the same time.
    together = threading.Barrier(31, timeout=WAIT)

    class Impl:
        def hello(self, request):
            if request.text == "slow":
                slow_started.set()
                release_slow.wait(WAIT)
            else:
                together.wait()
            return hello.Response(result=request.text)

    url = serve(Impl())
    runtime = Runtime()
    results: dict[str, str] = {}

    def call(text: str) -> None:
        with hello.HelloClient(runtime, url, timeout=WAIT) as client:
            results[text] = client.hello(hello.Request(text=text)).result

    slow = threading.Thread(target=call, args=("slow",))
    slow.start()
    try:
        assert slow_started.wait(WAIT)
        quick = [threading.Thread(target=call, args=(f"quick {n}",)) for n in range(31)]
        for thread in quick:
            thread.start()
        for thread in quick:
            thread.join(WAIT)
        assert not any(thread.is_alive() for thread in quick)
        assert sorted(results) == sorted(f"quick {n}" for n in range(31)), "the slow call is still running"
    finally:
        release_slow.set()
        slow.join(WAIT)
    assert results["slow"] == "slow"


class Ping(Value, name="ping.Ping"):
    note = field(String)


class Pong(Value, name="ping.Pong"):
    note = field(String)


class Pinger(Service, name="ping.Pinger"):
    ping = method(Ping, Pong)


class PingerClient(Client, Pinger):
    pass


class PingerServer(Server[Pinger]):
    pass


class PingImpl:
    def ping(self, request: Ping) -> Pong:
        return Pong(note=f"pong {request.note}")


def test_several_services_share_one_port_told_apart_by_path(hello) -> None:
    runtime = Runtime()
    try:
        first = runtime.serveHTTP("http://127.0.0.1:0/hello", hello.HelloServer(runtime, EchoImpl()), block=False)
        port = address(first)[1]
        second = runtime.serveHTTP(f"http://127.0.0.1:{port}/ping", PingerServer(runtime, PingImpl()), block=False)
        third = runtime.serveHTTP(
            f"http://127.0.0.1:{port}/hello2", hello.HelloServer(runtime, EchoImpl()), block=False
        )
        assert address(second)[1] == address(third)[1] == port
        with hello.HelloClient(runtime, first) as client:
            assert client.hello(hello.Request(text="a")).result == answer_to("a")
        with PingerClient(runtime, second) as client:
            assert client.ping(Ping(note="b")).note == "pong b"
        with hello.HelloClient(runtime, third) as client:
            assert client.hello(hello.Request(text="c")).result == answer_to("c")
        # A service only answers its own contract.
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
            sock.sendall(post("/ping", call_body()))
            assert b"400 Bad Request" in sock.recv(65536)
    finally:
        runtime.stop()


def test_stop_closes_connections_frees_the_port_and_returns_promptly(hello) -> None:
    runtime = Runtime()
    entered = threading.Event()
    release = threading.Event()

    class Stuck:
        def hello(self, request):
            entered.set()
            release.wait(WAIT)
            return hello.Response()

    url = runtime.serveHTTP("http://127.0.0.1:0/hello", hello.HelloServer(runtime, Stuck()), block=False)
    host, port = address(url)
    idle = socket.create_connection((host, port), timeout=WAIT)
    busy = socket.create_connection((host, port), timeout=WAIT)
    busy.sendall(post("/hello", call_body()))
    try:
        assert entered.wait(WAIT)
        started = time.monotonic()
        runtime.stop()
        assert time.monotonic() - started < 1.5
        assert idle.recv(1) == b"", "an idle kept-alive connection is closed"
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((host, port), timeout=WAIT).close()
        with socket.socket() as again:
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind((host, port))
    finally:
        release.set()
        idle.close()
        busy.close()


def test_serve_blocks_until_stop_is_called_from_another_thread(hello, capsys) -> None:
    runtime = Runtime()
    port = free_port()
    url = f"http://127.0.0.1:{port}/hello"
    served = []
    thread = threading.Thread(
        target=lambda: served.append(runtime.serveHTTP(url, hello.HelloServer(runtime, EchoImpl())))
    )
    thread.start()
    try:
        wait_until_listening(port)
        assert thread.is_alive()
    finally:
        runtime.stop()
        thread.join(WAIT)
    assert not thread.is_alive()
    assert served == [url]
    assert capsys.readouterr().out == f"Serving hello.Hello at {url} (press Ctrl-C to stop)\n"


def test_a_runtime_can_serve_again_after_stopping(hello) -> None:
    runtime = Runtime()
    for _ in range(2):
        url = runtime.serveHTTP("http://127.0.0.1:0/hello", hello.HelloServer(runtime, EchoImpl()), block=False)
        with hello.HelloClient(runtime, url) as client:
            assert client.hello(hello.Request(text="x")).result == answer_to("x")
        runtime.stop()


def test_a_port_in_use_is_one_clear_error(hello) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        url = f"http://127.0.0.1:{port}/hello"
        runtime = Runtime()
        with pytest.raises(AddressInUseError) as caught:
            runtime.serveHTTP(url, hello.HelloServer(runtime, EchoImpl()), block=False)
        expected = f"cannot serve {url}: 127.0.0.1:{port} is already in use (is another server running there?)"
        assert str(caught.value) == expected
        with pytest.raises(SystemExit) as exiting:
            runtime.serveHTTP(url, hello.HelloServer(runtime, EchoImpl()))
        assert exiting.value.code == f"error: {expected}"


def test_serving_what_is_not_a_server_adapter_fails_without_taking_the_port() -> None:
    port = free_port()
    runtime = Runtime()
    with pytest.raises(ContractError, match="can only serve a server adapter such as HelloServer"):
        runtime.serveHTTP(f"http://127.0.0.1:{port}/hello", EchoImpl(), block=False)
    with socket.create_server(("127.0.0.1", port)):
        pass


def test_remapping_moves_servers_and_clients_without_editing_code(hello, monkeypatch) -> None:
    port = free_port()
    monkeypatch.setenv(REMAP_VARIABLE, f"127.0.0.1:1=127.0.0.1:2, 127.0.0.1:8910=127.0.0.1:{port}")
    runtime = Runtime()
    try:
        served = runtime.serveHTTP("http://127.0.0.1:8910/hello", hello.HelloServer(runtime, EchoImpl()), block=False)
        assert served == f"http://127.0.0.1:{port}/hello"
        with hello.HelloClient(runtime, "http://127.0.0.1:8910/hello") as client:
            assert client.hello(hello.Request(text="moved")).result == answer_to("moved")
    finally:
        runtime.stop()
    with (
        hello.HelloClient(runtime, "http://127.0.0.1:8910/hello") as client,
        pytest.raises(ServiceUnavailableError) as caught,
    ):
        client.hello(hello.Request())
    # The message names the address actually used, where a server would have to listen.
    assert str(caught.value) == f"cannot reach http://127.0.0.1:{port}/hello: connection refused"


@pytest.mark.parametrize("value", ["127.0.0.1:8910", "127.0.0.1:8910=nowhere", "=127.0.0.1:1"])
def test_a_malformed_remapping_is_refused_naming_the_variable(hello, monkeypatch, value) -> None:
    monkeypatch.setenv(REMAP_VARIABLE, value)
    with pytest.raises(InvalidURLError, match=REMAP_VARIABLE):
        hello.HelloClient(Runtime(), "http://127.0.0.1:8910/hello")


def test_serving_on_port_0_prints_the_port_it_got(hello, capsys) -> None:
    runtime = Runtime()
    served = []
    thread = threading.Thread(
        target=lambda: served.append(
            runtime.serveHTTP("http://127.0.0.1:0/hello", hello.HelloServer(runtime, EchoImpl()))
        )
    )
    thread.start()
    try:
        deadline = time.monotonic() + WAIT
        while "Serving" not in (printed := capsys.readouterr().out) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        runtime.stop()
        thread.join(WAIT)
    assert not thread.is_alive()
    assert served and ":0/" not in served[0]
    assert printed == f"Serving hello.Hello at {served[0]} (press Ctrl-C to stop)\n"
