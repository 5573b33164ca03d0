"""Benchmark: the runtime's server against granian and a standard-library server, in one run.

Run it from the repository root, with ``tools/`` (the shared ``toolkit``)
and ``runtime/`` on the path::

    PYTHONPATH=tools:runtime python bench/bench_server.py          # or: tox -e bench
    PYTHONPATH=tools:runtime python bench/bench_server.py --rounds 5 --seconds 3 --connections 1 16 64
    PYTHONPATH=tools:runtime python bench/bench_server.py --scenarios slowloris

First, throughput, over ``--rounds`` rounds: in each round every server runs
the Hello service in a process of its own, one after another (the order
turns each round, so no server always goes first), and a load generator in
another process keeps N kept-alive connections busy with the same call, one
call in flight per connection. The table gives, for each server and N, the
median requests per second and p99 latency over the rounds with their
range, and the runtime's ratio to each baseline (median and range of the
per-round ratios), so that one lucky or unlucky run cannot pass or fail a
target. Errors (an answer other than 200, or a connection that closed) are
counted. The last column is the server's CPU time (user and system, every
thread and process of it, from ``/proc``) per answer: a figure that other
work on the machine disturbs far less than requests per second.

The servers:

* ``quark runtime``: the runtime's own server and dispatcher serving
  ``hello.HelloServer(runtime, HelloImpl())``, exactly what ``pyserver.py``
  runs; measured twice, with calls whose body has a ``Content-Length`` and
  with chunked calls (``quark, chunked``).
* ``granian``: granian (a Rust HTTP server) with one worker hosting the
  example's ``wsgi.py`` application, the same dispatcher; its WSGI interface
  and default threads.
* ``stdlib baseline``: ``http.server.ThreadingHTTPServer`` with a handler
  that does the same job: it parses the same JSON envelope, calls the same
  ``HelloImpl`` and answers JSON. It is tuned as far as the standard library
  goes: HTTP/1.1 keep-alive, TCP_NODELAY on accepted sockets, no request
  log, a backlog of 128, and a buffered writer so that head and body leave
  in one send.

Then, attacks (see ``bench/attacks.py``), against the runtime and the stdlib
baseline: for each scenario and server, a fresh server process, an attacker
process and a prober process that makes legitimate calls with a 1 s
timeout, on fresh connections and on one kept-alive connection. It prints
the probe calls' failures and latencies, the server's most threads, and its
memory before, at the peak, and after the attack. For the slow-calls
scenario both servers wrap ``HelloImpl`` so that a call whose text is
``"slow"`` sleeps 3 s first.

Everything listens on 127.0.0.1 only. The project's targets for its own
server (medians over the rounds): at least granian's requests/s at 16 and
64 connections with a p99 no worse than granian's at 64, p99 under 5 ms at
64 connections, at least 2.3x the stdlib baseline at 16 and 64, no errors;
under every attack, legitimate calls answered with no failure and p99
under 100 ms (50 ms under slow calls), at most 64 threads under slowloris
and body trickle, and memory back within 10 MiB of where it started. The
exit status is 1 if any throughput call failed, else 0. The figures are of
this machine at this moment: run on a quiet machine for figures to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# bench/ is on the path when this file runs as a script.
import attacks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "helloRPC"
PATH = "/hello"
CALL = json.dumps({"$method": "hello", "rpc": {"$class": "hello.Request", "text": "Hello from Python!"}}).encode()
SERVERS = ("quark runtime", "granian", "stdlib baseline")
# The rows of the throughput table: (label, server, how calls frame their body).
ROWS = (
    ("quark runtime", "quark runtime", "length"),
    ("quark, chunked", "quark runtime", "chunked"),
    ("granian", "granian", "length"),
    ("stdlib baseline", "stdlib baseline", "length"),
)
# The servers the attacks are run against.
ATTACKED = ("quark runtime", "stdlib baseline")


def _import_example(slow: bool = False):
    """The example's contract module and a new HelloImpl (the class pyserver.py defines).

    The server processes have the example's folder on their path (see ``_environment``).
    With ``slow``, the HelloImpl is wrapped so that a call whose text is "slow" sleeps 3 s first.
    """
    import pyserver

    import hello

    implementation = pyserver.HelloImpl()
    if not slow:
        return hello, implementation

    class SlowWhenAsked:
        def hello(self, request):
            if request.text == attacks.SLOW_TEXT:
                time.sleep(attacks.SLOW_CALL_SECONDS)
            return implementation.hello(request)

    return hello, SlowWhenAsked()


# --- the servers, each run with --serve in a process of its own ---------------------------------


def serve_runtime(slow: bool = False) -> int:
    """Serve the Hello service with the runtime's server; return the port."""
    from quark_threaded_runtime import Runtime

    hello, implementation = _import_example(slow)
    runtime = Runtime()
    served = runtime.serveHTTP(f"http://127.0.0.1:0{PATH}", hello.HelloServer(runtime, implementation), block=False)
    return int(served.rsplit(":", 1)[1].split("/", 1)[0])


