"""The runtime's exceptions: one hierarchy, rooted at :class:`QuarkError`.

Every message names the thing that failed (a URL, a class, a field) and the
cause, so that a one-line report is enough to act on.
"""

from __future__ import annotations

from collections.abc import Iterable

QUOTE_LIMIT = 80
"""The most characters of what a client sent that an error message quotes."""


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with ``...``.

    >>> shorten("/" + "a" * 200, 10)
    '/aaaaaa...'
    """
    return text if len(text) <= limit else text[: max(0, limit - 3)] + "..."


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as an error message quotes client input: ``repr()``, cut to ``limit`` characters with ``...``.

    >>> quote("POST /hello")
    "'POST /hello'"
    >>> quote("a" * 100, 5)
    "'aaaaa'..."
    """
    return repr(text[:limit]) + ("..." if len(text) > limit else "")


class QuarkError(Exception):
    """Base class of every error the runtime raises on purpose."""


class ContractError(QuarkError):
    """A contract is declared or used wrongly.

    Raised for a malformed declaration (a field of an unknown type, a server
    adapter without a service) and for an implementation that lacks a method
    its service declares.
    """


class FieldTypeError(ContractError, TypeError):
    """A value of the wrong type was given for a field of a value class."""


class ResultTypeError(ContractError, TypeError):
    """An implementation's method returned something other than the result class its service declares."""


class InvalidURLError(QuarkError, ValueError):
    """A service URL the runtime cannot use (not ``http://``, no host, ...)."""


class ServeError(QuarkError):
    """A server could not start serving, e.g. because its port is taken."""


class AddressInUseError(ServeError):
    """Another process already listens on the host and port of a service URL."""


class RPCError(QuarkError):
    """A remote call failed. Every client-side failure is one of its subclasses.

    ``url`` is the service URL the call was sent to.
    """

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class ServiceUnavailableError(RPCError):
    """Nothing answered at the service URL (connection refused or reset)."""


class RPCTimeoutError(RPCError):
    """The service did not answer within the client's timeout."""


class RemoteError(RPCError):
    """The service answered with an error status.

    ``status`` is the HTTP status code and ``detail`` the server's own message
    (from its JSON error body) when it sent one.
    """

    def __init__(self, message: str, *, url: str, status: int, detail: str | None) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.detail = detail


class BadResponseError(RPCError):
    """The service answered 200, but not with a value the contract declares."""


class DecodeError(QuarkError, ValueError):
    """A JSON document does not encode a value the contract declares.

    ``path`` says where in the document the problem is, e.g. ``rpc.text``.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


class RequestError(QuarkError):
    """A request the runtime's HTTP server refuses before any application sees it.

    ``status`` and ``message`` are the answer; ``headers`` are extra headers
    it carries (e.g. ``Allow`` with a 405).
    """

    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


class ResponseError(QuarkError):
    """A WSGI application answered in a way PEP 3333 or HTTP forbids; the server answers 500 instead."""


class ClientGoneError(QuarkError):
    """The client hung up or went idle: the server ends the connection without a word."""


class HTTPError(QuarkError):
    """An answer other than 200, raised inside the dispatcher and turned into a JSON error body."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)
