"""The runtime object: serves server adapters over HTTP and opens client transports.

``get_runtime()`` returns the process's shared :class:`Runtime`. A runtime
hosts any number of services; services on the same host and port share one
listening socket and are told apart by their URL path.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from .client import DEFAULT_TIMEOUT, HTTPTransport
from .contract import Server
from .dispatch import DEFAULT_MAX_BODY, Dispatcher, error_body
from .errors import AddressInUseError, ContractError, InvalidURLError, ServeError
from .server import WSGIServer

__all__ = ["REMAP_VARIABLE", "Runtime", "get_runtime"]

log = logging.getLogger("quark_threaded_runtime")

REMAP_VARIABLE = "QUARK_RUNTIME_REMAP"
"""Environment variable that moves services to other addresses without editing code.

Its value is a comma-separated list of ``host:port=host:port`` pairs, e.g.
``127.0.0.1:8910=127.0.0.1:18910``: servers and clients given a URL on the
left-hand address use the right-hand one instead. Messages name the address
actually used, the right-hand one, so that they say where to look.
"""


class Runtime:
    """Serves contract services over HTTP and makes clients for them.

    ``read_timeout`` bounds how long a client may take to send one request
    (from being accepted, for a new connection's first request; from its
    first byte, for a later one), ``idle_timeout`` how long a kept-alive
    connection may sit unused between requests, both in seconds;
    ``max_body`` is the largest request body accepted, in bytes.
    """

    def __init__(
        self, *, read_timeout: float = 10.0, idle_timeout: float = 30.0, max_body: int = DEFAULT_MAX_BODY
    ) -> None:
        self.read_timeout = read_timeout
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        self._listeners: dict[tuple[str, int], WSGIServer] = {}
        self._dispatchers: dict[tuple[str, int], Dispatcher] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def serveHTTP(self, url: str, server: Server, *, block: bool = True) -> str:  # noqa: N802 - the original API's name
        """Serve ``server`` at ``url``, e.g. ``"http://127.0.0.1:8910/hello"``.

        With ``block=True`` (the default) this is the program's serving loop:
        it prints where it serves, then serves until Ctrl-C, ``SIGTERM`` or
        :meth:`stop`, and returns. If it cannot serve (the port is taken, the
        URL is not ``http://``) it exits the program with a one-line message
        and status 1.

        With ``block=False`` it returns at once, serving on background
        threads, and raises :class:`~quark_threaded_runtime.errors.ServeError`
        or :class:`~quark_threaded_runtime.errors.InvalidURLError` when it cannot
        serve. It returns the URL actually served (after any remapping, and
        with the real port when the URL asked for port 0).
        """
        if not block:
            return self._mount(url, server)
        # Signals are caught from the start, so a Ctrl-C that comes early still ends quietly.
        with self._stop_on_signals() as signalled:
            try:
                served = self._mount(url, server)
            except (ServeError, InvalidURLError) as error:
                raise SystemExit(f"error: {error}") from None
            # The URL actually served: after remapping, and with the real port for port 0.
            print(f"Serving {server.service.__wire_name__} at {served} (press Ctrl-C to stop)", flush=True)
            self._wait(signalled)
        return served

    def wait(self) -> None:
        """Block until :meth:`stop`, Ctrl-C or ``SIGTERM``; then stop serving and return."""
        with self._stop_on_signals() as signalled:
            self._wait(signalled)

    def _wait(self, signalled: list[int]) -> None:
        try:
            # A bounded wait notices a signal promptly: the handler cannot set the event itself.
            while not signalled and not self._stopped.wait(0.1):
                pass
        finally:
            self.stop()

    @contextlib.contextmanager
    def _stop_on_signals(self) -> Iterator[list[int]]:
        """While in the block, Ctrl-C and SIGTERM are noted in the list yielded instead of raising."""
        signalled: list[int] = []
        if threading.current_thread() is not threading.main_thread():
            yield signalled
            return
        # Setting an Event from a signal handler can deadlock (the handler may run
        # while the main thread holds the Event's lock), so the handler only appends.
        saved = {}
        for number in (signal.SIGINT, signal.SIGTERM):
            # A program started with SIGINT ignored (a shell's `&`) keeps ignoring it.
            if signal.getsignal(number) is not signal.SIG_IGN:
                saved[number] = signal.signal(number, lambda number, frame: signalled.append(number))
        try:
            yield signalled
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    def _mount(self, url: str, server: Server) -> str:
        host, port, path = _split_http_url(url)
        real_host, real_port = _remap(host, port)
        if (real_host, real_port) != (host, port):
            log.info("serving %s on %s:%d (%s)", url, real_host, real_port, REMAP_VARIABLE)
        # Error messages name the address actually used (the same as url unless remapped).
        used = urlunsplit(("http", f"{_bracket(real_host)}:{real_port}", path, "", ""))
        with self._lock:
            self._stopped.clear()
            dispatcher = self._dispatchers.get((real_host, real_port))
            if dispatcher is not None:
                dispatcher.mount(path, server)
            else:
                # Mounted first, so that a wrong server adapter fails before a port is taken.
                dispatcher = Dispatcher({path: server}, max_body=self.max_body)
                try:
                    http = WSGIServer(
                        real_host,
                        real_port,
                        dispatcher,
                        read_timeout=self.read_timeout,
                        idle_timeout=self.idle_timeout,
                        max_buffered_body=self.max_body,
                        error_body=error_body,
                    )
                except AddressInUseError:
                    raise AddressInUseError(
                        f"cannot serve {used}: {real_host}:{real_port} is already in use "
                        "(is another server running there?)"
                    ) from None
                except ServeError as error:
                    raise ServeError(f"cannot serve {used}: {error}") from None
                http.start()
                real_port = http.address[1]
                self._listeners[(real_host, real_port)] = http
                self._dispatchers[(real_host, real_port)] = dispatcher
        return urlunsplit(("http", f"{_bracket(real_host)}:{real_port}", path, "", ""))

    def wsgi_application(self, services: dict[str, Server]) -> Dispatcher:
        """A WSGI application serving ``services`` (URL path to server adapter), for another WSGI server.

        Use it to host the same services under a production WSGI server such
        as gunicorn; the application applies this runtime's ``max_body``. The
        Hello example's ``wsgi.py`` serves the example's ``HelloImpl`` so::

            application = runtime.wsgi_application({"/hello": hello.HelloServer(runtime, HelloImpl())})

        and ``gunicorn --bind 127.0.0.1:8910 wsgi:application``, run in the
        example's folder, serves that application.
        """
        return Dispatcher(services, max_body=self.max_body)

    def stop(self) -> None:
        """Stop every server of this runtime and wake up :meth:`wait`."""
        with self._lock:
            listeners = list(self._listeners.values())
            self._listeners.clear()
            self._dispatchers.clear()
            self._stopped.set()
        # One shared bound, so that stopping stays within a second however many servers there are.
        deadline = time.monotonic() + 0.5
        for http in listeners:
            http.stop(max(0.0, deadline - time.monotonic()))

    def open_transport(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> HTTPTransport:
        """The HTTP transport a client adapter sends its calls through."""
        host, port, path = _split_http_url(url)
        real_host, real_port = _remap(host, port)
        target = urlunsplit(("http", f"{_bracket(real_host)}:{real_port}", path, "", ""))
        # Its messages name the URL the calls go to (after remapping), where a server must listen.
        return HTTPTransport(target, timeout=timeout)


def _split_http_url(url: str) -> tuple[str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidURLError(f"invalid service URL {url!r}: {error}") from None
    if parts.scheme == "https":
        raise InvalidURLError(f"{url}: https is not supported by this runtime; serve plain http behind a TLS proxy")
    if parts.scheme != "http":
        raise InvalidURLError(f"invalid service URL {url!r}: it must start with http://")
    if not parts.hostname:
        raise InvalidURLError(f"invalid service URL {url!r}: it names no host")
    if parts.query or parts.fragment:
        raise InvalidURLError(f"invalid service URL {url!r}: a service URL has no query or fragment")
    return parts.hostname, port if port is not None else 80, parts.path or "/"


def _remap(host: str, port: int) -> tuple[str, int]:
    spec = os.environ.get(REMAP_VARIABLE, "").strip()
    if not spec:
        return host, port
    for pair in spec.split(","):
        source, equals, target = pair.strip().partition("=")
        if not equals:
            raise InvalidURLError(f"{REMAP_VARIABLE}: {pair!r} is not of the form host:port=host:port")
        if _parse_address(source) == (host, port):
            return _parse_address(target)
    return host, port


def _parse_address(text: str) -> tuple[str, int]:
    host, colon, port = text.strip().rpartition(":")
    if not colon or not port.isdigit() or not host:
        raise InvalidURLError(f"{REMAP_VARIABLE}: {text!r} is not a host:port address")
    return host.strip("[]"), int(port)


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


_shared: Runtime | None = None
_shared_lock = threading.Lock()


def get_runtime() -> Runtime:
    """The process's shared :class:`Runtime`, made on first use.

    A program that gets its runtime here and then ends on a contract error it
    does not catch (a server adapter given a class instead of an instance, an
    implementation without a declared method) ends with one line, ``error:``
    and the message, and exit status 1, as the runtime's other failures do,
    instead of a traceback. A value of the wrong type for a field keeps its
    traceback, which points at the line that set it.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Runtime()
            if sys.excepthook is sys.__excepthook__:
                sys.excepthook = _contract_errors_in_one_line
        return _shared


def _contract_errors_in_one_line(kind, error, traceback) -> None:
    # A wrong value in a field is a mistake at a line of the program: its traceback shows which.
    if issubclass(kind, ContractError) and not issubclass(kind, TypeError):
        print(f"error: {error}", file=sys.stderr)
    else:
        sys.__excepthook__(kind, error, traceback)
