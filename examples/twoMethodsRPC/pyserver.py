"""A Hello RPC server written with the Python threaded runtime."""

from quark_threaded_runtime import get_runtime

import hello


class HelloImpl:
    """Answers the Hello service's calls."""

    def hello(self, request):
        response = hello.Response()
        response.result = "Responding to [%s] from Python" % request.text
        return response

    def goodbye(self, request):
        response = hello.Response()
        response.result = "Saying goodbye to [%s] from Python" % request.text
        return response


def main():
    runtime = get_runtime()
    implementation = HelloImpl()
    server = hello.HelloServer(runtime, implementation)
    runtime.serveHTTP("http://127.0.0.1:8930/hello", server)


if __name__ == "__main__":
    main()
