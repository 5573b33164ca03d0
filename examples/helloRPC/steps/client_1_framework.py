"""A Hello RPC client written with the Python threaded runtime."""

import sys

from quark_threaded_runtime import RPCError, get_runtime

import hello


def main():
    pass


if __name__ == "__main__":
    main()
