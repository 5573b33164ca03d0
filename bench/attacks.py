"""Attack scenarios for the benchmark: slow clients and slow calls, with legitimate calls measured meanwhile.

Each scenario runs three processes beside the server under test: an
attacker, a prober that makes legitimate calls at a steady pace (each on a
fresh connection, and on one kept-alive connection) with a 1 s timeout, and
this process, which samples the server's threads and memory from ``/proc``.

* ``slowloris``: N connections each send part of a request head, then one
  byte every 2 s; when the server answers (408) or hangs up, they reconnect.
* ``body trickle``: N connections each send a whole head announcing a body,
  then the body one byte every 2 s, reconnecting the same way.
* ``slow calls``: N kept-alive connections each make 3 s calls back to back
  (the implementation sleeps when the text is ``"slow"``).

Answers are read with ``toolkit.http`` (``tools/`` on the path, as
``bench_server.py`` says).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import resource
import selectors
import socket
import statistics
import threading
import time

SCENARIOS = ("slowloris", "body trickle", "slow calls")
# Seconds between two bytes of a trickling client, and how long a slow call takes.
TRICKLE_SECONDS = 2.0
SLOW_CALL_SECONDS = 3.0
SLOW_TEXT = "slow"
PROBE_TIMEOUT = 1.0
PROBE_INTERVAL = 0.02


def toolkit(name: str):
    """The shared toolkit's module ``name`` (``tools/`` must be on the path); a clear exit if it is not.

    Imported when first needed, so ``--help`` works from anywhere.
    """
    try:
        return importlib.import_module(f"toolkit.{name}")
    except ModuleNotFoundError:
        raise SystemExit(
            "bench/: cannot import the shared toolkit: run from the repository root with PYTHONPATH=tools:runtime"
            " (docs/maintainers/stress.md)"
        ) from None


def raise_file_limit() -> None:
    """Allow this process as many open files as the hard limit permits (1,000 sockets need more than 1,024 fds)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def call_bytes(port: int, text: str) -> bytes:
    """A whole Hello call to 127.0.0.1:``port`` carrying ``text``."""
    body = json.dumps({"$method": "hello", "rpc": {"$class": "hello.Request", "text": text}}).encode()
    head = f"POST /hello HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body


# --- the attacker ----------------------------------------------------------------------------------


def attack(scenario: str, port: int, count: int, seconds: float) -> dict:
    """Run one attack for ``seconds`` with ``count`` connections; return what the server answered."""
    raise_file_limit()
    call = call_bytes(port, "Hello from Python!")
    if scenario == "slowloris":
        opening, trickle = call[: call.index(b"\r\n") + 2] + b"Host: 127.0.0.1\r\nX-Slow: ", None
    elif scenario == "body trickle":
        head_end = call.index(b"\r\n\r\n") + 4
        opening, trickle = call[:head_end], call[head_end:]
    else:
        opening, trickle = call_bytes(port, SLOW_TEXT), None
    selector = selectors.DefaultSelector()
    # Per socket: [next byte due at, bytes of the body sent, received bytes]
    state: dict[socket.socket, list] = {}
    counts = {"connections": 0, "answers": 0, "statuses": {}, "connect_failures": 0}
    started = time.monotonic()
    stop_at = started + seconds

    def connect(index: int) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
            sock.sendall(opening)
        except OSError:
            counts["connect_failures"] += 1
            return
        sock.setblocking(False)
        counts["connections"] += 1
        # Spread the trickled bytes over the interval, so they do not all come at once.
        state[sock] = [time.monotonic() + TRICKLE_SECONDS * (index % 100 + 1) / 100, 0, bytearray()]
        selector.register(sock, selectors.EVENT_READ)

    for index in range(count):
        connect(index)
    print("ready", flush=True)
    while time.monotonic() < stop_at:
        for key, _ in selector.select(timeout=0.01):
            sock = key.fileobj
            entry = state[sock]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            entry[2] += data
            answers = _take_answers(entry[2])
            for status in answers:
                counts["statuses"][status] = counts["statuses"].get(status, 0) + 1
                counts["answers"] += 1
            answered = bool(answers)
            if scenario == "slow calls" and data:
                if answered:
                    with contextlib.suppress(OSError):
                        sock.send(opening)
                continue
            if answered or not data:
                # Answered (408) or hung up on: come back, as an attacker would.
                selector.unregister(sock)
                sock.close()
                del state[sock]
                connect(counts["connections"])
        if scenario == "slow calls":
            continue
        now = time.monotonic()
        for sock, entry in list(state.items()):
            if entry[0] > now:
                continue
            entry[0] = now + TRICKLE_SECONDS
            if trickle is None:
                piece = b"a"
            elif entry[1] < len(trickle) - 1:
                # Never the last byte: the body stays incomplete.
                piece = trickle[entry[1] : entry[1] + 1]
                entry[1] += 1
            else:
                continue
            with contextlib.suppress(OSError):
                sock.send(piece)
    for sock in list(state):
        sock.close()
    return counts


def _take_answers(buffer: bytearray) -> list[str]:
    """Remove the whole answers at the start of ``buffer``; return their status codes."""
    return [str(answer.status) for answer in toolkit("http").take_answers(buffer)]


# --- the prober ------------------------------------------------------------------------------------


def probe(port: int, seconds: float) -> dict:
    """Make legitimate calls for ``seconds``, fresh-connection and kept-alive side by side; return the figures."""
    call = call_bytes(port, "probe")
    results: dict[str, dict] = {}
    reader_of = toolkit("http").AnswerReader

    def run(kind: str) -> None:
        latencies: list[float] = []
        failures = 0
        sock = None
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=PROBE_TIMEOUT)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(max(0.001, PROBE_TIMEOUT - (time.perf_counter() - began)))
                sock.sendall(call)
                reader = reader_of(sock, max(0.001, began + PROBE_TIMEOUT - time.perf_counter()))
                if reader.read().status != 200:
                    raise OSError("not 200")
                latencies.append(time.perf_counter() - began)
                if kind == "fresh":
                    sock.close()
                    sock = None
            except OSError:
                failures += 1
                if sock is not None:
                    sock.close()
                    sock = None
            time.sleep(PROBE_INTERVAL)
        if sock is not None:
            sock.close()
        results[kind] = _figures(latencies, failures)

    threads = [threading.Thread(target=run, args=(kind,)) for kind in ("fresh", "kept")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _figures(latencies: list[float], failures: int) -> dict:
    latencies.sort()

    def percentile(fraction: float) -> float:
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000 if latencies else 0.0

    return {
        "calls": len(latencies) + failures,
        "failures": failures,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "max_ms": latencies[-1] * 1000 if latencies else 0.0,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0.0,
    }


# --- the server's threads and memory ---------------------------------------------------------------


def process_status(pid: int) -> tuple[int, float]:
    """The threads and resident memory (MiB) of process ``pid``, from /proc (Linux)."""
    threads, rss = 0, 0.0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                threads = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    return threads, rss


class Sampler:
    """Samples a process's threads and memory in the background, keeping the highest of each."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.max_threads = 0
        self.max_rss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with contextlib.suppress(OSError, ValueError):
                threads, rss = process_status(self.pid)
                self.max_threads = max(self.max_threads, threads)
                self.max_rss = max(self.max_rss, rss)
