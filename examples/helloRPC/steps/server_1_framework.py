"""A Hello RPC server written with the Python threaded runtime."""

from quark_threaded_runtime import get_runtime

import hello


def main():
    pass


if __name__ == "__main__":
    main()
