"""counting.py (the server page's shared state) counts every call, also when the server runs many at once.

The runtime's server answers a call on a thread of its own once calls are
slow, so the test makes them slow the simplest way: each call waits inside
``hello`` until :data:`CLIENTS` calls are there (a barrier), which only
happens if the server really runs that many at once. A trace function on
the server's threads pauses a thread at every line of ``counting.py``, so
the other threads run between a read and its write: a read-then-write that
is not guarded loses counts here however busy the machine is, where on a
quiet run it might not lose any.
"""

from __future__ import annotations

import json

import pytest

CLIENTS = 16
"""Clients calling at once; each call waits until this many run ``hello`` together."""

ROUNDS = 25
"""Calls per client."""

DRIVER = """
import json, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

from counting import CountingHelloImpl
from quark_threaded_runtime import Runtime

import hello

clients, rounds = int(sys.argv[1]), int(sys.argv[2])
together = threading.Barrier(clients, timeout=10)


class AllAtOnce(CountingHelloImpl):
    def hello(self, request):
        together.wait()  # broken (and the call answered 500) unless `clients` calls run at once
        return super().hello(request)


def every_line(frame, event, arg):
    if not frame.f_code.co_filename.endswith("counting.py"):
        return None
    if event == "line":
        time.sleep(0.0005)  # the other threads run here, between this line and the next
    return every_line


sys.setswitchinterval(1e-6)
threading.settrace(every_line)  # the server's threads, started below
implementation = AllAtOnce()
runtime = Runtime()
url = runtime.serveHTTP("http://127.0.0.1:0/hello", hello.HelloServer(runtime, implementation), block=False)


def client(number):
    caller = hello.HelloClient(Runtime(), url, timeout=20)
    return [caller.hello(hello.Request(text="hi")).result for _ in range(rounds)]


try:
    with ThreadPoolExecutor(clients) as pool:
        answers = {answer for answers in pool.map(client, range(clients)) for answer in answers}
finally:
    runtime.stop()
print(json.dumps({"counts": implementation.counts, "answers": sorted(answers)}))
"""


def _counted(python, folder) -> dict:
    done = python(["-c", DRIVER, str(CLIENTS), str(ROUNDS)], folder)
    assert done.returncode == 0, f"the calls failed:\n{done.stdout}{done.stderr[-3000:]}"
    return json.loads(done.stdout.splitlines()[-1])


def test_every_call_is_counted_when_calls_run_at_once(example_folder, python):
    result = _counted(python, example_folder("helloRPC"))
    assert result["answers"] == ["Responding to [hi] from Python"]
    assert result["counts"] == {"hi": CLIENTS * ROUNDS}


def test_without_the_lock_counts_are_lost(example_folder, python):
    """What the page says the lock is for: take it out, and calls running at once lose updates."""
    folder = example_folder("helloRPC")
    counting = folder / "counting.py"
    text = counting.read_text(encoding="utf-8")
    assert "with self.lock:" in text
    counting.write_text(text.replace("with self.lock:", "if True:"), encoding="utf-8")
    # A run loses counts nearly always; up to three runs make a miss vanishingly rare.
    seen = []
    for _ in range(3):
        seen.append(_counted(python, folder)["counts"]["hi"])
        if seen[-1] < CLIENTS * ROUNDS:
            return
    pytest.fail(f"without the lock, no count was lost in three runs of {CLIENTS * ROUNDS} calls: {seen}")
