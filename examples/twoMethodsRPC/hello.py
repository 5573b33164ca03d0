"""The hello contract library, version 1.1.0.

Generated from hello.q by quark_threaded_runtime.compile; do not edit.
"""

from quark_threaded_runtime.contract import Client, Server, Service, String, Value, field, method

__version__ = "1.1.0"


class Request(Value, name="hello.Request"):
    """What a client sends: the text it wants the server to answer."""

    text = field(String)


class Response(Value, name="hello.Response"):
    """What the server sends back: its answer to the request's text."""

    result = field(String)


class Hello(Service, name="hello.Hello"):
    """The Hello service: one method that answers a greeting, one that says goodbye."""

    hello = method(Request, Response, doc="Answer the request's text with a response.")
    goodbye = method(Request, Response, doc="Answer the request's text with a farewell.")


class HelloClient(Client, Hello):
    """Calls a Hello service over HTTP."""


class HelloServer(Server[Hello]):
    """Serves a Hello implementation over HTTP."""
