"""Benchmark: the runtime's server against a plain standard-library server, in one run.

Run it from the repository root::

    python bench/bench_server.py            # or: tox -e bench
    python bench/bench_server.py --seconds 5 --connections 1 16 64

Each server runs the Hello service in a process of its own, and a load
generator in a third process keeps N kept-alive connections busy with the
same precomputed call, one call in flight per connection. It prints
requests per second and the 50th and 99th percentile latency of each server
for each N, and counts errors (an answer other than 200, or a connection
that closed).

The two servers:

* ``quark runtime``: the runtime's own server and dispatcher serving
  ``hello.HelloServer(runtime, HelloImpl())``, exactly what ``pyserver.py`` runs.
* ``stdlib baseline``: ``http.server.ThreadingHTTPServer`` with a handler that
  does the same job: it parses the same JSON envelope, calls the same
  ``HelloImpl`` and answers JSON. It speaks HTTP/1.1 (keep-alive), sets
  TCP_NODELAY on accepted sockets, logs no requests, and listens with a backlog
  of 128 so that opening 64 connections at once does not stall it.

Everything listens on 127.0.0.1 only. The issue's targets: at least 2x the
baseline's requests/s at 16 connections, p99 under 15 ms at 64 connections,
no errors. The exit status is 1 if any call failed, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "helloRPC"
PATH = "/hello"
CALL = json.dumps({"$method": "hello", "rpc": {"$class": "hello.Request", "text": "Hello from Python!"}}).encode()
SERVERS = ("quark runtime", "stdlib baseline")


def _import_example():
    """The example's contract module and a new HelloImpl (the class pyserver.py defines)."""
    sys.path.insert(0, str(EXAMPLE))
    import pyserver

    import hello

    return hello, pyserver.HelloImpl()


# --- the servers, each run with --serve in a process of its own ---------------------------------


def serve_runtime() -> int:
    """Serve the Hello service with the runtime's server; return the port."""
    from quark_threaded_runtime import Runtime

    hello, implementation = _import_example()
    runtime = Runtime()
    served = runtime.serveHTTP(f"http://127.0.0.1:0{PATH}", hello.HelloServer(runtime, implementation), block=False)
    return int(served.rsplit(":", 1)[1].split("/", 1)[0])


def serve_baseline() -> int:
    """Serve the same job with http.server.ThreadingHTTPServer; return the port."""
    hello, implementation = _import_example()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            try:
                envelope = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != PATH or envelope["$method"] != "hello":
                    raise ValueError("no such method")
                argument = envelope["rpc"]
                if argument["$class"] != "hello.Request":
                    raise ValueError("wrong class")
                result = implementation.hello(hello.Request(text=argument["text"]))
                status, body = 200, json.dumps({"$class": "hello.Response", "result": result.result})
            except (ValueError, KeyError, TypeError) as error:
                status, body = 400, json.dumps({"error": {"status": 400, "message": str(error)}})
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    class Server(ThreadingHTTPServer):
        request_queue_size = 128

        def handle_error(self, request: object, client_address: object) -> None:
            # A load generator hanging up at the end of a run is not news.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd.server_address[1]


def run_server(kind: str) -> None:
    """Start a server, print its port, serve until stdin closes."""
    port = serve_runtime() if kind == SERVERS[0] else serve_baseline()
    print(port, flush=True)
    sys.stdin.read()


# --- the load generator, run with --load in a process of its own ---------------------------------


