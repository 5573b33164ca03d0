"""A Hello RPC client written with the Python threaded runtime."""

import sys

from quark_threaded_runtime import RPCError, get_runtime

import hello


def main():
    runtime = get_runtime()
    client = hello.HelloClient(runtime, "http://127.0.0.1:8930/hello")

    request = hello.Request()
    request.text = sys.argv[1] if len(sys.argv) > 1 else "Hello from Python!"
    print(f"Request:  {request.text}")

    try:
        response = client.hello(request)
        farewell = client.goodbye(request)
    except RPCError as error:
        sys.exit(f"error: {error}")
    print(f"Response: {response.result}")
    print(f"Goodbye:  {farewell.result}")


if __name__ == "__main__":
    main()
