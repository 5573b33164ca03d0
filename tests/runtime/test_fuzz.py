"""A seeded, bounded fuzz of the runtime over the wire: no input gets a 500, a traceback, or a hang.

The cases come from ``toolkit.fuzz.make_case`` with a fixed seed, so a failure
reproduces; ``bench/fuzz_soak.py`` runs many more, with other seeds.
"""

from __future__ import annotations

import json
import logging
import random
import socket

from toolkit.fuzz import make_case
from toolkit.http import answers_in, exchange_until_closed
from toolkit.runtime_testkit import WAIT, address, answer_to, call_body, post

SEED = 20261130
CASES = 2400


def test_thousands_of_bent_requests_get_no_500_no_traceback_and_no_hang(serve, caplog) -> None:
    url = serve(read_timeout=WAIT)
    rng = random.Random(SEED)
    statuses: dict[int, int] = {}
    with caplog.at_level(logging.WARNING, logger="quark_threaded_runtime"):
        for number in range(CASES):
            data, _ = make_case(rng)
            answers = answers_in(exchange_until_closed(address(url), data, WAIT))
            for answer in answers:
                status, body = answer.status, answer.body
                statuses[status] = statuses.get(status, 0) + 1
                # 501 and 505 answer a transfer coding and a version the server does not speak; no other 5xx
                # is the client's doing.
                assert status < 500 or status in (501, 505), (
                    f"case {number} got {status}: {data[:300]!r} -> {body[:300]!r}"
                )
                if status >= 400:
                    error = json.loads(body)["error"]
                    assert error["status"] == status, f"case {number}: {body!r}"
                    assert isinstance(error["message"], str) and error["message"], f"case {number}: {body!r}"
    assert [record.getMessage() for record in caplog.records] == []
    # The cases reach past the framing into the dispatcher and the codec, and some are whole calls.
    assert statuses.get(200, 0) > 20
    assert {400, 404, 405, 413} <= set(statuses)
    with socket.create_connection(address(url), timeout=WAIT) as sock:
        sock.sendall(post("/hello", call_body("still here")))
        assert answer_to("still here").encode() in sock.recv(65536)
