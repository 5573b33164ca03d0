"""Structured random requests for fuzzing the runtime, from a seeded generator (same seed, same cases).

A case is the bytes of one or more requests, built from a valid Hello call
and then bent: odd methods, targets and versions, headers with bad values,
missing, conflicting or lying lengths, bodies that are JSON of every shape
(duplicate keys, lone surrogates, deep nesting, huge numbers) or not JSON
at all, truncated and corrupted bytes. The suite's fuzz test and the longer
fuzz in ``bench/`` both use it, and read the answers with
:func:`toolkit.http.exchange_until_closed` and :func:`toolkit.http.answers_in`.
"""

from __future__ import annotations

import json
import random

__all__ = ["make_case"]

_METHODS = ["POST"] * 8 + ["GET", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW", "P@ST", "", "POST POST"]
_TARGETS = [
    "/hello",
    "/hello",
    "/hello",
    "/hello?x=1",
    "/hello%20there",
    "/%FF%00",
    "/",
    "*",
    "hello",
    "http://127.0.0.1:8910/hello",
    "HTTP://example.com",
    "/" + "a" * 300,
    "/h\u00e9llo",
]
_VERSIONS = ["HTTP/1.1"] * 8 + ["HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/1", "http/1.1", "FOO"]
_STRINGS = [
    "",
    "hi",
    "Hello from Python!",
    "\u00e9\u4f60\U0001f600",
    "\\ud800",
    "\\udfff",
    "\\u0000",
    "a\\nb",
    "x" * 500,
]
_KEYS = ["$method", "rpc", "$class", "text", "result", "id", "", "\\ud800", "hello"]


def _json_string(rng: random.Random) -> str:
    # Raw JSON text of a string, possibly with escapes JSON allows but Python strings may not encode.
    text = rng.choice(_STRINGS)
    return '"' + text.replace('"', '\\"') + '"'


def _json_value(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth > 0 and roll < 0.25:
        items = [_json_value(rng, depth - 1) for _ in range(rng.randint(0, 3))]
        return "[" + ",".join(items) + "]"
    if depth > 0 and roll < 0.5:
        return _json_object(rng, depth - 1, rng.sample(_KEYS, rng.randint(0, 4)))
    return rng.choice(
        [
            _json_string(rng),
            _json_string(rng),
            str(rng.randint(-(2**70), 2**70)),
            "1" * rng.choice([1, 50, 5000]),
            "1.5e308",
            "-0.0",
            "true",
            "false",
            "null",
            "NaN",
            "Infinity",
        ]
    )


def _json_object(rng: random.Random, depth: int, keys: list[str]) -> str:
    members = [f'"{key}":{_json_value(rng, depth)}' for key in keys]
    if members and rng.random() < 0.1:
        members.append(rng.choice(members))  # a key twice
    return "{" + ",".join(members) + "}"


def _body(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.35:
        # A call that is nearly right: one field bent.
        argument = {"$class": rng.choice(["hello.Request", "hello.Response", "x"]), "text": "x"}
        envelope = {"$method": rng.choice(["hello", "goodbye", "__init__"]), "rpc": argument}
        text = json.dumps(envelope)
        text = text.replace('"x"', rng.choice([_json_string(rng), _json_value(rng, 2)]), 1)
    elif roll < 0.6:
        text = _json_object(rng, 3, rng.sample(_KEYS, rng.randint(0, 5)))
    elif roll < 0.7:
        depth = rng.choice([20, 31, 32, 33, 100, 3000])
        text = '{"$method":"hello","rpc":' + "[" * depth + "]" * depth + "}"
    elif roll < 0.8:
        text = _json_value(rng, 4)
    else:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.15 and data:
        # Corrupt a byte, or cut the document short.
        index = rng.randrange(len(data))
        data = data[:index] + bytes([rng.randrange(256)]) + data[index + 1 :] if rng.random() < 0.5 else data[:index]
    return data


def _headers(rng: random.Random, body: bytes) -> tuple[list[str], bool]:
    """The header lines, and whether the announced length is longer than the body (the client must hang up)."""
    headers = ["Host: 127.0.0.1"] if rng.random() < 0.95 else []
    headers.append("Content-Type: application/json")
    lying = False
    roll = rng.random()
    if roll < 0.75:
        headers.append(f"Content-Length: {len(body)}")
    elif roll < 0.8:
        headers.append(f"Content-Length: {len(body) + rng.randint(1, 50)}")
        lying = True
    elif roll < 0.85:
        headers.append(f"Content-Length: {max(0, len(body) - rng.randint(1, 5))}")
    else:
        headers.append(
            "Content-Length: "
            + rng.choice(["-1", "abc", "1e3", " 5", "9" * 25, "\u0661", f"{len(body)}, {len(body)}", ""])
        )
    for _ in range(rng.randint(0, 3)):
        headers.append(
            rng.choice(
                [
                    "Host: other",
                    "X-Note: a\x01b",
                    "X-Note: a\x00b",
                    "X-Note: a\tb",
                    "X-Note: \u00e9",
                    "Bad Name: x",
                    "NoColon",
                    "Transfer-Encoding: chunked",
                    "Expect: 100-continue",
                    "Connection: close",
                    "Connection: keep-alive",
                    "Content_Length: 3",
                    "Content-Length: 0",
                    "X-Long: " + "v" * 3000,
                    " folded: x",
                ]
            )
        )
    rng.shuffle(headers)
    return headers, lying


def make_case(rng: random.Random) -> tuple[bytes, bool]:
    """One fuzz case: the bytes to send, and whether they end inside a request (the client then hangs up)."""
    if rng.random() < 0.1:
        # A whole, valid call, so that the good path is fuzzed too (text of any characters).
        text = "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0xA0, 0xD800)])) for _ in range(8))
        body = json.dumps({"$method": "hello", "rpc": {"$class": "hello.Request", "text": text}}).encode()
        head = f"POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body, False
    body = _body(rng)
    method = rng.choice(_METHODS)
    target = rng.choice(_TARGETS)
    version = rng.choice(_VERSIONS)
    headers, lying = _headers(rng, body)
    head = f"{method} {target} {version}\r\n" + "".join(f"{line}\r\n" for line in headers) + "\r\n"
    data = head.encode("utf-8", "surrogatepass") + body
    if rng.random() < 0.1:
        # Two requests back to back, the second one plain.
        data += f"POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    if rng.random() < 0.05:
        data = b"\r\n" * rng.randint(1, 4) + data
    return data, lying
