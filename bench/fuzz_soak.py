"""The long checks: a fuzz of many more bent requests than the suite runs, and a soak under steady load.

Run them from the repository root, with ``tools/`` (the shared ``toolkit``)
and ``runtime/`` on the path (they take minutes, not seconds)::

    PYTHONPATH=tools:runtime python bench/fuzz_soak.py fuzz --cases 30000 --seed 7
    PYTHONPATH=tools:runtime python bench/fuzz_soak.py soak --seconds 60 --connections 64

``fuzz`` serves the Hello service with the runtime in a process of its own
and sends it structured random requests (``tools/toolkit/fuzz.py``,
the same generator as the suite's fuzz test) from ``--seed`` on, each on a
new connection. Every answer must be a JSON error or a 200, never a 500;
every connection must end within 10 s; the server must log nothing. The
first failing case is printed with its seed and number, so it can be run
again alone.

``soak`` keeps N kept-alive connections busy with Hello calls for
``--seconds`` (the load generator of ``bench_server.py``) and samples the
server's memory every few seconds: it prints calls, errors, p99 latency
and the memory at the start and end, and fails on any error or if memory
grew by more than ``--max-growth`` MiB.

The exit status is 0 when every check held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import attacks  # bench/ is on the path when this file runs as a script

ROOT = Path(__file__).resolve().parent.parent

BENCH = Path(__file__).resolve().parent / "bench_server.py"
EXCHANGE_TIMEOUT = 10.0


def start_server() -> tuple[subprocess.Popen, int]:
    """Serve the Hello service with the runtime in a process of its own (stderr captured); return it and its port."""
    env = {"PYTHONPATH": os.pathsep.join(str(ROOT / part) for part in ("tools", "runtime", "examples/helloRPC"))}
    server = subprocess.Popen(
        [sys.executable, str(BENCH), "--serve", "quark runtime"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    return server, int(server.stdout.readline())


def stop_server(server: subprocess.Popen) -> str:
    """Stop the server; return what it wrote to stderr."""
    try:
        # Closing its stdin (which communicate does) tells the server to stop.
        _, errors = server.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        _, errors = server.communicate()
    return errors


def fuzz(cases: int, seed: int) -> int:
    """Run ``cases`` fuzz cases from ``seed``; print the outcome; return the exit status."""
    make_case = attacks.toolkit("fuzz").make_case
    http = attacks.toolkit("http")
    server, port = start_server()
    rng = random.Random(seed)
    statuses: dict[int, int] = {}
    failure = None
    started = time.monotonic()
    try:
        for number in range(cases):
            data, _ = make_case(rng)
            try:
                answers = http.answers_in(http.exchange_until_closed(("127.0.0.1", port), data, EXCHANGE_TIMEOUT))
            except (OSError, ValueError) as error:
                failure = f"case {number}: {type(error).__name__}: {error}"
                break
            bad = [(answer.status, answer.body) for answer in answers if answer.status in (500, 502, 503, 504)]
            if bad:
                failure = f"case {number}: answered {bad[0][0]}: {data[:300]!r} -> {bad[0][1][:300]!r}"
                break
            for answer in answers:
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
            if number and number % 5000 == 0:
                print(f"  {number} cases, {time.monotonic() - started:.0f} s", flush=True)
    finally:
        logged = stop_server(server)
    elapsed = time.monotonic() - started
    counted = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    print(f"fuzz, seed {seed}: {number + 1} cases in {elapsed:.1f} s; answers {counted}")
    if logged.strip():
        failure = failure or f"the server logged: {logged.strip()[:2000]}"
    if failure:
        print(f"FAILED (seed {seed}) {failure}")
        return 1
    print("no 500, no hang, nothing logged")
    return 0


def soak(seconds: float, connections: int, max_growth: float) -> int:
    """Load the server for ``seconds`` with ``connections`` kept-alive connections; return the exit status."""
    server, port = start_server()
    try:
        time.sleep(0.5)
        start_rss = attacks.process_status(server.pid)[1]
        load = subprocess.Popen(
            [sys.executable, str(BENCH), "--load", str(port), str(connections), str(seconds), "1000000000", "length"],
            stdout=subprocess.PIPE,
            text=True,
        )
        samples = []
        while load.poll() is None:
            time.sleep(min(5.0, max(1.0, seconds / 12)))
            samples.append(attacks.process_status(server.pid)[1])
        figures = json.loads(load.stdout.read())
        time.sleep(1.0)
        end_rss = attacks.process_status(server.pid)[1]
    finally:
        logged = stop_server(server)
    print(
        f"soak: {connections} connections, {seconds:g} s: {figures['requests']} calls,"
        f" {figures['rps']:.0f}/s, p99 {figures['p99_ms']:.2f} ms, {figures['errors']} errors"
    )
    print(f"memory (MiB): start {start_rss:.1f}, samples {[round(x) for x in samples]}, end {end_rss:.1f}")
    grown = end_rss - start_rss
    ok = not figures["errors"] and grown <= max_growth and not logged.strip()
    if logged.strip():
        print(f"the server logged: {logged.strip()[:2000]}")
    print(f"memory grew {grown:+.1f} MiB (limit {max_growth:g}); {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


def main() -> int:
    """Parse the command line and run the chosen check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fuzzing = commands.add_parser("fuzz", help="many fuzz cases against a live server")
    fuzzing.add_argument("--cases", type=int, default=30_000)
    fuzzing.add_argument("--seed", type=int, default=1)
    soaking = commands.add_parser("soak", help="steady load, watching errors, latency and memory")
    soaking.add_argument("--seconds", type=float, default=60.0)
    soaking.add_argument("--connections", type=int, default=64)
    soaking.add_argument("--max-growth", type=float, default=10.0, help="MiB the server's memory may grow")
    args = parser.parse_args()
    if args.command == "fuzz":
        return fuzz(args.cases, args.seed)
    return soak(args.seconds, args.connections, args.max_growth)


if __name__ == "__main__":
    sys.exit(main())