def serve_baseline(slow: bool = False) -> int:
    """Serve the same job with http.server.ThreadingHTTPServer; return the port."""
    hello, implementation = _import_example(slow)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # A buffered writer: the head and the body leave in one send when the handler returns.
        wbufsize = 1 << 16

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


def run_server(kind: str, slow: bool = False) -> None:
    """Start a server, print its port, serve until stdin closes (``slow``: "slow" calls take 3 s)."""
    attacks.raise_file_limit()
    port = serve_runtime(slow) if kind == "quark runtime" else serve_baseline(slow)
    print(port, flush=True)
    sys.stdin.read()


# --- the load generator, run with --load in a process of its own ---------------------------------


def request_bytes(port: int, framing: str) -> bytes:
    """The Hello call the load generator sends: its body framed by a Content-Length, or chunked."""
    head = f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    if framing == "chunked":
        return f"{head}Transfer-Encoding: chunked\r\n\r\n".encode() + b"%x\r\n%b\r\n0\r\n\r\n" % (len(CALL), CALL)
    return f"{head}Content-Length: {len(CALL)}\r\n\r\n".encode() + CALL


def generate_load(
    port: int, connections: int, seconds: float, max_requests: int, warmup: float, framing: str = "length"
) -> dict:
    """Keep ``connections`` kept-alive sockets busy, one call each in flight; return the figures."""
    request = request_bytes(port, framing)
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
    answered = 0
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
            answered += 1
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
        "answered": answered,
    }


def _complete(buffer: bytearray, end: int) -> int | None:
    """The body length of the answer whose head ends at ``end``, if all of it is in ``buffer``."""
    head = bytes(buffer[:end]).lower()
    start = head.find(b"content-length:")
    stop = head.find(b"\r\n", start)
    length = int(head[start + 15 : stop if stop >= 0 else None])
    return length if len(buffer) >= end + 4 + length else None


# --- the driver -----------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    """The environment of the processes the bench starts: the toolkit, the runtime and the example importable."""
    path = [str(ROOT / "tools"), str(ROOT / "runtime"), str(EXAMPLE), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path))


def _start_server(kind: str, slow: bool = False) -> tuple[subprocess.Popen, int]:
    if kind == "granian":
        return _start_granian()
    command = [sys.executable, __file__, "--serve", kind] + (["--slow"] if slow else [])
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_environment())
    return server, int(server.stdout.readline())


def _start_granian() -> tuple[subprocess.Popen, int]:
    """granian with one worker serving the example's ``wsgi.py``; return it once it accepts connections."""
    port = attacks.toolkit("processes").free_port()
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "1", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "wsgi:application"]
    server = subprocess.Popen(command, cwd=EXAMPLE, stdin=subprocess.PIPE, env=_environment())
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                _stop_server(server)
                raise RuntimeError("granian did not start (is it installed? tox -e bench installs it)") from None
            time.sleep(0.05)


