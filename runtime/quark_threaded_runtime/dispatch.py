"""The WSGI application that serves contract services: routing, checks, dispatch.

``Dispatcher`` maps URL paths to server adapters. For each request it checks
the HTTP method and the body's size, decodes the call envelope for the
service at that path, calls the declared method of the implementation and
encodes its result. Every failure is answered with a JSON error body
``{"error": {"status": ..., "message": ...}}``, and the dispatcher goes on
serving. Any WSGI server can host it (the runtime's own, gunicorn, ...).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from . import codec
from .contract import Server
from .errors import ContractError, DecodeError, HTTPError, RequestError, ResultTypeError, shorten
from .http11 import MAX_LENGTH_DIGITS, parse_content_length

__all__ = ["DEFAULT_MAX_BODY", "Dispatcher", "error_body"]

log = logging.getLogger("quark_threaded_runtime.server")

DEFAULT_MAX_BODY = 1024 * 1024
"""The largest request body a dispatcher accepts unless told otherwise (1 MiB)."""

_JSON = ("Content-Type", "application/json")


def error_body(status: int, message: str) -> bytes:
    """The JSON body of an error answer: ``{"error": {"status": ..., "message": ...}}``."""
    return json.dumps({"error": {"status": status, "message": message}}).encode()


class Dispatcher:
    """A WSGI application serving server adapters, each at its own path.

    ``services`` maps URL paths to server adapters. ``max_body`` is the
    largest request body accepted, in bytes; larger bodies are refused with
    413 from their ``Content-Length``, unread.

    The runtime's own server hosts a dispatcher. To host services under
    another WSGI server, expose one as a module's ``application``. The
    Hello example's ``wsgi.py`` makes it with
    :meth:`Runtime.wsgi_application <quark_threaded_runtime.runtime.Runtime.wsgi_application>`,
    which gives the dispatcher the runtime's body limit::

        runtime = get_runtime()
        application = runtime.wsgi_application({"/hello": hello.HelloServer(runtime, HelloImpl())})

    and gunicorn serves it from the example's folder with
    ``gunicorn --bind 127.0.0.1:8910 wsgi:application``.
    """

    def __init__(self, services: dict[str, Server] | None = None, *, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.max_body = max_body
        self._routes: dict[str, Server] = {}
        self._lock = threading.Lock()
        for path, server in (services or {}).items():
            self.mount(path, server)

    def mount(self, path: str, server: Server) -> None:
        """Serve ``server`` at ``path`` (e.g. ``"/hello"``)."""
        if not isinstance(server, Server):
            raise ContractError(f"can only serve a server adapter such as HelloServer(runtime, impl), not {server!r}")
        if not path.startswith("/"):
            raise ContractError(f"a service path must start with '/', not {path!r}")
        with self._lock:
            if path in self._routes and self._routes[path] is not server:
                raise ContractError(f"a service is already served at {path}")
            # Replace the dict rather than mutate it so request threads never lock.
            self._routes = {**self._routes, path: server}

    @property
    def paths(self) -> list[str]:
        """The paths served, sorted."""
        return sorted(self._routes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """Answer one request, as a WSGI application: the encoded result, or a JSON error."""
        try:
            body = self._handle(environ)
        except HTTPError as error:
            body = error_body(error.status, error.message)
            headers = [_JSON, *error.headers, ("Content-Length", str(len(body)))]
            start_response(f"{error.status} {HTTPStatus(error.status).phrase}", headers)
            return [body]
        start_response("200 OK", [_JSON, ("Content-Length", str(len(body)))])
        return [body]

    def _handle(self, environ: dict[str, Any]) -> bytes:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        server = self._routes.get(path) or self._routes.get(environ.get("PATH_INFO", ""))
        if server is None:
            served = ", ".join(self.paths) or "none"
            raise HTTPError(404, f"no service at {shorten(path or '/', 100)} (served here: {served})")
        if environ["REQUEST_METHOD"] != "POST":
            method = shorten(environ["REQUEST_METHOD"], 100)
            raise HTTPError(405, f"{shorten(path, 100)} takes POST, not {method}", [("Allow", "POST")])
        body = self._read_body(environ)
        service = server.service
        try:
            name, argument = codec.decode_call(body, service)
        except DecodeError as error:
            raise HTTPError(400, f"bad call to {service.__wire_name__}: {error}") from None
        try:
            return codec.encode_result(server.invoke(name, argument))
        except ResultTypeError as error:
            # The implementation ran to its end; what it returned is the whole story, without a traceback.
            log.error("%s", error)
            raise HTTPError(
                500, f"{service.__wire_name__}.{name} failed in the server's implementation; see the server's log"
            ) from None
        except Exception:
            # SystemExit and KeyboardInterrupt pass on to the WSGI server: the runtime's
            # answers 500 and closes the connection, and the server serves on.
            implementation = type(server.implementation).__qualname__
            log.exception("%s.%s raised while answering a call to %s", implementation, name, path)
            raise HTTPError(
                500, f"{service.__wire_name__}.{name} failed in the server's implementation; see the server's log"
            ) from None

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH", "")
        if length:
            if length.isdigit() and length.isascii() and len(length) <= MAX_LENGTH_DIGITS:
                size = int(length)
            else:
                try:
                    size = parse_content_length(length)
                except RequestError as error:
                    if error.status != 413:
                        raise HTTPError(error.status, error.message) from None
                    size = self.max_body + 1
            if size > self.max_body:
                raise HTTPError(
                    413, f"a body of {shorten(length, 23)} bytes is over the limit of {self.max_body} bytes"
                )
            return _read_exactly(stream, size)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            # A WSGI server that decodes chunked bodies (gunicorn does) hands
            # us an input stream of unknown length: read one byte past the limit.
            body = stream.read(self.max_body + 1)
            if len(body) > self.max_body:
                raise HTTPError(413, f"chunked body is over the limit of {self.max_body} bytes")
            return body
        raise HTTPError(411, "a call needs a body with a Content-Length header")


def _read_exactly(stream: Any, size: int) -> bytes:
    """Read ``size`` bytes from a WSGI input stream, which may return fewer per read; 400 if it ends first."""
    first = stream.read(size)
    if len(first) == size:
        return first
    parts = [first]
    got = len(first)
    while got < size:
        part = stream.read(size - got)
        if not part:
            raise HTTPError(400, f"the body ended after {got} of its {size} bytes (Content-Length)")
        parts.append(part)
        got += len(part)
    return b"".join(parts)
