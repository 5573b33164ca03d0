"""A Hello RPC client written with the Python threaded runtime."""

import sys

from quark_threaded_runtime import RPCError, get_runtime

import hello


def main():
    runtime = get_runtime()
    client = hello.HelloClient(runtime, "http://127.0.0.1:8910/hello")


if __name__ == "__main__":
    main()