def process_cpu(pid: int) -> float:
    """The CPU seconds (user and system) process ``pid`` and its descendants have used so far, from /proc (Linux).

    CPU per answer is less sensitive than requests/s to other work on the machine, and counts
    the work of every thread, not only the ones that hold up a call.
    """
    ticks = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def _stop_server(server: subprocess.Popen) -> None:
    server.stdin.close()
    if server.args[1:3] == ["-m", "granian"]:
        server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def measure(kind: str, counts: list[int], seconds: float, max_requests: int) -> dict[str, dict[int, dict]]:
    """Start server ``kind`` and load it with each of its rows' framings and each connection count in turn."""
    server, port = _start_server(kind)
    try:
        results: dict[str, dict[int, dict]] = {}
        for label, row_kind, framing in ROWS:
            if row_kind != kind:
                continue
            results[label] = {}
            for count in counts:
                command = [sys.executable, __file__, "--load", str(port), str(count), str(seconds), str(max_requests)]
                used = process_cpu(server.pid)
                load = subprocess.run(
                    [*command, framing], capture_output=True, text=True, timeout=seconds + 60, check=True
                )
                used = process_cpu(server.pid) - used
                figures = json.loads(load.stdout)
                # The server's CPU (user and system, all its threads and processes) per answer, warm-up included.
                figures["cpu_us"] = used / figures["answered"] * 1e6 if figures["answered"] else 0.0
                results[label][count] = figures
        return results
    finally:
        _stop_server(server)


def measure_rounds(
    rounds: int, counts: list[int], seconds: float, max_requests: int
) -> dict[str, dict[int, list[dict]]]:
    """Measure every server ``rounds`` times, in turn, the order turning each round; every row's figures by count."""
    table: dict[str, dict[int, list[dict]]] = {label: {count: [] for count in counts} for label, _, _ in ROWS}
    for number in range(rounds):
        order = SERVERS[number % len(SERVERS) :] + SERVERS[: number % len(SERVERS)]
        for kind in order:
            for label, by_count in measure(kind, counts, seconds, max_requests).items():
                for count, figures in by_count.items():
                    table[label][count].append(figures)
        print(f"  round {number + 1} of {rounds} done", file=sys.stderr, flush=True)
    return table


def measure_attack(kind: str, scenario: str, count: int, seconds: float) -> dict:
    """Start a fresh server ``kind``, attack it for ``seconds`` while probing it; return the figures."""
    server, port = _start_server(kind, slow=scenario == "slow calls")
    try:
        # A few calls first, so the memory measured before is that of a server that has answered.
        subprocess.run(
            [sys.executable, __file__, "--probe", str(port), "0.5"], capture_output=True, timeout=30, check=True
        )
        time.sleep(0.5)
        before = attacks.process_status(server.pid)
        command = [sys.executable, __file__, "--attack", scenario, str(port), str(count), str(seconds)]
        attacker = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        with attacks.Sampler(server.pid) as sampler:
            ready = attacker.stdout.readline().strip()
            if ready != "ready":
                raise RuntimeError(f"the {scenario} attacker did not start against the {kind}")
            # Probe from a second in, so every attack connection is open and has begun its request.
            time.sleep(1.0)
            probed = subprocess.run(
                [sys.executable, __file__, "--probe", str(port), str(max(1.0, seconds - 2.0))],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=True,
            )
            attacked = json.loads(attacker.communicate(timeout=seconds + 60)[0])
        # The attack's connections are closed: give the server a moment to notice, then look again.
        time.sleep(2.0)
        after = attacks.process_status(server.pid)
        return {
            "probe": json.loads(probed.stdout),
            "attack": attacked,
            "max_threads": sampler.max_threads,
            "rss_before": before[1],
            "rss_peak": max(sampler.max_rss, before[1]),
            "rss_after": after[1],
        }
    finally:
        _stop_server(server)