def generate_load(port: int, connections: int, seconds: float, max_requests: int, warmup: float) -> dict:
    """Keep ``connections`` kept-alive sockets busy, one call each in flight; return the figures."""
    request = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(CALL)}\r\n\r\n"
    ).encode() + CALL
    selector = selectors.DefaultSelector()
    socks = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        socks.append(sock)
    # Per socket: [received bytes, time the call was sent]
    state = {sock: [bytearray(), 0.0] for sock in socks}
    latencies: list[float] = []
    errors = 0
    done = 0
    now = time.perf_counter()
    measure_from = now + warmup
    stop_at = measure_from + seconds
    measured_start = None
    for sock in socks:
        sock.send(request)
        state[sock][1] = now
        selector.register(sock, selectors.EVENT_READ)
    open_count = connections
    while open_count and done < max_requests:
        now = time.perf_counter()
        if now >= stop_at:
            break
        for key, _ in selector.select(timeout=max(0.0, min(1.0, stop_at - now))):
            sock = key.fileobj
            entry = state[sock]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                errors += 1
                selector.unregister(sock)
                sock.close()
                open_count -= 1
                continue
            buffer = entry[0]
            buffer += data
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                continue
            length = _complete(buffer, end)
            if length is None:
                continue
            head = bytes(buffer[:12]).lower()
            finished = time.perf_counter()
            if not head.startswith(b"http/1.1 200"):
                errors += 1
            del buffer[: end + 4 + length]
            if finished >= measure_from:
                if measured_start is None:
                    measured_start = finished
                latencies.append(finished - entry[1])
                done += 1
            entry[1] = time.perf_counter()
            sock.send(request)
    elapsed = time.perf_counter() - (measured_start or measure_from)
    # Collect the answers still in flight (bounded), so no server sees a reset.
    drain_until = time.perf_counter() + 2.0
    while selector.get_map() and time.perf_counter() < drain_until:
        for key, _ in selector.select(timeout=0.1):
            sock = key.fileobj
            buffer = state[sock][0]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            buffer += data
            end = buffer.find(b"\r\n\r\n")
            if not data or (end >= 0 and _complete(buffer, end)):
                selector.unregister(sock)
    for sock in socks:
        sock.close()
    latencies.sort()

    def percentile(fraction: float) -> float:
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000 if latencies else 0.0

    return {
        "requests": done,
        "rps": done / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": errors,
    }


def _complete(buffer: bytearray, end: int) -> int | None:
    """The body length of the answer whose head ends at ``end``, if all of it is in ``buffer``."""
    head = bytes(buffer[:end]).lower()
    start = head.find(b"content-length:")
    stop = head.find(b"\r\n", start)
    length = int(head[start + 15 : stop if stop >= 0 else None])
    return length if len(buffer) >= end + 4 + length else None


# --- the driver -----------------------------------------------------------------------------------


def measure(kind: str, counts: list[int], seconds: float, max_requests: int) -> dict[int, dict]:
    """Start server ``kind`` and load it with each connection count in turn."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "runtime"), os.environ.get("PYTHONPATH", "")]))
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        port = int(server.stdout.readline())
        results = {}
        for count in counts:
            load = subprocess.run(
                [sys.executable, __file__, "--load", str(port), str(count), str(seconds), str(max_requests)],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=True,
            )
            results[count] = json.loads(load.stdout)
        return results
    finally:
        server.stdin.close()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    """Measure both servers and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per server and count")
    parser.add_argument("--max-requests", type=int, default=300_000, help="stop a measurement after this many calls")
    parser.add_argument("--serve", choices=SERVERS, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        run_server(args.serve)
        return 0
    if args.load:
        port, count, seconds, max_requests = args.load
        figures = generate_load(int(port), int(count), float(seconds), int(max_requests), warmup=0.5)
        print(json.dumps(figures))
        return 0

    python = sys.version.split()[0]
    print(f"Hello calls over kept-alive connections on 127.0.0.1, {args.seconds:g} s per row, Python {python}")
    table = {kind: measure(kind, args.connections, args.seconds, args.max_requests) for kind in SERVERS}
    print(f"{'connections':>11}  {'server':<16} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for count in args.connections:
        for kind in SERVERS:
            row = table[kind][count]
            print(
                f"{count:>11}  {kind:<16} {row['rps']:>11.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
                f" {row['errors']:>7}"
            )
        ours, base = table[SERVERS[0]][count]["rps"], table[SERVERS[1]][count]["rps"]
        print(f"{'':>11}  {'ratio':<16} {ours / base if base else float('inf'):>10.2f}x")
    errors = sum(row["errors"] for rows in table.values() for row in rows.values())
    if 16 in args.connections:
        ratio = table[SERVERS[0]][16]["rps"] / max(table[SERVERS[1]][16]["rps"], 1e-9)
        print(f"target >= 2x baseline requests/s at 16 connections: {ratio:.2f}x, {'met' if ratio >= 2 else 'MISSED'}")
    if 64 in args.connections:
        p99 = table[SERVERS[0]][64]["p99_ms"]
        print(f"target p99 < 15 ms at 64 connections: {p99:.2f} ms, {'met' if p99 < 15 else 'MISSED'}")
    print(f"target no errors: {errors} errors, {'met' if not errors else 'MISSED'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