def _spread(values: list[float], digits: int = 0, unit: str = "") -> str:
    """``median [min-max]`` of ``values``."""
    return f"{statistics.median(values):.{digits}f}{unit} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def ratios(table: dict, label: str, base: str, count: int) -> list[float]:
    """The per-round ratios of row ``label``'s requests/s to row ``base``'s at ``count`` connections."""
    pairs = zip(table[label][count], table[base][count], strict=True)
    return [ours["rps"] / theirs["rps"] if theirs["rps"] else float("inf") for ours, theirs in pairs]


def print_throughput(table: dict[str, dict[int, list[dict]]], counts: list[int]) -> None:
    """Print the throughput table (median [range] over the rounds), with the runtime's ratios to the baselines."""
    print(
        f"{'connections':>11}  {'server':<16} {'requests/s':>22} {'p50 ms':>8} {'p99 ms':>20} {'errors':>7}"
        f" {'CPU us/call':>18}"
    )
    for count in counts:
        for label, _, _ in ROWS:
            rows = table[label][count]
            rps = _spread([row["rps"] for row in rows])
            p50 = statistics.median(row["p50_ms"] for row in rows)
            p99 = _spread([row["p99_ms"] for row in rows], 2)
            errors = sum(row["errors"] for row in rows)
            cpu = _spread([row["cpu_us"] for row in rows])
            print(f"{count:>11}  {label:<16} {rps:>22} {p50:>8.2f} {p99:>20} {errors:>7} {cpu:>18}")
        for base in ("granian", "stdlib baseline", "quark runtime"):
            label = "quark, chunked" if base == "quark runtime" else "quark runtime"
            shown = f"{label} / {base}"
            print(f"{'':>11}  {shown:<33} {_spread(ratios(table, label, base, count), 2, 'x'):>22}")


def print_attacks(results: dict[str, dict[str, dict]], counts: dict[str, int]) -> None:
    """Print the attack table: probe failures and latencies, threads and memory of each server under each attack."""
    print(
        f"{'attack':<24} {'server':<16} {'probe':<6} {'calls':>6} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'max ms':>8} {'threads':>7} {'MiB before/peak/after':>22}"
    )
    for scenario, by_server in results.items():
        label = f"{scenario} ({counts[scenario]})"
        for kind, row in by_server.items():
            memory = f"{row['rss_before']:.0f}/{row['rss_peak']:.0f}/{row['rss_after']:.0f}"
            for probe_kind in ("fresh", "kept"):
                figures = row["probe"][probe_kind]
                threads = row["max_threads"] if probe_kind == "fresh" else ""
                print(
                    f"{label:<24} {kind:<16} {probe_kind:<6} {figures['calls']:>6} {figures['failures']:>6}"
                    f" {figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f} {figures['max_ms']:>8.1f}"
                    f" {threads!s:>7} {memory if probe_kind == 'fresh' else '':>22}"
                )
            statuses = row["attack"]["statuses"]
            answered = ", ".join(f"{status}: {number}" for status, number in sorted(statuses.items())) or "none"
            print(
                f"{'':<24} {'':<16} attack connections {row['attack']['connections']},"
                f" answered {answered}, connect failures {row['attack']['connect_failures']}"
            )


def check_targets(table: dict, counts: list[int], attack_results: dict) -> list[str]:
    """The project's targets for its own server (medians over the rounds), each with its figure and whether met."""
    lines = []
    ours = "quark runtime"
    for count in (16, 64):
        if count in counts:
            ratio = statistics.median(ratios(table, ours, "granian", count))
            label = f"target >= 1.0x granian's requests/s at {count} connections"
            lines.append(f"{label}: {ratio:.2f}x" + _met(ratio >= 1.0))
            ratio = statistics.median(ratios(table, ours, "stdlib baseline", count))
            label = f"target >= 2.3x the stdlib baseline's requests/s at {count} connections"
            lines.append(f"{label}: {ratio:.2f}x" + _met(ratio >= 2.3))
    if 64 in counts:
        p99 = statistics.median(row["p99_ms"] for row in table[ours][64])
        theirs = statistics.median(row["p99_ms"] for row in table["granian"][64])
        lines.append(f"target p99 < 5 ms at 64 connections: {p99:.2f} ms" + _met(p99 < 5))
        lines.append(f"target p99 <= granian's at 64 connections: {p99:.2f} vs {theirs:.2f} ms" + _met(p99 <= theirs))
    errors = sum(row["errors"] for by_count in table.values() for rows in by_count.values() for row in rows)
    lines.append(f"target no errors: {errors} errors" + _met(not errors))
    for scenario, by_server in attack_results.items():
        row = by_server[ours]
        limit = 50.0 if scenario == "slow calls" else 100.0
        failures = sum(row["probe"][kind]["failures"] for kind in ("fresh", "kept"))
        p99 = max(row["probe"][kind]["p99_ms"] for kind in ("fresh", "kept"))
        ok = not failures and p99 <= limit
        lines.append(f"target {scenario}: 0 failed probes, p99 <= {limit:g} ms: {failures}, {p99:.1f} ms" + _met(ok))
        if scenario != "slow calls":
            threads = row["max_threads"]
            lines.append(f"target {scenario}: threads <= 64: {threads}" + _met(threads <= 64))
        grown = row["rss_after"] - row["rss_before"]
        lines.append(f"target {scenario}: memory back within 10 MiB: {grown:+.1f} MiB" + _met(grown <= 10))
    return lines


def _met(ok: bool) -> str:
    return ", met" if ok else ", MISSED"


def main() -> int:
    """Measure both servers and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per server and count")
    parser.add_argument("--rounds", type=int, default=3, help="times every server is measured, in turn")
    parser.add_argument("--max-requests", type=int, default=300_000, help="stop a measurement after this many calls")
    parser.add_argument(
        "--scenarios", nargs="*", choices=attacks.SCENARIOS, default=list(attacks.SCENARIOS), help="attacks to run"
    )
    parser.add_argument("--attack-seconds", type=float, default=12.0, help="seconds each attack lasts")
    parser.add_argument("--attackers", type=int, default=1000, help="connections of the slowloris and trickle attacks")
    parser.add_argument("--slow-calls", type=int, default=100, help="concurrent 3 s calls of the slow-calls attack")
    parser.add_argument("--serve", choices=ATTACKED, help=argparse.SUPPRESS)
    parser.add_argument("--slow", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--attack", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        run_server(args.serve, args.slow)
        return 0
    if args.load:
        port, count, seconds, max_requests, framing = args.load
        figures = generate_load(int(port), int(count), float(seconds), int(max_requests), 0.5, framing)
        print(json.dumps(figures))
        return 0
    if args.attack:
        scenario, port, count, seconds = args.attack
        print(json.dumps(attacks.attack(scenario, int(port), int(count), float(seconds))))
        return 0
    if args.probe:
        print(json.dumps(attacks.probe(int(args.probe[0]), float(args.probe[1]))))
        return 0

    python = sys.version.split()[0]
    print(
        f"Hello calls over kept-alive connections on 127.0.0.1, {args.seconds:g} s per row, {args.rounds} rounds,"
        f" Python {python}, {os.cpu_count()} CPUs; median [range] over the rounds"
    )
    table = measure_rounds(args.rounds, args.connections, args.seconds, args.max_requests)
    print_throughput(table, args.connections)
    counts = {name: args.slow_calls if name == "slow calls" else args.attackers for name in args.scenarios}
    attack_results = {}
    if args.scenarios:
        print()
        print(
            f"Legitimate calls (1 s timeout, every {attacks.PROBE_INTERVAL * 1000:g} ms, fresh and kept-alive)"
            f" during {args.attack_seconds:g} s attacks"
        )
        for scenario in args.scenarios:
            attack_results[scenario] = {
                kind: measure_attack(kind, scenario, counts[scenario], args.attack_seconds) for kind in ATTACKED
            }
        print_attacks(attack_results, counts)
    print()
    for line in check_targets(table, args.connections, attack_results):
        print(line)
    errors = sum(row["errors"] for by_count in table.values() for rows in by_count.values() for row in rows)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
